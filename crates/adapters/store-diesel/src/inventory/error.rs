//! The inventory's errors inside store calls: its refusals travel as
//! `TxError<StoreError>`, and whatever the database reports without a rule to name it is the
//! store being unavailable.

use crate::error::{TxError, Unavailable};
use capacity_quota::{InsufficientCapacity, QuotaExceeded};
use infra_inventory::StoreError;

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

impl From<QuotaExceeded> for TxError<StoreError> {
    fn from(e: QuotaExceeded) -> Self {
        TxError::Domain(StoreError::QuotaExceeded(e))
    }
}

impl From<InsufficientCapacity> for TxError<StoreError> {
    fn from(e: InsufficientCapacity) -> Self {
        TxError::Domain(StoreError::InsufficientCapacity(e))
    }
}

/// A database failure that is no refusal of the write: the store is unavailable.
pub(crate) fn unavailable(e: impl std::fmt::Display) -> StoreError {
    Unavailable::new(e).into()
}
