//! Every repository port of control-hub on PostgreSQL and SQLite, from one code base:
//! diesel's `MultiConnection` over both, an r2d2 pool, embedded migrations per backend.
//!
//! One folder per domain crate it serves: `inventory/` (infra-inventory and capacity-quota),
//! `catalog/` (the Ansible catalogue of ansible-core).
//!
//! Where the two dialects must differ (SQLite's `BEGIN IMMEDIATE`, `RETURNING` of integer ids,
//! PostgreSQL's migration lock) the code matches on the [`AnyConnection`] variant.

/// `INSERT … RETURNING id` of an integer-keyed table: the same SQL on both backends, but
/// diesel types `RETURNING` per backend, so the statement is written once and built twice.
macro_rules! insert_returning_id {
    ($conn:expr, $table:ident, $row:expr) => {
        match $conn {
            $crate::AnyConnection::Postgresql(c) => diesel::insert_into($table::table)
                .values($row)
                .returning($table::id)
                .get_result::<i64>(c),
            $crate::AnyConnection::Sqlite(c) => diesel::insert_into($table::table)
                .values($row)
                .returning($table::id)
                .get_result::<i64>(c),
        }
    };
}
pub(crate) use insert_returning_id;

/// One page of a filtered list, in id (creation) order, and how many rows match in all:
/// `($conn, $filtered, $table, $row, $offset, $limit)` → `QueryResult<(u64, Vec<$row>)>`,
/// where `$filtered` builds the boxed filter query (it is used twice: count and page).
macro_rules! load_page {
    ($conn:expr, $filtered:expr, $table:ident, $row:ty, $offset:expr, $limit:expr) => {
        (|| -> diesel::QueryResult<(u64, Vec<$row>)> {
            let total: i64 = $filtered.count().get_result($conn)?;
            let rows: Vec<$row> = $filtered
                .select(<$row>::as_select())
                .order($table::id.asc())
                .limit(i64::try_from($limit).unwrap_or(i64::MAX))
                .offset(i64::try_from($offset).unwrap_or(i64::MAX))
                .load($conn)?;
            Ok((u64::try_from(total).unwrap_or_default(), rows))
        })()
    };
}
pub(crate) use load_page;

mod catalog;
mod connection;
mod decode;
mod error;
mod inventory;
mod migrate;
mod schema;
mod store;
pub mod tokens;

pub use connection::{AnyConnection, Backend, DatabaseUrl};
pub use error::Unavailable;
pub use store::DieselStore;

/// The repository contract on SQLite, each test on a file of its own.
#[cfg(test)]
mod sqlite_contract {
    infra_inventory::inventory_contract_tests!({
        let file = hub_testkit::SqliteFile::create();
        let url = crate::DatabaseUrl::parse(&file.url).expect("sqlite url");
        let store = crate::DieselStore::open(&url, Some(4)).expect("open sqlite store");
        (file, store)
    });
}

/// The catalogue contract on SQLite.
#[cfg(test)]
mod sqlite_catalog_contract {
    ansible_core::catalog_contract_tests!({
        let file = hub_testkit::SqliteFile::create();
        let url = crate::DatabaseUrl::parse(&file.url).expect("sqlite url");
        (
            file,
            crate::DieselStore::open(&url, Some(4)).expect("open sqlite store"),
        )
    });
}

/// The catalogue contract on PostgreSQL.
#[cfg(test)]
mod postgres_catalog_contract {
    ansible_core::catalog_contract_tests!({
        let Some(db) = hub_testkit::PgDatabase::create() else {
            return;
        };
        let url = crate::DatabaseUrl::parse(&db.url).expect("postgres url");
        (
            db,
            crate::DieselStore::open(&url, Some(4)).expect("open postgres store"),
        )
    });
}

/// The repository contract on PostgreSQL, each test on a database of its own.
#[cfg(test)]
mod postgres_contract {
    infra_inventory::inventory_contract_tests!({
        let Some(db) = hub_testkit::PgDatabase::create() else {
            return;
        };
        let url = crate::DatabaseUrl::parse(&db.url).expect("postgres url");
        let store = crate::DieselStore::open(&url, Some(4)).expect("open postgres store");
        (db, store)
    });
}
