use infra_inventory::StoreError;

/// The error inside a store call: a domain refusal decided in the transaction, or a database
/// error still to be classified.
#[derive(Debug)]
pub(crate) enum TxError {
    Store(StoreError),
    Db(diesel::result::Error),
}

impl From<diesel::result::Error> for TxError {
    fn from(e: diesel::result::Error) -> Self {
        TxError::Db(e)
    }
}

impl From<StoreError> for TxError {
    fn from(e: StoreError) -> Self {
        TxError::Store(e)
    }
}

impl From<capacity_quota::QuotaExceeded> for TxError {
    fn from(e: capacity_quota::QuotaExceeded) -> Self {
        TxError::Store(StoreError::QuotaExceeded(e))
    }
}

impl From<capacity_quota::InsufficientCapacity> for TxError {
    fn from(e: capacity_quota::InsufficientCapacity) -> Self {
        TxError::Store(StoreError::InsufficientCapacity(e))
    }
}

/// A database failure that is no refusal of the write: the store is unavailable.
pub(crate) fn unavailable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

/// A serialization failure or deadlock: the transaction may succeed if run again.
pub(crate) fn is_retryable(e: &TxError) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        TxError::Db(Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _)) => true,
        // SQLite reports a lock it could not get within busy_timeout as "database is locked".
        TxError::Db(Error::DatabaseError(_, info)) => info.message().contains("database is locked"),
        _ => false,
    }
}
