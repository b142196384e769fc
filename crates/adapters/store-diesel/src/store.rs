use crate::connection::{AnyConnection, Backend, DatabaseUrl, Manager, is_lost};
use crate::counts::CountCache;
use crate::dialect::db_run;
use crate::error::{TxError, Unavailable};
use crate::migrate;
use crate::secrets::{self, Sealer, SecretKey};
use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::r2d2::{Pool, PooledConnection};
use std::time::Duration;

/// How often a write transaction is retried after a serialization failure or lock timeout.
const MAX_RETRIES: u32 = 5;

/// How a store is opened.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Connections in the pool; `None` sizes it from the cores.
    pub pool_size: Option<u32>,
    /// How long a call waits for a connection (and a new PostgreSQL connection may take to
    /// open) before the store counts as unavailable: an outage is a prompt error, not a hang.
    pub connect_timeout: Duration,
    /// The key stored secrets are sealed with. `None` makes a fresh one, which suits a
    /// database that lives as long as the process (tests, embeddings); a store whose database
    /// already holds secrets under another key refuses to open, it never reads garbage.
    pub secret_key: Option<SecretKey>,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            pool_size: None,
            connect_timeout: Duration::from_secs(2),
            secret_key: None,
        }
    }
}

/// The readiness probe waits at most this long, whatever the connect timeout.
const READY_WITHIN: Duration = Duration::from_millis(1500);

/// Every domain's repositories on PostgreSQL or SQLite. Clones share the pool.
#[derive(Clone)]
pub struct DieselStore {
    pool: Pool<Manager>,
    backend: Backend,
    sealer: Sealer,
    /// Where and how a connection of its own opens (the job queue's listener).
    url: DatabaseUrl,
    connect_timeout: Duration,
    /// Lists' counts, kept until a write commits or briefly (`counts`).
    counts: std::sync::Arc<CountCache>,
}

impl std::fmt::Debug for DieselStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DieselStore")
            .field("backend", &self.backend)
            .field("pool", &self.pool.state())
            .finish()
    }
}

impl DieselStore {
    /// Opens a pool on `url` and brings the schema up to date. A SQLite file and its directory
    /// are created when missing. `pool_size` of `None` sizes the pool from the cores.
    pub fn open(url: &DatabaseUrl, pool_size: Option<u32>) -> Result<Self, Unavailable> {
        Self::open_with(
            url,
            StoreOptions {
                pool_size,
                ..StoreOptions::default()
            },
        )
    }

    /// [`Self::open`] with every option.
    pub fn open_with(url: &DatabaseUrl, options: StoreOptions) -> Result<Self, Unavailable> {
        if let DatabaseUrl::Sqlite(path) = url
            && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| Unavailable(format!("creating {}: {e}", dir.display())))?;
        }
        let size = options.pool_size.unwrap_or_else(default_pool_size);
        let pool = Pool::builder()
            .max_size(size)
            // No connection is opened in the background to keep one idle: a command that
            // exits right after its work (`control-hub token create`) would exit while that
            // connect is inside libpq's TLS, and OpenSSL's exit handlers then crash it
            // (SIGSEGV, about one run in twenty). The pool still keeps what it opened, until
            // idle for its idle timeout.
            .min_idle(Some(0))
            // No `SELECT 1` before every call: a lost connection is told by its error, and
            // the call is run again on another one (`read`, `write`).
            .test_on_check_out(false)
            .connection_timeout(options.connect_timeout)
            .build(Manager {
                url: url.clone(),
                connect_timeout: options.connect_timeout,
            })
            .map_err(|e| Unavailable(format!("connecting to {}: {e}", url.redacted())))?;
        let key = options.secret_key.unwrap_or_else(SecretKey::generate);
        let store = Self {
            pool,
            backend: url.backend(),
            sealer: Sealer::new(&key),
            url: url.clone(),
            connect_timeout: options.connect_timeout,
            counts: std::sync::Arc::default(),
        };
        let mut conn = store.conn()?;
        migrate::run(&mut conn).map_err(Unavailable::new)?;
        drop(conn);
        // One transaction: the key is the database's, and rows written before sealing and
        // folding existed are sealed and folded, before anything reads them.
        let key_id = key.id();
        let (sealed, folded) = store
            .write(|conn| {
                secrets::check_key(conn, &store.sealer, &key_id)?;
                Ok((
                    secrets::seal_plaintext(conn, &store.sealer)?,
                    crate::catalog::fold::backfill(conn)?,
                ))
            })
            .map_err(TxError::into_domain)?;
        if sealed + folded > 0 {
            tracing::info!(
                sealed,
                folded,
                "sealed and folded rows written before this version"
            );
        }
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub(crate) fn sealer(&self) -> &Sealer {
        &self.sealer
    }

    pub(crate) fn counts(&self) -> &CountCache {
        &self.counts
    }

    pub(crate) fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    pub(crate) fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// Re-seals every stored secret with `new` in one transaction and returns how many rows
    /// it re-sealed. Every server on this database must be stopped meanwhile and restarted
    /// with `new`: one still running keeps sealing with the old key.
    pub fn rotate_secret_key(&self, new: &SecretKey) -> Result<usize, Unavailable> {
        self.write(|conn| secrets::reseal(conn, &self.sealer, new))
            .map_err(TxError::into_domain)
    }

    /// Whether the store can serve: a connection answers within [`READY_WITHIN`] and every
    /// migration this binary knows is applied (a database re-created empty is not ready).
    pub fn readiness(&self) -> Result<(), Unavailable> {
        let wait = READY_WITHIN.min(self.pool.connection_timeout());
        let pending = self.read_within(wait, |conn| {
            migrate::pending(conn).map_err(|e| match e.downcast::<diesel::result::Error>() {
                // A database error: a lost connection is tried again on another.
                Ok(db) => TxError::Db(*db),
                Err(other) => TxError::Unavailable(Unavailable::new(other)),
            })
        })?;
        if pending {
            return Err(Unavailable(
                "the database schema is not current: run `control-hub migrate` or restart"
                    .to_owned(),
            ));
        }
        Ok(())
    }

    /// The pool's connections, `(open, idle)`: what the metrics report.
    pub fn pool_state(&self) -> (u32, u32) {
        let state = self.pool.state();
        (state.connections, state.idle_connections)
    }

    pub(crate) fn conn(&self) -> Result<PooledConnection<Manager>, Unavailable> {
        self.pool
            .get()
            .map_err(|e| Unavailable(format!("no database connection: {e}")))
    }

    /// How many lost connections one call may meet before it gives up: every pooled
    /// connection may have been closed at once (a database restart), and each is dropped
    /// when it fails, so the last try opens a fresh one.
    fn lost_retries(&self) -> u32 {
        self.pool.max_size()
    }

    /// Runs a read on a pooled connection, again on another one when the connection turns
    /// out lost (a read changes nothing, so running it again is safe). A database failure
    /// is the store being unavailable in the domain's terms; a read has no constraint to
    /// violate.
    pub(crate) fn read<T, E: From<Unavailable>>(
        &self,
        op: impl FnMut(&mut AnyConnection) -> Result<T, TxError<E>>,
    ) -> Result<T, E> {
        self.read_within(self.pool.connection_timeout(), op)
    }

    /// [`Self::read`], with every connection it waits for, retries included, had within
    /// `wait` (after that the store counts as unavailable).
    fn read_within<T, E: From<Unavailable>>(
        &self,
        wait: Duration,
        mut op: impl FnMut(&mut AnyConnection) -> Result<T, TxError<E>>,
    ) -> Result<T, E> {
        let until = std::time::Instant::now() + wait;
        let mut lost = 0;
        loop {
            let left = until.saturating_duration_since(std::time::Instant::now());
            let mut conn = self
                .pool
                .get_timeout(left)
                .map_err(|e| Unavailable(format!("no database connection within {wait:?}: {e}")))?;
            match op(&mut conn) {
                Err(TxError::Db(e)) if is_lost(&e) => {
                    conn.lost = true;
                    lost += 1;
                    if lost > self.lost_retries() || left.is_zero() {
                        return Err(Unavailable::new(e).into());
                    }
                }
                result => return result.map_err(TxError::into_domain),
            }
        }
    }

    /// Runs `op` in a write transaction, again after a serialization failure or lock timeout
    /// (a few times, with a growing pause), and on another connection when the one it got
    /// was lost before the transaction began. A connection lost once the transaction began
    /// is not retried: the commit may have happened. Errors come back unclassified, for the
    /// caller that knows what was written.
    pub(crate) fn write<T, E>(
        &self,
        mut op: impl FnMut(&mut AnyConnection) -> Result<T, TxError<E>>,
    ) -> Result<T, TxError<E>> {
        let mut conn = self.conn()?;
        let (mut attempt, mut lost) = (0, 0);
        loop {
            match in_write_transaction(&mut conn, &mut op) {
                Err(Attempt::NotBegun(e)) if is_lost(&e) && lost < self.lost_retries() => {
                    conn.lost = true;
                    lost += 1;
                    conn = self.conn()?;
                }
                Err(Attempt::NotBegun(e)) => {
                    conn.lost = is_lost(&e);
                    return Err(TxError::Db(e));
                }
                Err(Attempt::Failed(e)) if attempt < MAX_RETRIES && e.is_retryable() => {
                    attempt += 1;
                    std::thread::sleep(Duration::from_millis(u64::from(attempt) * 7));
                }
                Err(Attempt::Failed(e)) => {
                    conn.lost = matches!(&e, TxError::Db(db) if is_lost(db));
                    return Err(e);
                }
                Ok(value) => {
                    self.counts.written();
                    return Ok(value);
                }
            }
        }
    }
}

/// How a write transaction did not succeed.
enum Attempt<E> {
    /// `BEGIN` failed: nothing ran.
    NotBegun(diesel::result::Error),
    /// The operation or its commit failed; the transaction was rolled back (or the
    /// connection is lost, and with it the transaction).
    Failed(TxError<E>),
}

/// Connections per pool: four per core, within 4..=32. Requests hold one only for their
/// queries, so a small pool serves many clients.
fn default_pool_size() -> u32 {
    // More cores than u32 holds would clamp to 32 all the same.
    u32::try_from(num_cpus::get().saturating_mul(4))
        .unwrap_or(32)
        .clamp(4, 32)
}

/// One write transaction. On SQLite it begins `IMMEDIATE`, taking the write lock up front,
/// so that its reads and its writes see one state and no other writer can slip between
/// them; on PostgreSQL rows are locked where the operation needs it. `op` runs on the
/// `AnyConnection`, whose transaction state is the inner connection's.
fn in_write_transaction<T, E>(
    conn: &mut AnyConnection,
    op: &mut impl FnMut(&mut AnyConnection) -> Result<T, TxError<E>>,
) -> Result<T, Attempt<E>> {
    db_run!(conn,
        postgres(pg) => AnsiTransactionManager::begin_transaction_sql(pg, "BEGIN"),
        sqlite(lite) => AnsiTransactionManager::begin_transaction_sql(lite, "BEGIN IMMEDIATE"),
    )
    .map_err(Attempt::NotBegun)?;
    match op(conn) {
        Ok(value) => {
            db_run!(conn, any(c) => AnsiTransactionManager::commit_transaction(c))
                .map_err(|e| Attempt::Failed(TxError::Db(e)))?;
            Ok(value)
        }
        Err(e) => {
            // The rollback's own failure would hide the cause; the pool drops a broken
            // connection either way.
            let _ = db_run!(conn, any(c) => AnsiTransactionManager::rollback_transaction(c));
            Err(Attempt::Failed(e))
        }
    }
}
