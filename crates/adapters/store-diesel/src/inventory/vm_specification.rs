use super::decode;
use super::placement;
use super::table::{StoredTable, table_sql};
use crate::connection::{AnyConnection, Db};
use crate::error::TxError;
use crate::schema::vm_specifications;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use infra_inventory::resources::{NoFilter, VmSpecification, VmSpecificationDraft};
use infra_inventory::values::{Name, parse_amount};
use infra_inventory::{StoreError, Stored};

#[derive(Queryable, Selectable)]
#[diesel(table_name = vm_specifications)]
pub(crate) struct Row {
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
pub(crate) struct Values<'a> {
    name: &'a str,
    required_cpu: i64,
    required_memory: i64,
    required_storage: i64,
    updated_at: NaiveDateTime,
}

impl StoredTable for VmSpecificationDraft {
    type Row = Row;
    type Values<'a> = Values<'a>;
    type Filtered = vm_specifications::BoxedQuery<'static, Db>;

    fn values(&self, at: DateTime<Utc>) -> Values<'_> {
        Values {
            name: self.name.as_str(),
            required_cpu: self.required_cpu.get(),
            required_memory: self.required_memory.get(),
            required_storage: self.required_storage.get(),
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

    fn filtered(_: &NoFilter) -> Self::Filtered {
        vm_specifications::table.into_boxed()
    }

    fn on_update(
        conn: &mut AnyConnection,
        id: Self::Id,
        draft: &Self,
    ) -> Result<(), TxError<StoreError>> {
        placement::spec_may_be_rewritten(conn, id, draft)
    }
}

table_sql!(VmSpecificationDraft, vm_specifications, uuid);
