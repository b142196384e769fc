use super::decode;
use super::table::{StoredTable, table_sql};
use crate::connection::Db;
use crate::schema::maintainers;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use infra_inventory::resources::{Maintainer, MaintainerDraft, StatusFilter};
use infra_inventory::values::{ActiveStatus, Email, Name};
use infra_inventory::{StoreError, Stored};

#[derive(Queryable, Selectable)]
#[diesel(table_name = maintainers)]
pub(crate) struct Row {
    id: String,
    name: String,
    email: String,
    status: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = maintainers)]
pub(crate) struct Values<'a> {
    name: &'a str,
    email: &'a str,
    status: &'a str,
    updated_at: NaiveDateTime,
}

impl StoredTable for MaintainerDraft {
    type Row = Row;
    type Values<'a> = Values<'a>;
    type Filtered = maintainers::BoxedQuery<'static, Db>;

    fn values(&self, at: DateTime<Utc>) -> Values<'_> {
        Values {
            name: self.name.as_str(),
            email: self.email.as_str(),
            status: self.status.as_str(),
            updated_at: at.naive_utc(),
        }
    }

    fn record(row: Row) -> Result<Maintainer, StoreError> {
        const T: &str = "maintainers";
        Ok(Stored {
            id: decode::id(T, &row.id)?,
            fields: MaintainerDraft {
                name: decode::field(T, Name::parse("name", &row.name))?,
                email: decode::field(T, Email::parse("email", &row.email))?,
                status: decode::field(T, ActiveStatus::parse("status", Some(&row.status)))?,
            },
            created_at: decode::utc(row.created_at),
            updated_at: decode::utc(row.updated_at),
        })
    }

    fn filtered(f: &StatusFilter<ActiveStatus>) -> Self::Filtered {
        let mut q = maintainers::table.into_boxed();
        if let Some(status) = f.status {
            q = q.filter(maintainers::status.eq(status.as_str()));
        }
        q
    }
}

table_sql!(MaintainerDraft, maintainers, uuid);
