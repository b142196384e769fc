//! Where SQL differs per backend: [`db_run!`], the one way this crate writes it.
//!
//! Most queries are written once against [`AnyConnection`](crate::AnyConnection) and diesel
//! runs them on either database. Some it cannot type for the multi-backend, and those are built
//! per backend on the connection inside: `INSERT … RETURNING` (typed per backend), row locks
//! (`FOR UPDATE`, `FOR SHARE`: PostgreSQL only; SQLite's `BEGIN IMMEDIATE` write transaction
//! holds the whole database instead), transaction openings, migrations and advisory locks.
//!
//! ```text
//! // The same code on each backend, compiled once per backend: `c` is the inner connection.
//! let id: i64 = db_run!(conn, any(c) => insert_into(t::table).values(row).returning(t::id).get_result(c))?;
//!
//! // Different code per backend.
//! let row = db_run!(conn,
//!     postgres(pg) => query.for_update().first(pg).optional(),
//!     sqlite(lite) => query.first(lite).optional(),
//! )?;
//! ```
//!
//! `conn` is a `&mut AnyConnection`; each arm's block is its value, so arms must agree on the
//! type. Name both backends in the second form: a new backend then fails to compile at every
//! place whose SQL it must decide on.

/// Runs a block on the backend connection inside an `&mut AnyConnection`; see the
/// [module documentation](self).
macro_rules! db_run {
    ($conn:expr, any($c:ident) => $body:expr $(,)?) => {
        match $conn {
            $crate::AnyConnection::Postgresql($c) => $body,
            $crate::AnyConnection::Sqlite($c) => $body,
        }
    };
    (
        $conn:expr,
        postgres($pg:ident) => $pg_body:expr,
        sqlite($lite:ident) => $lite_body:expr $(,)?
    ) => {
        match $conn {
            $crate::AnyConnection::Postgresql($pg) => $pg_body,
            $crate::AnyConnection::Sqlite($lite) => $lite_body,
        }
    };
}

pub(crate) use db_run;
