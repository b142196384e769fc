use super::decode;
use super::table::{StoredTable, table_sql};
use super::{placement, tenancy};
use crate::connection::{AnyConnection, Db};
use crate::error::TxError;
use crate::schema::virtual_machines;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use infra_inventory::ids::TenantId;
use infra_inventory::resources::{VirtualMachine, VirtualMachineDraft, VirtualMachineFilter};
use infra_inventory::values::{Name, VmStatus};
use infra_inventory::{StoreError, Stored};

#[derive(Queryable, Selectable)]
#[diesel(table_name = virtual_machines)]
pub(crate) struct Row {
    id: String,
    name: String,
    tenant_id: i64,
    host_id: String,
    specification_id: String,
    k8s_cluster_id: Option<String>,
    status: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = virtual_machines, treat_none_as_null = true)]
pub(crate) struct Values<'a> {
    name: &'a str,
    tenant_id: i64,
    host_id: String,
    specification_id: String,
    k8s_cluster_id: Option<String>,
    status: &'a str,
    updated_at: NaiveDateTime,
}

impl StoredTable for VirtualMachineDraft {
    type Row = Row;
    type Values<'a> = Values<'a>;
    type Filtered = virtual_machines::BoxedQuery<'static, Db>;

    fn values(&self, at: DateTime<Utc>) -> Values<'_> {
        Values {
            name: self.name.as_str(),
            tenant_id: self.tenant_id.0,
            host_id: self.host_id.to_string(),
            specification_id: self.specification_id.to_string(),
            k8s_cluster_id: self.k8s_cluster_id.map(|id| id.to_string()),
            status: self.status.as_str(),
            updated_at: at.naive_utc(),
        }
    }

    fn record(row: Row) -> Result<VirtualMachine, StoreError> {
        const T: &str = "virtual_machines";
        Ok(Stored {
            id: decode::id(T, &row.id)?,
            fields: VirtualMachineDraft {
                name: decode::field(T, Name::parse("name", &row.name))?,
                tenant_id: TenantId(row.tenant_id),
                host_id: decode::id(T, &row.host_id)?,
                specification_id: decode::id(T, &row.specification_id)?,
                k8s_cluster_id: row
                    .k8s_cluster_id
                    .map(|id| decode::id(T, &id))
                    .transpose()?,
                status: decode::field(T, VmStatus::parse("status", Some(&row.status)))?,
            },
            created_at: decode::utc(row.created_at),
            updated_at: decode::utc(row.updated_at),
        })
    }

    fn filtered(f: &VirtualMachineFilter) -> Self::Filtered {
        let mut q = virtual_machines::table.into_boxed();
        if let Some(tenant) = f.tenant_id {
            q = q.filter(virtual_machines::tenant_id.eq(tenant.0));
        }
        if let Some(host) = f.host_id {
            q = q.filter(virtual_machines::host_id.eq(host.to_string()));
        }
        if let Some(spec) = f.specification_id {
            q = q.filter(virtual_machines::specification_id.eq(spec.to_string()));
        }
        if let Some(cluster) = f.k8s_cluster_id {
            q = q.filter(virtual_machines::k8s_cluster_id.eq(cluster.to_string()));
        }
        if let Some(status) = f.status {
            q = q.filter(virtual_machines::status.eq(status.as_str()));
        }
        q
    }

    fn on_create(conn: &mut AnyConnection, draft: &Self) -> Result<(), TxError<StoreError>> {
        tenancy::vm_joins_own_cluster(conn, draft)?;
        placement::admit_new_vm(conn, draft)
    }

    fn on_update(
        conn: &mut AnyConnection,
        id: Self::Id,
        draft: &Self,
    ) -> Result<(), TxError<StoreError>> {
        tenancy::vm_joins_own_cluster(conn, draft)?;
        placement::admit_changed_vm(conn, id, draft)
    }
}

table_sql!(VirtualMachineDraft, virtual_machines, uuid);
