//! A fresh store on each backend, and a way around it: raw SQL on the same database, for rows
//! that the store's own rules would refuse today but older data may hold.
#![allow(dead_code)]

use diesel::sql_types::BigInt;
use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};
use store_diesel::{DatabaseUrl, DieselStore};

/// A store on a database of its own, and how to reach that database without the store.
pub struct Fresh {
    pub store: DieselStore,
    target: Target,
    _guard: Box<dyn std::any::Any>,
}

enum Target {
    Sqlite(String),
    Postgres(String),
}

impl Fresh {
    pub fn sqlite() -> Self {
        let file = hub_testkit::SqliteFile::create();
        let store = open(&file.url);
        let path = file
            .url
            .strip_prefix("sqlite://")
            .expect("a sqlite:// URL")
            .to_owned();
        Self {
            store,
            target: Target::Sqlite(path),
            _guard: Box::new(file),
        }
    }

    /// `None` (after the loud skip line) when no PostgreSQL answers and none is required.
    pub fn postgres() -> Option<Self> {
        let db = hub_testkit::PgDatabase::create()?;
        let store = open(&db.url);
        let url = db.url.clone();
        Some(Self {
            store,
            target: Target::Postgres(url),
            _guard: Box::new(db),
        })
    }

    /// Runs `sql` (one statement) on the store's database, outside the store.
    pub fn raw(&self, sql: &str) {
        match &self.target {
            Target::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(path).expect("sqlite opens");
                diesel::sql_query(sql)
                    .execute(&mut conn)
                    .unwrap_or_else(|e| panic!("raw SQL on SQLite: {e}"));
            }
            Target::Postgres(url) => {
                hub_testkit::execute_sql(url, sql)
                    .unwrap_or_else(|e| panic!("raw SQL on PostgreSQL: {e}"));
            }
        }
    }
}

impl Fresh {
    /// The number one `SELECT COUNT(*) …` reads on the store's database, outside the store.
    pub fn count(&self, sql: &str) -> i64 {
        let query = diesel::dsl::sql::<BigInt>(sql);
        match &self.target {
            Target::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(path).expect("sqlite opens");
                query.get_result(&mut conn).expect("a count on SQLite")
            }
            Target::Postgres(url) => {
                let mut conn = PgConnection::establish(url).expect("postgres opens");
                query.get_result(&mut conn).expect("a count on PostgreSQL")
            }
        }
    }
}

fn open(url: &str) -> DieselStore {
    DieselStore::open(&DatabaseUrl::parse(url).expect("test URL"), Some(8)).expect("store opens")
}

/// A small store on `url` sealing with `key`, or why it would not open.
pub fn open_keyed(
    url: &str,
    key: &store_diesel::secrets::SecretKey,
) -> Result<DieselStore, String> {
    let options = store_diesel::StoreOptions {
        pool_size: Some(2),
        secret_key: Some(key.clone()),
        ..store_diesel::StoreOptions::default()
    };
    DieselStore::open_with(&DatabaseUrl::parse(url).expect("test URL"), options)
        .map_err(|e| e.to_string())
}

/// Defines a test that runs once on SQLite and once on PostgreSQL, each on a fresh store.
#[macro_export]
macro_rules! on_both_stores {
    ($name:ident, |$fresh:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[test]
            fn sqlite() {
                let $fresh = $crate::support::Fresh::sqlite();
                $body
            }

            #[test]
            fn postgres() {
                let Some($fresh) = $crate::support::Fresh::postgres() else {
                    return;
                };
                $body
            }
        }
    };
}
