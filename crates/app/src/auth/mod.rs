//! Bearer-token authentication for every `/api` route.
//!
//! Tokens are 256 random bits. The database keeps their SHA-256 only; a presented token is
//! hashed, looked up, and compared in constant time. `HUB_API_TOKEN` adds one more accepted
//! token that lives only in the environment. Confirmed hashes are kept a short while
//! ([`TokenCache`]), so a request with a known token needs no database round trip.

mod cache;
mod middleware;
mod token_store;

pub use cache::TokenCache;
pub use middleware::require_token;
pub use token_store::{TokenInfo, TokenStore};

use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use store_diesel::tokens::TokenError;
use subtle::ConstantTimeEq;

/// A new token: `hub_` and 64 hex digits of randomness from the OS generator.
pub fn generate_token() -> String {
    let mut bytes = [0_u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("hub_{}", hex::encode(bytes))
}

/// The stored form of a token.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Decides whether a presented token is valid.
#[derive(Clone)]
pub struct Authenticator {
    store: Arc<dyn TokenStore>,
    env_token_hash: Option<String>,
    cache: Arc<TokenCache>,
}

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator")
            .field("env_token", &self.env_token_hash.is_some())
            .finish_non_exhaustive()
    }
}

impl Authenticator {
    pub fn new(store: Arc<dyn TokenStore>, env_token: Option<&str>) -> Self {
        let env_token_hash = env_token
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(hash_token);
        Self {
            store,
            env_token_hash,
            cache: Arc::new(TokenCache::new(std::time::Duration::ZERO)),
        }
    }

    /// Keeps confirmed tokens for `lifetime` (zero: every request looks its token up).
    pub fn with_cache_lifetime(mut self, lifetime: std::time::Duration) -> Self {
        self.cache = Arc::new(TokenCache::new(lifetime));
        self
    }

    /// The cache of confirmed tokens, to clear when a revocation is heard.
    pub fn cache(&self) -> Arc<TokenCache> {
        self.cache.clone()
    }

    /// Whether `token` is valid without asking the store: the environment's token, or one
    /// the store confirmed within the cache's lifetime. `false`: ask [`Self::verify`].
    pub fn is_known(&self, token: &str) -> bool {
        let presented = hash_token(token);
        self.is_env_token(&presented) || self.cache.holds(&presented)
    }

    /// Whether `token` is the environment's token or a stored one. Blocking: the stored ones
    /// are looked up in the database.
    pub fn verify(&self, token: &str) -> Result<bool, TokenError> {
        let presented = hash_token(token);
        if self.is_env_token(&presented) {
            return Ok(true);
        }
        let stored = self.store.find_hash(&presented)?;
        let valid =
            stored.is_some_and(|hash| bool::from(hash.as_bytes().ct_eq(presented.as_bytes())));
        if valid {
            self.cache.confirm(&presented);
        }
        Ok(valid)
    }

    fn is_env_token(&self, presented: &str) -> bool {
        self.env_token_hash
            .as_ref()
            .is_some_and(|env| bool::from(env.as_bytes().ct_eq(presented.as_bytes())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hash_to_hex() {
        let (a, b) = (generate_token(), generate_token());
        assert_ne!(a, b);
        assert!(a.starts_with("hub_") && a.len() == 68);
        assert_eq!(hash_token("x").len(), 64);
        assert_ne!(hash_token(&a), hash_token(&b));
    }
}
