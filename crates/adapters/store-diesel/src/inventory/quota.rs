use super::decode;
use super::placement;
use super::table::{StoredTable, table_sql};
use crate::connection::{AnyConnection, Db};
use crate::error::TxError;
use crate::schema::host_group_tenant_quotas;
use capacity_quota::QuotaLimits;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use infra_inventory::ids::{HostGroupId, TenantId};
use infra_inventory::resources::{HostGroupTenantQuota, QuotaDraft, QuotaFilter};
use infra_inventory::values::{parse_amount, parse_percentage};
use infra_inventory::{StoreError, Stored};

#[derive(Queryable, Selectable)]
#[diesel(table_name = host_group_tenant_quotas)]
pub(crate) struct Row {
    id: String,
    group_id: i64,
    tenant_id: i64,
    cpu_quota_percentage: f64,
    memory_quota: i64,
    storage_quota: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = host_group_tenant_quotas)]
pub(crate) struct Values {
    group_id: i64,
    tenant_id: i64,
    cpu_quota_percentage: f64,
    memory_quota: i64,
    storage_quota: i64,
    updated_at: NaiveDateTime,
}

impl StoredTable for QuotaDraft {
    type Row = Row;
    type Values<'a> = Values;
    type Filtered = host_group_tenant_quotas::BoxedQuery<'static, Db>;

    fn values(&self, at: DateTime<Utc>) -> Values {
        Values {
            group_id: self.group_id.0,
            tenant_id: self.tenant_id.0,
            cpu_quota_percentage: self.limits.cpu_quota_percentage.get(),
            memory_quota: self.limits.memory_quota.get(),
            storage_quota: self.limits.storage_quota.get(),
            updated_at: at.naive_utc(),
        }
    }

    fn record(row: Row) -> Result<HostGroupTenantQuota, StoreError> {
        const T: &str = "host_group_tenant_quotas";
        Ok(Stored {
            id: decode::id(T, &row.id)?,
            fields: QuotaDraft {
                group_id: HostGroupId(row.group_id),
                tenant_id: TenantId(row.tenant_id),
                limits: QuotaLimits {
                    cpu_quota_percentage: decode::field(
                        T,
                        parse_percentage("cpu_quota_percentage", row.cpu_quota_percentage),
                    )?,
                    memory_quota: decode::field(T, parse_amount("memory_quota", row.memory_quota))?,
                    storage_quota: decode::field(
                        T,
                        parse_amount("storage_quota", row.storage_quota),
                    )?,
                },
            },
            created_at: decode::utc(row.created_at),
            updated_at: decode::utc(row.updated_at),
        })
    }

    fn filtered(f: &QuotaFilter) -> Self::Filtered {
        let mut q = host_group_tenant_quotas::table.into_boxed();
        if let Some(group) = f.group_id {
            q = q.filter(host_group_tenant_quotas::group_id.eq(group.0));
        }
        if let Some(tenant) = f.tenant_id {
            q = q.filter(host_group_tenant_quotas::tenant_id.eq(tenant.0));
        }
        q
    }

    fn on_update(
        conn: &mut AnyConnection,
        id: Self::Id,
        draft: &Self,
    ) -> Result<(), TxError<StoreError>> {
        placement::quota_may_be_rewritten(conn, id, draft)
    }

    fn on_delete(conn: &mut AnyConnection, id: Self::Id) -> Result<(), TxError<StoreError>> {
        placement::quota_may_be_deleted(conn, id)
    }
}

table_sql!(QuotaDraft, host_group_tenant_quotas, uuid);
