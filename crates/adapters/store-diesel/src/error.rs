//! The errors of the store's own plumbing, neutral to the domains it serves: each domain's
//! module turns them into that domain's error type.

use diesel::result::{DatabaseErrorInformation, DatabaseErrorKind, Error as DbError};
use std::fmt;

/// The database cannot be reached, or failed in a way that no rule of a domain explains.
/// The text is for logs, never for clients.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("store unavailable: {0}")]
pub struct Unavailable(pub String);

impl Unavailable {
    pub(crate) fn new(cause: impl fmt::Display) -> Self {
        Self(cause.to_string())
    }
}

/// How a store call inside a transaction ends when it does not succeed.
#[derive(Debug)]
pub(crate) enum TxError<E> {
    /// The domain refused the operation (or could not read a row) with its own error `E`;
    /// the transaction was rolled back.
    Domain(E),
    /// A statement failed. A constraint violation may still be a refusal that only the caller
    /// can name ([`TxError::violation`]).
    Db(DbError),
    /// No connection to the database could be had.
    Unavailable(Unavailable),
}

impl<E> From<DbError> for TxError<E> {
    fn from(e: DbError) -> Self {
        TxError::Db(e)
    }
}

impl<E> From<Unavailable> for TxError<E> {
    fn from(e: Unavailable) -> Self {
        TxError::Unavailable(e)
    }
}

impl<E: From<Unavailable>> TxError<E> {
    /// The domain's error, reading every database failure as the store being unavailable.
    pub(crate) fn into_domain(self) -> E {
        match self {
            TxError::Domain(e) => e,
            TxError::Db(e) => Unavailable::new(e).into(),
            TxError::Unavailable(e) => e.into(),
        }
    }
}

impl<E> TxError<E> {
    /// The constraint a failed statement violated, with the database's report.
    pub(crate) fn violation(&self) -> Option<(DatabaseErrorKind, &dyn DatabaseErrorInformation)> {
        match self {
            TxError::Db(DbError::DatabaseError(kind, info)) => Some((*kind, info.as_ref())),
            _ => None,
        }
    }

    /// A serialization failure or lock time-out: the transaction may succeed if run again.
    pub(crate) fn is_retryable(&self) -> bool {
        match self.violation() {
            Some((DatabaseErrorKind::SerializationFailure, _)) => true,
            // SQLite reports a lock it could not get within busy_timeout as "database is
            // locked".
            Some((_, info)) => info.message().contains("database is locked"),
            None => false,
        }
    }
}
