use crate::record::{RecordKey, RecordRef, Referrer, ResourceKind};
use capacity_quota::{InsufficientCapacity, QuotaExceeded};
use std::fmt;

/// A request field that failed validation, named as on the wire.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl fmt::Display) -> Self {
        Self {
            field: field.into(),
            message: message.to_string(),
        }
    }
}

/// The error contract of every [`Repository`](crate::ports::Repository) method.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StoreError {
    /// A reference in the written record points at no row.
    #[error("{field} refers to a {} that does not exist ({})", target.kind.singular(), target.key)]
    MissingReference {
        field: &'static str,
        target: RecordRef,
    },
    /// A value that must be unique is taken; `what` names the unique key.
    #[error("a {kind} with this {what} already exists", kind = kind.singular())]
    Duplicate {
        kind: ResourceKind,
        what: &'static str,
    },
    /// A delete was refused: other rows still refer to the record.
    #[error("still referred to by {}", Referrer::describe(.0))]
    InUse(Vec<Referrer>),
    /// A host write or a placement does not fit the capacity.
    #[error(transparent)]
    InsufficientCapacity(#[from] InsufficientCapacity),
    /// A placement in a host group whose quota does not grant the tenant the group.
    #[error("{0}")]
    QuotaNotGranted(String),
    /// A placement that does not fit the tenant's quota in the host group.
    #[error(transparent)]
    QuotaExceeded(#[from] QuotaExceeded),
    /// A field of the written record breaks a rule that spans rows (a VM's k8s cluster
    /// belongs to another tenant), checked in the write's transaction.
    #[error(transparent)]
    Invalid(FieldError),
    /// A write was refused by a rule that only the store can check atomically.
    #[error("{0}")]
    Conflict(String),
    /// The store failed; the text is for logs, never for clients.
    #[error("store unavailable: {0}")]
    Unavailable(String),
}

/// What a use case of [`InventoryService`](crate::InventoryService) can fail with.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InventoryError {
    #[error(transparent)]
    Validation(#[from] FieldError),
    #[error("{} {key} not found", kind.singular())]
    NotFound { kind: ResourceKind, key: String },
    #[error("{0}")]
    InvalidReference(String),
    #[error("{0}")]
    Duplicate(String),
    #[error("{0}")]
    InUse(String),
    #[error(transparent)]
    InsufficientCapacity(InsufficientCapacity),
    #[error("{0}")]
    QuotaNotGranted(String),
    #[error(transparent)]
    QuotaExceeded(QuotaExceeded),
    /// The store cannot be reached (or failed); the text is for logs, never for clients.
    /// The request may succeed when the store is back.
    #[error("{0}")]
    Unavailable(String),
    /// A fault of the service itself (an invariant broken); for logs, never for clients.
    #[error("{0}")]
    Internal(String),
}

impl InventoryError {
    /// Lifts a store error into the use-case error of a call on records of `kind`, on the
    /// record `key` where the call names one (get, update, delete).
    pub fn from_store(kind: ResourceKind, key: Option<RecordKey>, err: StoreError) -> Self {
        match err {
            StoreError::MissingReference { .. } => {
                InventoryError::InvalidReference(err.to_string())
            }
            StoreError::Duplicate { .. } => InventoryError::Duplicate(err.to_string()),
            // Only a delete, which names its record, is refused as in use.
            StoreError::InUse(referrers) => InventoryError::InUse(match key {
                Some(key) => format!(
                    "{} {key} is still referred to by {}",
                    kind.singular(),
                    Referrer::describe(&referrers)
                ),
                None => format!(
                    "the {} is still referred to by {}",
                    kind.singular(),
                    Referrer::describe(&referrers)
                ),
            }),
            StoreError::InsufficientCapacity(e) => InventoryError::InsufficientCapacity(e),
            StoreError::QuotaNotGranted(message) => InventoryError::QuotaNotGranted(message),
            StoreError::QuotaExceeded(e) => InventoryError::QuotaExceeded(e),
            StoreError::Invalid(e) => InventoryError::Validation(e),
            StoreError::Conflict(message) => InventoryError::InUse(message),
            StoreError::Unavailable(message) => InventoryError::Unavailable(message),
        }
    }
}
