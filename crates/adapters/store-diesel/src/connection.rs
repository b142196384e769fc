use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::ManageConnection;
use std::fmt;
use std::path::PathBuf;

/// A connection to either store. Queries written once against it run on both.
// The inner connections implement no Debug, and a connection has nothing worth printing.
#[allow(missing_debug_implementations)]
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

/// The backend type of [`AnyConnection`], for boxed queries.
pub(crate) type Db = <AnyConnection as Connection>::Backend;

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

/// A parsed `HUB_DATABASE_URL`: `postgres://…`/`postgresql://…`, or `sqlite://PATH` (also
/// `sqlite:PATH`). The PostgreSQL URL may carry a password, so it is never printed whole.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Postgres(String),
    Sqlite(PathBuf),
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(url.to_owned()));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"));
        match path {
            Some(p) if !p.is_empty() => Ok(DatabaseUrl::Sqlite(PathBuf::from(p))),
            _ => Err(
                "database URL must start with postgres://, postgresql:// or sqlite://".to_owned(),
            ),
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Postgres(_) => Backend::Postgres,
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// The URL with every credential replaced, for logs: the password of `user:pass@` and the
    /// value of any query parameter that names a password or key (`password=`,
    /// `sslpassword=`, `sslkey=` …).
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
            DatabaseUrl::Postgres(url) => redact_postgres(url),
        }
    }
}

fn redact_postgres(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let base = match (base.find("://"), base.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &base[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &base[..scheme_end + 3], &base[at..]),
                None => base.to_owned(),
            }
        }
        _ => base.to_owned(),
    };
    let Some(query) = query else { return base };
    let query = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) if is_secret_parameter(key) => format!("{key}=***"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&");
    format!("{base}?{query}")
}

/// libpq parameters whose values are secrets (or say where one is).
fn is_secret_parameter(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.contains("pass") || key.contains("secret") || key.contains("token") || key == "sslkey"
}

/// `url` with libpq's `connect_timeout` (whole seconds, at least 2, as libpq counts them)
/// unless it names one already.
pub(crate) fn with_connect_timeout(url: &str, timeout: std::time::Duration) -> String {
    if url.contains("connect_timeout=") {
        return url.to_owned();
    }
    let secs = timeout.as_secs().max(2);
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}connect_timeout={secs}")
}

/// Why a connection could not be opened.
#[derive(Debug)]
pub struct ConnectError(String);

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConnectError {}

/// Opens pooled connections; SQLite connections get the settings every one of them needs.
#[derive(Debug)]
pub(crate) struct Manager {
    pub(crate) url: DatabaseUrl,
    /// Also libpq's `connect_timeout` when the URL sets none, so that a connection attempt
    /// to a host that drops packets ends too.
    pub(crate) connect_timeout: std::time::Duration,
}

/// A pooled connection, and whether a call found it lost (closed by the server, the network
/// or a restart). The pool does not test connections when handing them out (a `SELECT 1`
/// per call would double the round trips of most reads), so a lost one is recognised by
/// the error of the call that used it, flagged, and dropped by the pool when it comes back.
pub(crate) struct Pooled {
    conn: AnyConnection,
    pub(crate) lost: bool,
}

impl std::ops::Deref for Pooled {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for Pooled {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.conn
    }
}

/// Whether `error` says the connection is gone rather than that the statement failed: the
/// same call may succeed on another connection.
pub(crate) fn is_lost(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    matches!(
        error,
        Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
            _
        ) | Error::BrokenTransactionManager
    )
}

/// Per-connection SQLite settings: enforce foreign keys, wait for the write lock rather than
/// fail, WAL so that readers never block the writer.
const SQLITE_SETUP: &str = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 15000; \
     PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";

impl ManageConnection for Manager {
    type Connection = Pooled;
    type Error = ConnectError;

    fn connect(&self) -> Result<Pooled, ConnectError> {
        self.open().map(|conn| Pooled { conn, lost: false })
    }

    fn is_valid(&self, pooled: &mut Pooled) -> Result<(), ConnectError> {
        pooled
            .conn
            .batch_execute("SELECT 1")
            .map_err(|e| ConnectError(e.to_string()))
    }

    fn has_broken(&self, pooled: &mut Pooled) -> bool {
        use diesel::r2d2::R2D2Connection;
        pooled.lost || pooled.conn.is_broken()
    }
}

impl Manager {
    fn open(&self) -> Result<AnyConnection, ConnectError> {
        match &self.url {
            DatabaseUrl::Postgres(url) => {
                PgConnection::establish(&with_connect_timeout(url, self.connect_timeout))
                    .map(AnyConnection::Postgresql)
                    .map_err(|e| ConnectError(format!("PostgreSQL: {e}")))
            }
            DatabaseUrl::Sqlite(path) => {
                let path = path
                    .to_str()
                    .ok_or_else(|| ConnectError("SQLite path is not UTF-8".to_owned()))?;
                let mut conn = SqliteConnection::establish(path)
                    .map_err(|e| ConnectError(format!("SQLite {path}: {e}")))?;
                conn.batch_execute(SQLITE_SETUP)
                    .map_err(|e| ConnectError(format!("SQLite setup: {e}")))?;
                Ok(AnyConnection::Sqlite(conn))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn urls_select_the_backend() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://./data/hub.db"),
            Ok(DatabaseUrl::Sqlite(PathBuf::from("./data/hub.db")))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///tmp/x.db"),
            Ok(DatabaseUrl::Sqlite(PathBuf::from("/tmp/x.db")))
        );
        assert_eq!(
            DatabaseUrl::parse("postgresql://u@h/db").map(|u| u.backend()),
            Ok(Backend::Postgres)
        );
        assert!(DatabaseUrl::parse("mysql://x").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }

    #[test]
    fn credentials_in_the_query_are_masked_too() {
        let url = DatabaseUrl::parse(
            "postgres://h/x?user=postgres&password=s3cret&sslpassword=k3y&application_name=hub",
        )
        .map(|u| u.redacted());
        assert_eq!(
            url,
            Ok(
                "postgres://h/x?user=postgres&password=***&sslpassword=***&application_name=hub"
                    .to_owned()
            )
        );
        let both = DatabaseUrl::parse("postgresql://u:p@h/x?password=q").map(|u| u.redacted());
        assert_eq!(both, Ok("postgresql://u:***@h/x?password=***".to_owned()));
        assert_eq!(
            with_connect_timeout("postgres://h/x?sslmode=disable", Duration::from_millis(500)),
            "postgres://h/x?sslmode=disable&connect_timeout=2"
        );
    }

    #[test]
    fn passwords_never_reach_a_log() {
        let url = DatabaseUrl::parse("postgres://hub:s3cret@db:5432/hub").map(|u| u.redacted());
        assert_eq!(url, Ok("postgres://hub:***@db:5432/hub".to_owned()));
        assert!(
            !format!("{:?}", DatabaseUrl::parse("postgres://hub:s3cret@db/hub")).contains("s3cret")
        );
    }
}
