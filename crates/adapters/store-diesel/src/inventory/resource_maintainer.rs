use super::decode;
use super::table::{StoredTable, table_sql};
use crate::connection::Db;
use crate::schema::resource_maintainers;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use infra_inventory::resources::{
    MaintainerType, ResourceMaintainer, ResourceMaintainerDraft, ResourceMaintainerFilter,
    ResourceType,
};
use infra_inventory::{StoreError, Stored};

#[derive(Queryable, Selectable)]
#[diesel(table_name = resource_maintainers)]
pub(crate) struct Row {
    id: String,
    resource_type: String,
    resource_id: String,
    maintainer_type: String,
    maintainer_id: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = resource_maintainers)]
pub(crate) struct Values {
    resource_type: &'static str,
    resource_id: String,
    maintainer_type: &'static str,
    maintainer_id: String,
    updated_at: NaiveDateTime,
}

impl StoredTable for ResourceMaintainerDraft {
    type Row = Row;
    type Values<'a> = Values;
    type Filtered = resource_maintainers::BoxedQuery<'static, Db>;

    // No foreign key guards resource_id or maintainer_id: which table they point at depends
    // on the row's types.
    const LOCKS_REFERENCES: bool = true;

    fn values(&self, at: DateTime<Utc>) -> Values {
        Values {
            resource_type: self.resource_type.as_str(),
            resource_id: self.resource_id.to_string(),
            maintainer_type: self.maintainer_type.as_str(),
            maintainer_id: self.maintainer_id.to_string(),
            updated_at: at.naive_utc(),
        }
    }

    fn record(row: Row) -> Result<ResourceMaintainer, StoreError> {
        const T: &str = "resource_maintainers";
        let resource_type =
            decode::field(T, ResourceType::parse("resource_type", &row.resource_type))?;
        Ok(Stored {
            id: decode::id(T, &row.id)?,
            fields: ResourceMaintainerDraft {
                resource_type,
                resource_id: decode::field(
                    T,
                    resource_type.parse_key("resource_id", &row.resource_id),
                )?,
                maintainer_type: decode::field(
                    T,
                    MaintainerType::parse("maintainer_type", &row.maintainer_type),
                )?,
                maintainer_id: decode::id(T, &row.maintainer_id)?,
            },
            created_at: decode::utc(row.created_at),
            updated_at: decode::utc(row.updated_at),
        })
    }

    fn filtered(f: &ResourceMaintainerFilter) -> Self::Filtered {
        let mut q = resource_maintainers::table.into_boxed();
        if let Some(t) = f.resource_type {
            q = q.filter(resource_maintainers::resource_type.eq(t.as_str()));
        }
        if let Some(id) = &f.resource_id {
            q = q.filter(resource_maintainers::resource_id.eq(id.clone()));
        }
        if let Some(t) = f.maintainer_type {
            q = q.filter(resource_maintainers::maintainer_type.eq(t.as_str()));
        }
        if let Some(id) = f.maintainer_id {
            q = q.filter(resource_maintainers::maintainer_id.eq(id.to_string()));
        }
        q
    }
}

table_sql!(ResourceMaintainerDraft, resource_maintainers, uuid);
