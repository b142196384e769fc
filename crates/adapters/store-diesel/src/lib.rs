//! Every repository port of control-hub on PostgreSQL and SQLite, from one code base:
//! diesel's `MultiConnection` over both, an r2d2 pool, embedded migrations per backend.
//!
//! One folder per domain crate it serves: `inventory/` (infra-inventory and capacity-quota),
//! `catalog/` (the Ansible catalogue of ansible-core), `jobs/` (ansible-core's job queue and
//! records).
//!
//! Where the two dialects must differ (SQLite's `BEGIN IMMEDIATE`, `RETURNING` of integer ids,
//! row locks, PostgreSQL's migration lock) the code says so with one macro, `db_run!`
//! (module `dialect`), and nowhere else matches on the [`AnyConnection`] variant.

mod catalog;
mod connection;
mod decode;
mod dialect;
mod error;
mod inventory;
mod jobs;
mod migrate;
mod page;
mod schema;
pub mod secrets;
mod store;
pub mod tokens;

pub use connection::{AnyConnection, Backend, DatabaseUrl};
pub use error::Unavailable;
pub use store::{DieselStore, StoreOptions};

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

/// The job store contract on SQLite.
#[cfg(test)]
mod sqlite_jobs_contract {
    ansible_core::jobs_contract_tests!({
        let file = hub_testkit::SqliteFile::create();
        let url = crate::DatabaseUrl::parse(&file.url).expect("sqlite url");
        (
            file,
            crate::DieselStore::open(&url, Some(4)).expect("open sqlite store"),
        )
    });
}

/// The job store contract on PostgreSQL.
#[cfg(test)]
mod postgres_jobs_contract {
    ansible_core::jobs_contract_tests!({
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

/// The playbook run recorder's contract on SQLite.
#[cfg(test)]
mod sqlite_run_contract {
    ansible_core::catalog_run_contract_tests!({
        let file = hub_testkit::SqliteFile::create();
        let url = crate::DatabaseUrl::parse(&file.url).expect("sqlite url");
        (
            file,
            crate::DieselStore::open(&url, Some(4)).expect("open sqlite store"),
        )
    });
}

/// The playbook run recorder's contract on PostgreSQL.
#[cfg(test)]
mod postgres_run_contract {
    ansible_core::catalog_run_contract_tests!({
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
