//! Every repository port of control-hub on PostgreSQL and SQLite, from one code base:
//! diesel's `MultiConnection` over both, an r2d2 pool, embedded migrations per backend.
//!
//! One folder per domain crate it serves: `inventory/` (infra-inventory and capacity-quota),
//! `catalog/` (the Ansible catalogue of ansible-core), `jobs/` (ansible-core's job queue and
//! records), `ai/` (ai-assist's conversations), `connectivity/` (ansible-core's trusted SSH
//! host keys).
//!
//! Where the two dialects must differ (SQLite's `BEGIN IMMEDIATE`, `RETURNING` of integer ids,
//! row locks, PostgreSQL's migration lock) the code says so with one macro, `db_run!`
//! (module `dialect`), and nowhere else matches on the [`AnyConnection`] variant.

mod ai;
mod catalog;
mod connection;
mod connectivity;
pub mod counts;
mod decode;
mod dialect;
mod error;
mod fixed_sql;
mod inventory;
mod jobs;
mod listener;
mod migrate;
mod page;
mod schema;
pub mod secrets;
mod store;
pub mod tokens;

pub use connection::{AnyConnection, Backend, DatabaseUrl};
pub use error::Unavailable;
pub use store::{DieselStore, StoreOptions};

/// Every contract suite runs on both backends, each test on a store of its own: a SQLite file,
/// or a PostgreSQL database (skipped loudly, or failed under `HUB_REQUIRE_POSTGRES=1`, when no
/// server answers).
#[cfg(test)]
mod fixtures {
    pub fn sqlite() -> (hub_testkit::SqliteFile, crate::DieselStore) {
        let file = hub_testkit::SqliteFile::create();
        let url = crate::DatabaseUrl::parse(&file.url).expect("sqlite url");
        let store = crate::DieselStore::open(&url, Some(4)).expect("open sqlite store");
        (file, store)
    }

    pub fn postgres() -> Option<(hub_testkit::PgDatabase, crate::DieselStore)> {
        let db = hub_testkit::PgDatabase::create()?;
        let url = crate::DatabaseUrl::parse(&db.url).expect("postgres url");
        let store = crate::DieselStore::open(&url, Some(4)).expect("open postgres store");
        Some((db, store))
    }
}

/// The contract of the inventory repositories on SQLite.
#[cfg(test)]
mod sqlite_inventory_contract {
    infra_inventory::inventory_contract_tests!({ crate::fixtures::sqlite() });
}

/// The contract of the inventory repositories on PostgreSQL.
#[cfg(test)]
mod postgres_inventory_contract {
    infra_inventory::inventory_contract_tests!({
        let Some(fixture) = crate::fixtures::postgres() else {
            return;
        };
        fixture
    });
}

/// The contract of the catalogue on SQLite.
#[cfg(test)]
mod sqlite_catalog_contract {
    ansible_core::catalog_contract_tests!({ crate::fixtures::sqlite() });
}

/// The contract of the catalogue on PostgreSQL.
#[cfg(test)]
mod postgres_catalog_contract {
    ansible_core::catalog_contract_tests!({
        let Some(fixture) = crate::fixtures::postgres() else {
            return;
        };
        fixture
    });
}

/// The contract of the job store on SQLite.
#[cfg(test)]
mod sqlite_jobs_contract {
    ansible_core::jobs_contract_tests!({ crate::fixtures::sqlite() });
}

/// The contract of the job store on PostgreSQL.
#[cfg(test)]
mod postgres_jobs_contract {
    ansible_core::jobs_contract_tests!({
        let Some(fixture) = crate::fixtures::postgres() else {
            return;
        };
        fixture
    });
}

/// The contract of the conversation store on SQLite.
#[cfg(test)]
mod sqlite_conversation_contract {
    ai_assist::conversation_contract_tests!({ crate::fixtures::sqlite() });
}

/// The contract of the conversation store on PostgreSQL.
#[cfg(test)]
mod postgres_conversation_contract {
    ai_assist::conversation_contract_tests!({
        let Some(fixture) = crate::fixtures::postgres() else {
            return;
        };
        fixture
    });
}

/// The contract of the playbook run recorder on SQLite.
#[cfg(test)]
mod sqlite_run_contract {
    ansible_core::catalog_run_contract_tests!({ crate::fixtures::sqlite() });
}

/// The contract of the playbook run recorder on PostgreSQL.
#[cfg(test)]
mod postgres_run_contract {
    ansible_core::catalog_run_contract_tests!({
        let Some(fixture) = crate::fixtures::postgres() else {
            return;
        };
        fixture
    });
}

/// The contract of the SSH test recorder on SQLite.
#[cfg(test)]
mod sqlite_ssh_test_contract {
    ansible_core::catalog_ssh_contract_tests!({ crate::fixtures::sqlite() });
}

/// The contract of the SSH test recorder on PostgreSQL.
#[cfg(test)]
mod postgres_ssh_test_contract {
    ansible_core::catalog_ssh_contract_tests!({
        let Some(fixture) = crate::fixtures::postgres() else {
            return;
        };
        fixture
    });
}

/// The contract of the known-host store on SQLite.
#[cfg(test)]
mod sqlite_known_hosts_contract {
    ansible_core::known_hosts_contract_tests!({ crate::fixtures::sqlite() });
}

/// The contract of the known-host store on PostgreSQL.
#[cfg(test)]
mod postgres_known_hosts_contract {
    ansible_core::known_hosts_contract_tests!({
        let Some(fixture) = crate::fixtures::postgres() else {
            return;
        };
        fixture
    });
}
