use super::decode;
use super::table::{StoredTable, table_sql};
use crate::connection::Db;
use crate::schema::maintainer_group_members;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use infra_inventory::resources::{
    MaintainerGroupMember, MaintainerGroupMemberDraft, MaintainerGroupMemberFilter,
};
use infra_inventory::{StoreError, Stored};

#[derive(Queryable, Selectable)]
#[diesel(table_name = maintainer_group_members)]
pub(crate) struct Row {
    id: String,
    group_id: String,
    maintainer_id: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = maintainer_group_members)]
pub(crate) struct Values {
    group_id: String,
    maintainer_id: String,
    updated_at: NaiveDateTime,
}

impl StoredTable for MaintainerGroupMemberDraft {
    type Row = Row;
    type Values<'a> = Values;
    type Filtered = maintainer_group_members::BoxedQuery<'static, Db>;

    // As maintainer groups: the delete of either end then waits and takes this row along.
    const LOCKS_REFERENCES: bool = true;

    fn values(&self, at: DateTime<Utc>) -> Values {
        Values {
            group_id: self.group_id.to_string(),
            maintainer_id: self.maintainer_id.to_string(),
            updated_at: at.naive_utc(),
        }
    }

    fn record(row: Row) -> Result<MaintainerGroupMember, StoreError> {
        const T: &str = "maintainer_group_members";
        Ok(Stored {
            id: decode::id(T, &row.id)?,
            fields: MaintainerGroupMemberDraft {
                group_id: decode::id(T, &row.group_id)?,
                maintainer_id: decode::id(T, &row.maintainer_id)?,
            },
            created_at: decode::utc(row.created_at),
            updated_at: decode::utc(row.updated_at),
        })
    }

    fn filtered(f: &MaintainerGroupMemberFilter) -> Self::Filtered {
        let mut q = maintainer_group_members::table.into_boxed();
        if let Some(group) = f.group_id {
            q = q.filter(maintainer_group_members::group_id.eq(group.to_string()));
        }
        if let Some(maintainer) = f.maintainer_id {
            q = q.filter(maintainer_group_members::maintainer_id.eq(maintainer.to_string()));
        }
        q
    }
}

table_sql!(MaintainerGroupMemberDraft, maintainer_group_members, uuid);
