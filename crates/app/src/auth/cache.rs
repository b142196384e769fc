//! Token hashes the store confirmed recently, so that a request with a known token costs no
//! database round trip. Only confirmations are kept: an unknown token is looked up every
//! time (a token just created with `control-hub token create` works at once), and a revoked
//! one stops working on every server within the cache's lifetime (`HUB_TOKEN_CACHE_SECS`),
//! at once where the revocation is heard (PostgreSQL's `control_hub_tokens` notice).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// At most this many hashes are kept; a full cache first drops what expired, then
/// everything (the next requests look their tokens up again). Tokens are few; this bounds
/// what a flood of distinct valid tokens could hold.
const CAPACITY: usize = 10_000;

#[derive(Debug)]
pub struct TokenCache {
    lifetime: Duration,
    confirmed: Mutex<HashMap<String, Instant>>,
}

impl TokenCache {
    /// A cache whose entries live `lifetime`; zero keeps nothing.
    pub fn new(lifetime: Duration) -> Self {
        Self {
            lifetime,
            confirmed: Mutex::new(HashMap::new()),
        }
    }

    /// Whether the store confirmed `hash` less than the lifetime ago.
    pub fn holds(&self, hash: &str) -> bool {
        let Ok(confirmed) = self.confirmed.lock() else {
            // A panic while holding the lock (a bug): look the token up instead.
            return false;
        };
        confirmed
            .get(hash)
            .is_some_and(|expires| Instant::now() < *expires)
    }

    /// The store just confirmed `hash`.
    pub fn confirm(&self, hash: &str) {
        if self.lifetime.is_zero() {
            return;
        }
        let Ok(mut confirmed) = self.confirmed.lock() else {
            return;
        };
        let now = Instant::now();
        if confirmed.len() >= CAPACITY {
            confirmed.retain(|_, expires| now < *expires);
            if confirmed.len() >= CAPACITY {
                confirmed.clear();
            }
        }
        confirmed.insert(hash.to_owned(), now + self.lifetime);
    }

    /// Forgets every confirmation: a token was revoked somewhere.
    pub fn clear(&self) {
        if let Ok(mut confirmed) = self.confirmed.lock() {
            confirmed.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_confirmation_lasts_its_lifetime_and_a_clear_ends_it() {
        let cache = TokenCache::new(Duration::from_millis(80));
        assert!(!cache.holds("a"));
        cache.confirm("a");
        assert!(cache.holds("a") && !cache.holds("b"));
        std::thread::sleep(Duration::from_millis(100));
        assert!(!cache.holds("a"), "expired");
        cache.confirm("a");
        cache.clear();
        assert!(!cache.holds("a"), "cleared");
    }

    #[test]
    fn a_zero_lifetime_keeps_nothing_and_a_full_cache_stays_bounded() {
        let off = TokenCache::new(Duration::ZERO);
        off.confirm("a");
        assert!(!off.holds("a"));
        let cache = TokenCache::new(Duration::from_secs(60));
        for n in 0..=CAPACITY {
            cache.confirm(&n.to_string());
        }
        let held = cache
            .confirmed
            .lock()
            .map(|c| c.len())
            .unwrap_or(usize::MAX);
        assert!(held <= CAPACITY, "{held}");
        assert!(cache.holds(&CAPACITY.to_string()), "the newest is kept");
    }
}
