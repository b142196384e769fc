use super::decode;
use super::table::{StoredTable, table_sql};
use super::tenancy;
use crate::connection::{AnyConnection, Db};
use crate::error::TxError;
use crate::schema::k8s_clusters;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use infra_inventory::ids::TenantId;
use infra_inventory::resources::{K8sCluster, K8sClusterDraft, K8sClusterFilter};
use infra_inventory::values::{ClusterStatus, Name};
use infra_inventory::{StoreError, Stored};

#[derive(Queryable, Selectable)]
#[diesel(table_name = k8s_clusters)]
pub(crate) struct Row {
    id: String,
    name: String,
    tenant_id: i64,
    description: Option<String>,
    status: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = k8s_clusters, treat_none_as_null = true)]
pub(crate) struct Values<'a> {
    name: &'a str,
    tenant_id: i64,
    description: Option<&'a str>,
    status: &'a str,
    updated_at: NaiveDateTime,
}

impl StoredTable for K8sClusterDraft {
    type Row = Row;
    type Values<'a> = Values<'a>;
    type Filtered = k8s_clusters::BoxedQuery<'static, Db>;

    fn values(&self, at: DateTime<Utc>) -> Values<'_> {
        Values {
            name: self.name.as_str(),
            tenant_id: self.tenant_id.0,
            description: self.description.as_deref(),
            status: self.status.as_str(),
            updated_at: at.naive_utc(),
        }
    }

    fn record(row: Row) -> Result<K8sCluster, StoreError> {
        const T: &str = "k8s_clusters";
        Ok(Stored {
            id: decode::id(T, &row.id)?,
            fields: K8sClusterDraft {
                name: decode::field(T, Name::parse("name", &row.name))?,
                tenant_id: TenantId(row.tenant_id),
                description: row.description,
                status: decode::field(T, ClusterStatus::parse("status", Some(&row.status)))?,
            },
            created_at: decode::utc(row.created_at),
            updated_at: decode::utc(row.updated_at),
        })
    }

    fn filtered(f: &K8sClusterFilter) -> Self::Filtered {
        let mut q = k8s_clusters::table.into_boxed();
        if let Some(tenant) = f.tenant_id {
            q = q.filter(k8s_clusters::tenant_id.eq(tenant.0));
        }
        if let Some(status) = f.status {
            q = q.filter(k8s_clusters::status.eq(status.as_str()));
        }
        q
    }

    fn on_update(
        conn: &mut AnyConnection,
        id: Self::Id,
        draft: &Self,
    ) -> Result<(), TxError<StoreError>> {
        tenancy::cluster_keeps_tenant_of_nodes(conn, id, draft)
    }
}

table_sql!(K8sClusterDraft, k8s_clusters, uuid);
