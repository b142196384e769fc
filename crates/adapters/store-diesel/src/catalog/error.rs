//! The catalogue's errors inside store calls: its own `StoreError` travels as
//! `TxError<StoreError>`; a taken name is the one refusal the database itself decides.

use crate::error::{TxError, Unavailable};
use ansible_core::catalog::StoreError;
use diesel::result::DatabaseErrorKind;

impl From<Unavailable> for StoreError {
    fn from(e: Unavailable) -> Self {
        StoreError::Unavailable(e.0)
    }
}

impl From<StoreError> for TxError<StoreError> {
    fn from(e: StoreError) -> Self {
        TxError::Domain(e)
    }
}

/// The catalogue error of a failed write: a unique index can only be the name's.
pub(crate) fn classify(e: TxError<StoreError>) -> StoreError {
    match e.violation() {
        Some((DatabaseErrorKind::UniqueViolation, _)) => StoreError::Duplicate,
        _ => e.into_domain(),
    }
}
