use super::decode;
use super::table::{StoredTable, table_sql};
use crate::connection::Db;
use crate::schema::maintainer_groups;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use infra_inventory::resources::{MaintainerGroup, MaintainerGroupDraft, MaintainerGroupFilter};
use infra_inventory::values::{ActiveStatus, Name};
use infra_inventory::{StoreError, Stored};

#[derive(Queryable, Selectable)]
#[diesel(table_name = maintainer_groups)]
pub(crate) struct Row {
    id: String,
    name: String,
    group_manager_id: Option<String>,
    description: Option<String>,
    status: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = maintainer_groups, treat_none_as_null = true)]
pub(crate) struct Values<'a> {
    name: &'a str,
    group_manager_id: Option<String>,
    description: Option<&'a str>,
    status: &'a str,
    updated_at: NaiveDateTime,
}

impl StoredTable for MaintainerGroupDraft {
    type Row = Row;
    type Values<'a> = Values<'a>;
    type Filtered = maintainer_groups::BoxedQuery<'static, Db>;

    // The foreign key alone would let a manager's delete racing this write fail on it, refused
    // as in use by nothing; locked, the delete waits and counts this group.
    const LOCKS_REFERENCES: bool = true;

    fn values(&self, at: DateTime<Utc>) -> Values<'_> {
        Values {
            name: self.name.as_str(),
            group_manager_id: self.group_manager_id.map(|id| id.to_string()),
            description: self.description.as_deref(),
            status: self.status.as_str(),
            updated_at: at.naive_utc(),
        }
    }

    fn record(row: Row) -> Result<MaintainerGroup, StoreError> {
        const T: &str = "maintainer_groups";
        Ok(Stored {
            id: decode::id(T, &row.id)?,
            fields: MaintainerGroupDraft {
                name: decode::field(T, Name::parse("name", &row.name))?,
                group_manager_id: row
                    .group_manager_id
                    .map(|id| decode::id(T, &id))
                    .transpose()?,
                description: row.description,
                status: decode::field(T, ActiveStatus::parse("status", Some(&row.status)))?,
            },
            created_at: decode::utc(row.created_at),
            updated_at: decode::utc(row.updated_at),
        })
    }

    fn filtered(f: &MaintainerGroupFilter) -> Self::Filtered {
        let mut q = maintainer_groups::table.into_boxed();
        if let Some(manager) = f.group_manager_id {
            q = q.filter(maintainer_groups::group_manager_id.eq(manager.to_string()));
        }
        if let Some(status) = f.status {
            q = q.filter(maintainer_groups::status.eq(status.as_str()));
        }
        q
    }
}

table_sql!(MaintainerGroupDraft, maintainer_groups, uuid);
