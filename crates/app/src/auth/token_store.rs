use chrono::{DateTime, Utc};
use store_diesel::DieselStore;
use store_diesel::tokens::TokenError;

/// A token as listed: id, name, age. Never the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub id: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
}

/// Where token hashes live. Errors: [`TokenError::Unavailable`] when the store fails.
pub trait TokenStore: Send + Sync + 'static {
    /// Stores the hash of a new token named `name`.
    fn insert(&self, name: &str, hash_hex: &str) -> Result<TokenInfo, TokenError>;
    fn list(&self) -> Result<Vec<TokenInfo>, TokenError>;
    /// Deletes a token; `Ok(false)` when no token has this id.
    fn revoke(&self, id: &str) -> Result<bool, TokenError>;
    /// The stored hash equal to `hash_hex`, if any.
    fn find_hash(&self, hash_hex: &str) -> Result<Option<String>, TokenError>;
}

impl TokenStore for DieselStore {
    fn insert(&self, name: &str, hash_hex: &str) -> Result<TokenInfo, TokenError> {
        self.insert_token(name, hash_hex).map(|t| TokenInfo {
            id: t.id,
            name: t.name,
            created_at: t.created_at,
        })
    }

    fn list(&self) -> Result<Vec<TokenInfo>, TokenError> {
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

    fn revoke(&self, id: &str) -> Result<bool, TokenError> {
        self.revoke_token(id)
    }

    fn find_hash(&self, hash_hex: &str) -> Result<Option<String>, TokenError> {
        self.find_token_hash(hash_hex)
    }
}
