//! Test support shared by the crates' test suites.
//!
//! PostgreSQL: [`PgDatabase::create`] makes a database of its own for one test on the server
//! at `HUB_TEST_DATABASE_URL`, else on `postgres://postgres@127.0.0.1:5432/postgres`, and drops
//! it afterwards. Where no server answers, the test is skipped with a loud line on stderr;
//! with `HUB_REQUIRE_POSTGRES=1` (CI) the test fails instead. [`sshd`] starts throwaway OpenSSH
//! servers the same way (`HUB_REQUIRE_SSHD=1`).
#![allow(clippy::print_stdout)]

pub mod contract_cases;
pub mod fake_llm;
pub mod local_model;
pub mod skip;
pub mod sshd;

pub use skip::{required, unavailable};

use diesel::{Connection, PgConnection, RunQueryDsl};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// The admin URL of a reachable server, found once per test process.
fn admin_url() -> Result<String, String> {
    static ADMIN: OnceLock<Result<String, String>> = OnceLock::new();
    ADMIN
        .get_or_init(|| {
            let url = std::env::var("HUB_TEST_DATABASE_URL")
                .unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_owned());
            PgConnection::establish(&url)
                .map(|_| url)
                .map_err(|e| e.to_string())
        })
        .clone()
}

/// Replaces the database name (the URL's path) in a PostgreSQL URL.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    format!("{}/{name}{query}", &base[..path_start])
}

/// A PostgreSQL database that exists for one test and is dropped with this value.
#[derive(Debug)]
pub struct PgDatabase {
    pub url: String,
    name: String,
    admin: String,
}

impl PgDatabase {
    /// A new empty database, or `None` (after the loud skip line) when no server answers.
    pub fn create() -> Option<Self> {
        let admin = match admin_url() {
            Ok(url) => url,
            Err(why) => {
                unavailable("HUB_REQUIRE_POSTGRES", "PostgreSQL", &why);
                return None;
            }
        };
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "hub_test_{}_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            uuid::Uuid::now_v7().simple()
        );
        let mut conn = PgConnection::establish(&admin)
            .unwrap_or_else(|e| panic!("connecting to PostgreSQL: {e}"));
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .unwrap_or_else(|e| panic!("creating test database: {e}"));
        Some(Self {
            url: with_database(&admin, &name),
            name,
            admin,
        })
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        // Best effort: a database left behind by a crash has a unique name and harms nothing.
        if let Ok(mut conn) = PgConnection::establish(&self.admin) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut conn);
        }
    }
}

/// A directory for one test's SQLite file; removed with this value.
#[derive(Debug)]
pub struct SqliteFile {
    pub url: String,
    _dir: tempfile::TempDir,
}

impl SqliteFile {
    pub fn create() -> Self {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let url = format!("sqlite://{}", dir.path().join("hub.db").display());
        Self { url, _dir: dir }
    }
}

/// Runs `sql` on the database at `url` (a fault injector for tests).
pub fn execute_sql(url: &str, sql: &str) -> Result<usize, String> {
    let mut conn = PgConnection::establish(url).map_err(|e| e.to_string())?;
    diesel::sql_query(sql)
        .execute(&mut conn)
        .map_err(|e| e.to_string())
}

/// The names of the test databases that exist now; lets a test check clean-up.
pub fn test_databases() -> Result<Vec<String>, String> {
    let mut conn = PgConnection::establish(&admin_url()?).map_err(|e| e.to_string())?;
    diesel::dsl::sql::<diesel::sql_types::Text>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'hub_test_%'",
    )
    .load(&mut conn)
    .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_name_is_replaced_keeping_the_rest() {
        assert_eq!(
            with_database("postgres://u:p@h:5/postgres", "x"),
            "postgres://u:p@h:5/x"
        );
        assert_eq!(
            with_database("postgres://h/db?sslmode=disable", "x"),
            "postgres://h/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
    }
}
