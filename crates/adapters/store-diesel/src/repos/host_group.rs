use super::{insert_int_keyed, stored_repository};
use crate::connection::Db;
use crate::decode;
use crate::schema::host_groups;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use infra_inventory::resources::{HostGroup, HostGroupDraft, StatusFilter};
use infra_inventory::values::{ActiveStatus, Name};
use infra_inventory::{StoreError, Stored};

#[derive(Queryable, Selectable)]
#[diesel(table_name = host_groups)]
struct Row {
    id: i64,
    name: String,
    description: Option<String>,
    status: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = host_groups, treat_none_as_null = true)]
struct Values<'a> {
    name: &'a str,
    description: Option<&'a str>,
    status: &'a str,
    updated_at: NaiveDateTime,
}

fn values(d: &HostGroupDraft, at: DateTime<Utc>) -> Values<'_> {
    Values {
        name: d.name.as_str(),
        description: d.description.as_deref(),
        status: d.status.as_str(),
        updated_at: at.naive_utc(),
    }
}

fn record(row: Row) -> Result<HostGroup, StoreError> {
    const T: &str = "host_groups";
    Ok(Stored {
        id: row.id.into(),
        fields: HostGroupDraft {
            name: decode::field(T, Name::parse("name", &row.name))?,
            description: row.description,
            status: decode::field(T, ActiveStatus::parse("status", Some(&row.status)))?,
        },
        created_at: decode::utc(row.created_at),
        updated_at: decode::utc(row.updated_at),
    })
}

fn filtered(f: &StatusFilter<ActiveStatus>) -> host_groups::BoxedQuery<'static, Db> {
    let mut q = host_groups::table.into_boxed();
    if let Some(status) = f.status {
        q = q.filter(host_groups::status.eq(status.as_str()));
    }
    q
}

stored_repository!(HostGroupDraft, host_groups, Row, insert_int_keyed);
