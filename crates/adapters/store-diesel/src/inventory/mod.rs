//! The infrastructure inventory (crate `infra_inventory`) on both backends.
//!
//! One module per table: its row types, how a draft becomes column values, how a row becomes
//! a record, and its list filter. The CRUD skeleton shared by UUID-keyed tables is
//! [`uuid_repository!`]; integer-keyed tables and hosts write theirs out.

mod decode;
mod error;
mod host;
mod k8s_cluster;
mod maintainer;
mod maintainer_group;
mod maintainer_group_member;
mod named;
mod placement;
mod quota;
pub(crate) mod refs;
mod resource_maintainer;
mod virtual_machine;
mod vm_specification;

use crate::error::TxError;
use crate::store::DieselStore;
use error::unavailable;
use infra_inventory::StoreError;
use infra_inventory::ports::InventoryStore;

impl InventoryStore for DieselStore {
    fn ping(&self) -> Result<(), StoreError> {
        use diesel::connection::SimpleConnection;
        self.conn()?.batch_execute("SELECT 1").map_err(unavailable)
    }
}

/// An id as its table's primary key column holds it: UUIDs as text, integers as they are.
pub(crate) trait DbKey {
    type Key;
    fn db_key(self) -> Self::Key;
}

macro_rules! db_keys {
    ($key:ty: $($id:ty),*) => {$(
        impl DbKey for $id {
            type Key = $key;
            fn db_key(self) -> $key {
                self.0.into()
            }
        }
    )*};
}

use infra_inventory::ids::*;
db_keys!(String: MaintainerId, MaintainerGroupId, MaintainerGroupMemberId, ResourceMaintainerId, HostId,
    VirtualMachineId, VmSpecificationId, K8sClusterId, QuotaId);
db_keys!(i64: HostGroupId, TenantId);

/// Inserts a row of a table keyed by a UUID the store generates.
macro_rules! insert_uuid_keyed {
    ($table:ident, $conn:ident, $draft:ident, $at:ident, $id_type:ty) => {{
        use crate::inventory::DbKey as _;
        use infra_inventory::RecordId as _;
        let id = <$id_type>::generate(0);
        diesel::insert_into($table::table)
            .values((
                $table::id.eq(id.db_key()),
                $table::created_at.eq($at.naive_utc()),
                values($draft, $at),
            ))
            .execute($conn)?;
        id
    }};
}

/// Inserts a row of a table keyed by a database sequence and reads the id back.
macro_rules! insert_int_keyed {
    ($table:ident, $conn:ident, $draft:ident, $at:ident, $id_type:ty) => {{
        let row = ($table::created_at.eq($at.naive_utc()), values($draft, $at));
        // diesel types RETURNING per backend: the same statement, built for each.
        let id: i64 = crate::dialect::db_run!($conn, any(c) => diesel::insert_into($table::table)
            .values(row)
            .returning($table::id)
            .get_result(c))?;
        <$id_type>::from(id)
    }};
}

pub(crate) use {insert_int_keyed, insert_uuid_keyed};

/// Implements `Repository<Stored<$draft>>` for a table. `$insert` is [`insert_uuid_keyed`] or
/// [`insert_int_keyed`]. The invoking module provides `values(&draft, at)` (Insertable +
/// AsChangeset of every column but id and created_at), `record(row)` and `filtered(&filter)`
/// (a boxed query).
macro_rules! stored_repository {
    ($draft:ty, $table:ident, $row:ty, $insert:ident) => {
        stored_repository!($draft, $table, $row, $insert, checks: crate::inventory::NoChecks);
    };
    ($draft:ty, $table:ident, $row:ty, $insert:ident, checks: $checks:ty) => {
        impl infra_inventory::ports::Repository<infra_inventory::Stored<$draft>>
            for crate::DieselStore
        {
            fn create(
                &self,
                draft: &$draft,
            ) -> Result<infra_inventory::Stored<$draft>, infra_inventory::StoreError> {
                use infra_inventory::Draft as _;
                let at = crate::inventory::decode::now();
                self.write(|conn| {
                    crate::inventory::refs::check_references(conn, &draft.references())?;
                    <$checks as crate::inventory::WriteChecks<$draft>>::on_create(conn, draft)?;
                    let id = $insert!(
                        $table,
                        conn,
                        draft,
                        at,
                        <$draft as infra_inventory::Draft>::Id
                    );
                    Ok(infra_inventory::Stored {
                        id,
                        fields: draft.clone(),
                        created_at: at,
                        updated_at: at,
                    })
                })
                .map_err(|e| crate::inventory::refs::write_error::<infra_inventory::Stored<$draft>>(draft, e))
            }

            fn get(
                &self,
                id: <$draft as infra_inventory::Draft>::Id,
            ) -> Result<Option<infra_inventory::Stored<$draft>>, infra_inventory::StoreError> {
                use $crate::inventory::DbKey as _;
                self.read(|conn| {
                    let row: Option<$row> = $table::table
                        .find(id.db_key())
                        .select(<$row>::as_select())
                        .first(conn)
                        .optional()?;
                    Ok(row.map(record).transpose()?)
                })
            }

            fn list(
                &self,
                filter: &<$draft as infra_inventory::Draft>::Filter,
                page: infra_inventory::PageRequest,
            ) -> Result<
                infra_inventory::Page<infra_inventory::Stored<$draft>>,
                infra_inventory::StoreError,
            > {
                self.read(|conn| {
                    let window = crate::page::Window { offset: page.offset(), limit: page.limit() };
                    let (total, rows): (u64, Vec<$row>) =
                        crate::page::load_page(conn, || filtered(filter), <$row>::as_select(), $table::id.asc(), window)?;
                    let items = rows
                        .into_iter()
                        .map(record)
                        .collect::<Result<Vec<_>, _>>()?;
                    Ok(infra_inventory::Page {
                        items,
                        total,
                    })
                })
            }

            fn update(
                &self,
                id: <$draft as infra_inventory::Draft>::Id,
                draft: &$draft,
            ) -> Result<Option<infra_inventory::Stored<$draft>>, infra_inventory::StoreError> {
                use infra_inventory::Draft as _;
                use $crate::inventory::DbKey as _;
                self.write(|conn| {
                    let created: Option<chrono::NaiveDateTime> = $table::table
                        .find(id.db_key())
                        .select($table::created_at)
                        .first(conn)
                        .optional()?;
                    let Some(created_at) = created.map(crate::inventory::decode::utc) else {
                        return Ok(None);
                    };
                    crate::inventory::refs::check_references(conn, &draft.references())?;
                    <$checks as crate::inventory::WriteChecks<$draft>>::on_update(conn, id, draft)?;
                    let at = crate::inventory::decode::now().max(created_at);
                    diesel::update($table::table.find(id.db_key()))
                        .set(values(draft, at))
                        .execute(conn)?;
                    Ok(Some(infra_inventory::Stored {
                        id,
                        fields: draft.clone(),
                        created_at,
                        updated_at: at,
                    }))
                })
                .map_err(|e| crate::inventory::refs::write_error::<infra_inventory::Stored<$draft>>(draft, e))
            }

            fn delete(
                &self,
                id: <$draft as infra_inventory::Draft>::Id,
            ) -> Result<bool, infra_inventory::StoreError> {
                use infra_inventory::Record as _;
                let target = infra_inventory::Stored::<$draft>::record_ref(id);
                self.write(|conn| {
                    <$checks as crate::inventory::WriteChecks<$draft>>::on_delete(conn, id)?;
                    crate::inventory::refs::delete_record(conn, target)
                })
                .map_err(crate::inventory::refs::delete_error)
            }
        }
    };
}

pub(crate) use stored_repository;

/// Rules of a table that a write must pass inside its transaction, beyond references and
/// unique keys; run after the references are checked.
pub(crate) trait WriteChecks<D: infra_inventory::Draft> {
    fn on_create(_conn: &mut crate::AnyConnection, _draft: &D) -> Result<(), TxError<StoreError>> {
        Ok(())
    }

    fn on_update(
        _conn: &mut crate::AnyConnection,
        _id: D::Id,
        _draft: &D,
    ) -> Result<(), TxError<StoreError>> {
        Ok(())
    }

    fn on_delete(_conn: &mut crate::AnyConnection, _id: D::Id) -> Result<(), TxError<StoreError>> {
        Ok(())
    }
}

/// The checks of a table that has none.
pub(crate) struct NoChecks;

impl<D: infra_inventory::Draft> WriteChecks<D> for NoChecks {}
