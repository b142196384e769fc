use super::id::JobId;
use super::status::{IllegalTransition, JobStatus};
use crate::catalog::{CatalogError, InventoryId, PlaybookId, StoreError};
use std::fmt;

/// What a job use case can fail with; each variant is one wire code of seed 002 (§3.3–§3.4).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum JobError {
    /// A field is missing or malformed (`VALIDATION_ERROR`, 422).
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    /// No `inventoryId`, and the catalogue does not hold exactly one inventory
    /// (`INVENTORY_REQUIRED`, 422).
    #[error("inventoryId: is required unless exactly one inventory exists")]
    InventoryRequired,
    #[error("inventory {0} not found")]
    InventoryNotFound(InventoryId),
    /// A playbook of the request does not exist, or is not part of the job asked about
    /// (`PLAYBOOK_NOT_FOUND`).
    #[error("playbook {0} not found")]
    PlaybookNotFound(PlaybookId),
    /// `JOB_NOT_FOUND`; the text is the id as the client sent it.
    #[error("job {0} not found")]
    JobNotFound(String),
    /// The job has finished (`JOB_NOT_CANCELABLE`, 409).
    #[error("job {id} is {status} and can no longer be canceled")]
    NotCancelable { id: JobId, status: JobStatus },
    /// A catalogue rule refused what the job needs, e.g. a stored playbook that no longer
    /// renders within the size limits (`INVALID_YAML_FORMAT`).
    #[error(transparent)]
    Catalog(CatalogError),
    /// The store cannot be reached (or failed); the text is for logs, never for clients.
    #[error("{0}")]
    Unavailable(String),
    /// A fault of the job machinery itself; for logs, never for clients.
    #[error("{0}")]
    Internal(String),
}

impl JobError {
    pub fn field(field: impl Into<String>, message: impl fmt::Display) -> Self {
        JobError::Validation {
            field: field.into(),
            message: message.to_string(),
        }
    }
}

impl From<StoreError> for JobError {
    /// The job use cases only read the catalogue, so no catalogue refusal applies.
    fn from(e: StoreError) -> Self {
        JobError::Unavailable(e.to_string())
    }
}

/// The error contract of the job store. Each method's documentation says which of these it
/// answers; every method may answer [`JobStoreError::Unavailable`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum JobStoreError {
    /// A job with the id is stored already.
    #[error("a job with this id exists")]
    Duplicate,
    /// The worker does not hold the job's lease (any more): the job is not running, or runs
    /// under another worker, or does not exist. The worker must stop the run and write
    /// nothing more: the job is someone else's, or over.
    #[error("the worker no longer holds the job's lease")]
    LeaseLost,
    /// A cancel of a job that has finished.
    #[error("the job is {0} and can no longer be canceled")]
    NotCancelable(JobStatus),
    /// A write the job's state does not allow; nothing changed.
    #[error(transparent)]
    Illegal(#[from] IllegalTransition),
    /// The store failed; the text is for logs, never for clients.
    #[error("store unavailable: {0}")]
    Unavailable(String),
}

impl From<JobStoreError> for JobError {
    /// Store answers no job rule explains: the store is unavailable, or the machinery is
    /// wrong. Use cases map the answers they expect before this.
    fn from(e: JobStoreError) -> Self {
        match e {
            JobStoreError::Unavailable(m) => JobError::Unavailable(m),
            other => JobError::Internal(other.to_string()),
        }
    }
}
