use std::fmt;

/// What a catalogue use case can fail with; each variant is one wire code of seed 002.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CatalogError {
    /// A field is missing or malformed (`VALIDATION_ERROR`).
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    /// The inventory text does not parse (`INVALID_INVENTORY_CONFIG`).
    #[error("config: {0}")]
    InvalidInventoryConfig(String),
    /// A playbook field breaks a rule (`PLAYBOOK_VALIDATION_ERROR`).
    #[error("{0}")]
    PlaybookValidation(String),
    /// A task's YAML is not one mapping (`INVALID_YAML_FORMAT`).
    #[error("{0}")]
    InvalidYaml(String),
    #[error("inventory {0} not found")]
    InventoryNotFound(String),
    #[error("playbook {0} not found")]
    PlaybookNotFound(String),
    #[error("an inventory named {0:?} already exists")]
    InventoryNameDuplicate(String),
    #[error("a playbook named {0:?} already exists")]
    PlaybookNameDuplicate(String),
    /// A queued or running job uses the inventory (`INVENTORY_IN_USE`).
    #[error("{0}")]
    InventoryInUse(String),
    /// The store cannot be reached (or failed); the text is for logs, never for clients.
    #[error("{0}")]
    Unavailable(String),
    /// A fault of the catalogue itself; for logs, never for clients.
    #[error("{0}")]
    Internal(String),
}

impl CatalogError {
    pub fn field(field: impl Into<String>, message: impl fmt::Display) -> Self {
        CatalogError::Validation {
            field: field.into(),
            message: message.to_string(),
        }
    }
}

/// The error contract of the catalogue's repositories.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StoreError {
    /// The name is taken by another record of the kind.
    #[error("name already taken")]
    Duplicate,
    /// A delete was refused: something still uses the record; the text says what.
    #[error("{0}")]
    InUse(String),
    /// The store failed; the text is for logs, never for clients.
    #[error("store unavailable: {0}")]
    Unavailable(String),
}
