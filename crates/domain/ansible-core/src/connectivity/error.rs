/// What an SSH test can fail with as a whole (a host's failure is a result, not an error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectivityError {
    /// Ids that name no inventory (`INVENTORY_NOT_FOUND`); nothing was tested.
    #[error("inventory {0} not found")]
    InventoryNotFound(String),
    /// The selected inventories hold more hosts than one test may probe (`SSH_TOO_MANY_HOSTS`);
    /// nothing was tested.
    #[error(
        "the selected inventories hold {hosts} hosts, more than the {limit} one SSH test may \
         probe; test fewer inventories at a time"
    )]
    TooManyHosts { hosts: usize, limit: usize },
    /// Whoever asked stopped waiting (the client went away, the server is stopping): the
    /// probes not started were skipped and nothing was recorded.
    #[error("the SSH test was canceled before it ended")]
    Canceled,
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
