use super::decode;
use super::{insert_uuid_keyed, stored_repository};
use crate::connection::Db;
use crate::schema::vm_specifications;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use infra_inventory::resources::{NoFilter, VmSpecification, VmSpecificationDraft};
use infra_inventory::values::{Name, parse_amount};
use infra_inventory::{StoreError, Stored};

#[derive(Queryable, Selectable)]
#[diesel(table_name = vm_specifications)]
struct Row {
    id: String,
    name: String,
    required_cpu: i64,
    required_memory: i64,
    required_storage: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = vm_specifications)]
struct Values<'a> {
    name: &'a str,
    required_cpu: i64,
    required_memory: i64,
    required_storage: i64,
    updated_at: NaiveDateTime,
}

fn values(d: &VmSpecificationDraft, at: DateTime<Utc>) -> Values<'_> {
    Values {
        name: d.name.as_str(),
        required_cpu: d.required_cpu.get(),
        required_memory: d.required_memory.get(),
        required_storage: d.required_storage.get(),
        updated_at: at.naive_utc(),
    }
}

fn record(row: Row) -> Result<VmSpecification, StoreError> {
    const T: &str = "vm_specifications";
    Ok(Stored {
        id: decode::id(T, &row.id)?,
        fields: VmSpecificationDraft {
            name: decode::field(T, Name::parse("name", &row.name))?,
            required_cpu: decode::field(T, parse_amount("required_cpu", row.required_cpu))?,
            required_memory: decode::field(
                T,
                parse_amount("required_memory", row.required_memory),
            )?,
            required_storage: decode::field(
                T,
                parse_amount("required_storage", row.required_storage),
            )?,
        },
        created_at: decode::utc(row.created_at),
        updated_at: decode::utc(row.updated_at),
    })
}

fn filtered(_: &NoFilter) -> vm_specifications::BoxedQuery<'static, Db> {
    vm_specifications::table.into_boxed()
}

stored_repository!(VmSpecificationDraft, vm_specifications, Row, insert_uuid_keyed, checks: super::placement::SpecChecks);
