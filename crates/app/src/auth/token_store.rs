use chrono::{DateTime, Utc};
use infra_inventory::StoreError;
use store_diesel::DieselStore;

/// A token as listed: id, name, age. Never the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub id: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

/// Where token hashes live. Errors: [`StoreError::Unavailable`] when the store fails.
pub trait TokenStore: Send + Sync + 'static {
    /// Stores the hash of a new token named `name`.
    fn insert(&self, name: &str, hash_hex: &str) -> Result<TokenInfo, StoreError>;
    fn list(&self) -> Result<Vec<TokenInfo>, StoreError>;
    /// Deletes a token; `Ok(false)` when no token has this id.
    fn revoke(&self, id: &str) -> Result<bool, StoreError>;
    /// The stored hash equal to `hash_hex`, if any.
    fn find_hash(&self, hash_hex: &str) -> Result<Option<String>, StoreError>;
}

impl TokenStore for DieselStore {
    fn insert(&self, name: &str, hash_hex: &str) -> Result<TokenInfo, StoreError> {
        self.insert_token(name, hash_hex).map(|t| TokenInfo {
            id: t.id,
            name: t.name,
            created_at: t.created_at,
        })
    }

    fn list(&self) -> Result<Vec<TokenInfo>, StoreError> {
        Ok(self
            .list_tokens()?
            .into_iter()
            .map(|t| TokenInfo {
                id: t.id,
                name: t.name,
                created_at: t.created_at,
            })
            .collect())
    }

    fn revoke(&self, id: &str) -> Result<bool, StoreError> {
        self.revoke_token(id)
    }

    fn find_hash(&self, hash_hex: &str) -> Result<Option<String>, StoreError> {
        self.find_token_hash(hash_hex)
    }
}
