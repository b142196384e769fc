//! Test support shared by the crates' test suites.
//!
//! PostgreSQL: [`PgDatabase::create`] makes a database of its own for one test on the server
//! at `HUB_TEST_DATABASE_URL`, else on `postgres://postgres@127.0.0.1:5432/postgres`, and drops
//! it afterwards, cloned (`CREATE DATABASE … TEMPLATE`) from a template database that holds every
//! migration of `migrations/postgres`, so a test does not migrate from nothing; the template is
//! named after a hash of the migrations and kept between runs. Where no server answers, the test is skipped with a loud line on stderr;
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
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// The store's PostgreSQL migrations, applied as its own runner applies them (same
/// `__diesel_schema_migrations` rows), so a store opening a clone finds nothing pending.
const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");
/// The same migrations on disk, hashed to name the template.
const MIGRATIONS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations/postgres");
/// Any fixed number: the advisory lock that keeps two test processes from building the
/// template at once.
const TEMPLATE_LOCK: i64 = 0x0068_7562_5f74_706c;

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

/// A hash of every file under `dir` (relative paths and contents, in path order).
fn hash_tree(dir: &Path) -> Result<String, String> {
    fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) -> Result<(), String> {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
            if path.is_dir() {
                walk(&path, files)?;
            } else {
                files.push(path);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, &mut files)?;
    files.sort();
    let mut hasher = Sha256::new();
    for file in files {
        let relative = file.strip_prefix(dir).unwrap_or(&file);
        let contents = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        hasher.update(relative.to_string_lossy().as_bytes());
        hasher.update([0]);
        hasher.update((contents.len() as u64).to_le_bytes());
        hasher.update(&contents);
    }
    Ok(hex::encode(&hasher.finalize()[..8]))
}

/// The name of the migrated template database, built once per server and migration set; the
/// first call of a test process makes sure it exists.
fn template(admin: &str) -> Result<String, String> {
    static TEMPLATE: OnceLock<Result<String, String>> = OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            let name = format!("hub_template_{}", hash_tree(Path::new(MIGRATIONS_DIR))?);
            let mut conn = PgConnection::establish(admin).map_err(|e| e.to_string())?;
            diesel::sql_query(format!("SELECT pg_advisory_lock({TEMPLATE_LOCK})"))
                .execute(&mut conn)
                .map_err(|e| e.to_string())?;
            let built = build_template(&mut conn, admin, &name);
            let unlocked = diesel::sql_query(format!("SELECT pg_advisory_unlock({TEMPLATE_LOCK})"))
                .execute(&mut conn)
                .map_err(|e| e.to_string());
            built.and(unlocked).map(|_| name)
        })
        .clone()
}

/// Makes the template `name` unless it exists: migrated under a temporary name, marked a
/// template, then renamed, so the name never shows a half-built database. Holds the lock.
fn build_template(conn: &mut PgConnection, admin: &str, name: &str) -> Result<(), String> {
    let sql = |conn: &mut PgConnection, sql: String| {
        diesel::sql_query(sql)
            .execute(conn)
            .map_err(|e| e.to_string())
    };
    let exists: i64 = diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
        "SELECT count(*) FROM pg_database WHERE datname = '{name}'"
    ))
    .get_result(conn)
    .map_err(|e| e.to_string())?;
    if exists > 0 {
        return Ok(());
    }
    // A leftover of a process that died building it (the name is ours under the lock).
    let building = format!("{name}_building");
    sql(
        conn,
        format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"),
    )?;
    sql(conn, format!("CREATE DATABASE {building}"))?;
    {
        // Closed at the end of the block: cloning needs no session on the template.
        let mut db =
            PgConnection::establish(&with_database(admin, &building)).map_err(|e| e.to_string())?;
        db.run_pending_migrations(MIGRATIONS)
            .map_err(|e| format!("migrating the template: {e}"))?;
    }
    sql(conn, format!("ALTER DATABASE {building} IS_TEMPLATE true"))?;
    sql(conn, format!("ALTER DATABASE {building} RENAME TO {name}"))?;
    Ok(())
}

/// A PostgreSQL database that exists for one test and is dropped with this value.
#[derive(Debug)]
pub struct PgDatabase {
    pub url: String,
    name: String,
    admin: String,
}

impl PgDatabase {
    /// A new database holding every migration (a clone of the template), or `None` (after the
    /// loud skip line) when no server answers. A store opening it finds nothing pending.
    pub fn create() -> Option<Self> {
        Self::make(true)
    }

    /// A new empty database, not migrated (for tests of migrating itself), or `None` (after
    /// the loud skip line) when no server answers.
    pub fn create_empty() -> Option<Self> {
        Self::make(false)
    }

    fn make(migrated: bool) -> Option<Self> {
        let admin = match admin_url() {
            Ok(url) => url,
            Err(why) => {
                unavailable("HUB_REQUIRE_POSTGRES", "PostgreSQL", &why);
                return None;
            }
        };
        let from = if migrated {
            let template =
                template(&admin).unwrap_or_else(|e| panic!("the template database: {e}"));
            format!(" TEMPLATE {template}")
        } else {
            String::new()
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
        diesel::sql_query(format!("CREATE DATABASE {name}{from}"))
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
    fn a_database_is_a_migrated_clone_unless_asked_empty() {
        let Some(migrated) = PgDatabase::create() else {
            return;
        };
        let mut conn = PgConnection::establish(&migrated.url).expect("the clone opens");
        assert!(!conn.has_pending_migration(MIGRATIONS).expect("pending"));
        drop(conn);
        let empty = PgDatabase::create_empty().expect("the server answered a moment ago");
        let mut conn = PgConnection::establish(&empty.url).expect("the empty database opens");
        assert!(conn.applied_migrations().expect("applied").is_empty());
    }

    #[test]
    fn the_migrations_hash_is_stable() {
        let dir = Path::new(MIGRATIONS_DIR);
        assert_eq!(hash_tree(dir).expect("hash"), hash_tree(dir).expect("hash"));
        assert_eq!(hash_tree(dir).expect("hash").len(), 16);
    }

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
