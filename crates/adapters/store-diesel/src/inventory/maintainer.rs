use super::decode;
use super::{insert_uuid_keyed, stored_repository};
use crate::connection::Db;
use crate::schema::maintainers;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use infra_inventory::resources::{Maintainer, MaintainerDraft, StatusFilter};
use infra_inventory::values::{ActiveStatus, Email, Name};
use infra_inventory::{StoreError, Stored};

#[derive(Queryable, Selectable)]
#[diesel(table_name = maintainers)]
struct Row {
    id: String,
    name: String,
    email: String,
    status: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = maintainers)]
struct Values<'a> {
    name: &'a str,
    email: &'a str,
    status: &'a str,
    updated_at: NaiveDateTime,
}

fn values(d: &MaintainerDraft, at: DateTime<Utc>) -> Values<'_> {
    Values {
        name: d.name.as_str(),
        email: d.email.as_str(),
        status: d.status.as_str(),
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

fn filtered(f: &StatusFilter<ActiveStatus>) -> maintainers::BoxedQuery<'static, Db> {
    let mut q = maintainers::table.into_boxed();
    if let Some(status) = f.status {
        q = q.filter(maintainers::status.eq(status.as_str()));
    }
    q
}

stored_repository!(MaintainerDraft, maintainers, Row, insert_uuid_keyed);
