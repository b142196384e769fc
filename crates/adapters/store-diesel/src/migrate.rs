use crate::connection::AnyConnection;
use crate::dialect::db_run;
use diesel::connection::SimpleConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

const POSTGRES: EmbeddedMigrations = embed_migrations!("../../../migrations/postgres");
const SQLITE: EmbeddedMigrations = embed_migrations!("../../../migrations/sqlite");

/// Any fixed number: the advisory lock that keeps two replicas from migrating at once.
const MIGRATION_LOCK: i64 = 0x0063_6f6e_7472_6f6c;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Applies the pending migrations of the connection's backend.
pub(crate) fn run(conn: &mut AnyConnection) -> Result<(), BoxError> {
    db_run!(conn,
        postgres(pg) => {
            pg.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))?;
            let result = pg.run_pending_migrations(POSTGRES).map(|_| ());
            pg.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))?;
            result
        },
        sqlite(lite) => lite.run_pending_migrations(SQLITE).map(|_| ()),
    )
}

/// Whether the database lacks a migration of this binary (readiness).
pub(crate) fn pending(conn: &mut AnyConnection) -> Result<bool, BoxError> {
    db_run!(conn,
        postgres(pg) => pg.has_pending_migration(POSTGRES),
        sqlite(lite) => lite.has_pending_migration(SQLITE),
    )
}
