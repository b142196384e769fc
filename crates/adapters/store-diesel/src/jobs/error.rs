//! The job store's errors inside store calls: `JobStoreError` travels as
//! `TxError<JobStoreError>`; a taken job id is the one refusal the database itself decides.

use crate::error::{TxError, Unavailable};
use ansible_core::jobs::{IllegalTransition, JobStoreError};
use diesel::result::DatabaseErrorKind;

impl From<Unavailable> for JobStoreError {
    fn from(e: Unavailable) -> Self {
        JobStoreError::Unavailable(e.0)
    }
}

impl From<JobStoreError> for TxError<JobStoreError> {
    fn from(e: JobStoreError) -> Self {
        TxError::Domain(e)
    }
}

impl From<IllegalTransition> for TxError<JobStoreError> {
    fn from(e: IllegalTransition) -> Self {
        TxError::Domain(e.into())
    }
}

/// A row the store cannot read back: the database holds what this code never writes.
pub(crate) fn corrupt(what: &str, id: &str) -> TxError<JobStoreError> {
    TxError::Domain(JobStoreError::Unavailable(format!(
        "unreadable {what} of job {id}"
    )))
}

/// The job error of a failed enqueue: the one unique key a caller can hit is the id.
pub(crate) fn classify_enqueue(e: TxError<JobStoreError>) -> JobStoreError {
    match e.violation() {
        Some((DatabaseErrorKind::UniqueViolation, _)) => JobStoreError::Duplicate,
        _ => e.into_domain(),
    }
}
