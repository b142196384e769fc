use std::fmt;

/// What an assistant use case can fail with; each variant is one wire code of seed 002.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AssistError {
    /// The message is empty, too long or not text (`INVALID_MESSAGE_FORMAT`).
    #[error("{0}")]
    InvalidMessage(String),
    /// A conversation's title breaks a rule (`VALIDATION_ERROR`).
    #[error("{0}")]
    InvalidTitle(String),
    #[error("conversation {0} not found")]
    ConversationNotFound(String),
    #[error("inventory {0} not found")]
    InventoryNotFound(String),
    /// The model is not configured, cannot be reached, is too slow, refused, or answered
    /// something that is not an answer (`AI_SERVICE_UNAVAILABLE`). The kind tells the
    /// client which; the text says which setting to look at and never holds the API key.
    #[error("{0}")]
    ModelUnavailable(crate::ChatError),
    /// The store cannot be reached (or failed); the text is for logs, never for clients.
    #[error("{0}")]
    Unavailable(String),
    /// A fault of the assistant itself; for logs, never for clients.
    #[error("{0}")]
    Internal(String),
}

impl AssistError {
    pub(crate) fn internal(e: impl fmt::Display) -> Self {
        AssistError::Internal(e.to_string())
    }
}
