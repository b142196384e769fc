/// What an SSH test can fail with as a whole (a host's failure is a result, not an error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectivityError {
    /// Ids that name no inventory (`INVENTORY_NOT_FOUND`); nothing was tested.
    #[error("inventory {0} not found")]
    InventoryNotFound(String),
    /// No known host has the id (`NOT_FOUND`).
    #[error("known host {0} not found")]
    KnownHostNotFound(String),
    /// The store cannot be reached (or failed); the text is for logs, never for clients.
    #[error("{0}")]
    Unavailable(String),
}

impl From<crate::catalog::StoreError> for ConnectivityError {
    fn from(e: crate::catalog::StoreError) -> Self {
        ConnectivityError::Unavailable(e.to_string())
    }
}
