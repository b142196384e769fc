//! The repository of every stored kind, written once over [`StoredTable`] and [`TableSql`].

use super::decode;
use super::refs::{check_references, delete_error, delete_record, lock_references, write_error};
use super::table::{StoredTable, TableSql};
use crate::connection::AnyConnection;
use crate::error::TxError;
use crate::page::Window;
use crate::store::DieselStore;
use infra_inventory::ports::Repository;
use infra_inventory::{Page, PageRequest, Record, StoreError, Stored};

impl<D: StoredTable + TableSql> Repository<Stored<D>> for DieselStore {
    fn create(&self, draft: &D) -> Result<Stored<D>, StoreError> {
        let at = decode::now();
        self.write(|conn| {
            references_hold::<D>(conn, draft)?;
            D::on_create(conn, draft)?;
            let id = D::insert(conn, draft, at)?;
            Ok(Stored {
                id,
                fields: draft.clone(),
                created_at: at,
                updated_at: at,
            })
        })
        .map_err(|e| write_error::<Stored<D>>(draft, e))
    }

    fn get(&self, id: D::Id) -> Result<Option<Stored<D>>, StoreError> {
        self.read(|conn| Ok(D::row(conn, id)?.map(D::record).transpose()?))
    }

    fn list(&self, filter: &D::Filter, page: PageRequest) -> Result<Page<Stored<D>>, StoreError> {
        let window = Window {
            offset: page.offset(),
            limit: page.limit(),
            after: page.after,
        };
        self.read(|conn| {
            let (total, rows) = D::page(conn, self.counts(), filter, window)?;
            let items = rows
                .into_iter()
                .map(D::record)
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Page { items, total })
        })
    }

    fn update(&self, id: D::Id, draft: &D) -> Result<Option<Stored<D>>, StoreError> {
        self.write(|conn| {
            let Some(created_at) = D::created_at(conn, id)?.map(decode::utc) else {
                return Ok(None);
            };
            references_hold::<D>(conn, draft)?;
            D::on_update(conn, id, draft)?;
            // A clock that stepped back must not date the update before the creation.
            let at = decode::now().max(created_at);
            if !D::overwrite(conn, id, draft, at)? {
                // Deleted by a concurrent transaction since it was found (PostgreSQL reads
                // each statement afresh): there is no record to report.
                return Ok(None);
            }
            Ok(Some(Stored {
                id,
                fields: draft.clone(),
                created_at,
                updated_at: at,
            }))
        })
        .map_err(|e| write_error::<Stored<D>>(draft, e))
    }

    fn delete(&self, id: D::Id) -> Result<bool, StoreError> {
        self.write(|conn| {
            D::on_delete(conn, id)?;
            delete_record(conn, Stored::<D>::record_ref(id))
        })
        .map_err(delete_error)
    }
}

/// Refuses a draft whose references point at nothing, locking what they point at where the
/// table says so ([`StoredTable::LOCKS_REFERENCES`]).
fn references_hold<D: StoredTable>(
    conn: &mut AnyConnection,
    draft: &D,
) -> Result<(), TxError<StoreError>> {
    if D::LOCKS_REFERENCES {
        lock_references(conn, &draft.references())
    } else {
        check_references(conn, &draft.references())
    }
}
