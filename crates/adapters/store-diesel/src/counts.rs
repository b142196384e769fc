//! Counts of filtered lists, kept briefly so that paging through a large table does not
//! count every row again for each page. A count stays valid while no write has committed
//! through this store since it was taken, and for at most [`LIFETIME`]: exact for everything
//! this process writes, at most that old for what other servers on the same database write.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The longest a count is reused.
pub const LIFETIME: Duration = Duration::from_secs(2);
/// At most this many filters' counts are kept; a full cache starts again empty.
const CAPACITY: usize = 1024;

/// The key a list's count is kept under: its table and its filter, so that every reader of
/// one list (its repository, or a view of it) shares the count.
pub(crate) fn key(table: &str, filter: &impl std::fmt::Debug) -> String {
    format!("{table} {filter:?}")
}

#[derive(Debug, Default)]
pub(crate) struct CountCache {
    /// Bumped by every write transaction that commits through this store.
    writes: AtomicU64,
    counts: Mutex<HashMap<String, Taken>>,
}

#[derive(Debug, Clone, Copy)]
struct Taken {
    count: u64,
    at: Instant,
    /// `writes` when the count was taken.
    writes: u64,
}

/// When a count was started: [`CountCache::keep`] stores it only if nothing was written since.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ticket(u64);

impl CountCache {
    /// A write committed: every kept count may be wrong.
    pub(crate) fn written(&self) {
        self.writes.fetch_add(1, Ordering::SeqCst);
    }

    /// The kept count of `key`, if still valid.
    pub(crate) fn get(&self, key: &str) -> Option<u64> {
        let writes = self.writes.load(Ordering::SeqCst);
        let counts = self.counts.lock().ok()?;
        counts
            .get(key)
            .filter(|t| t.writes == writes && t.at.elapsed() < LIFETIME)
            .map(|t| t.count)
    }

    /// Taken before counting, so that a write committed meanwhile makes the count unkept.
    pub(crate) fn ticket(&self) -> Ticket {
        Ticket(self.writes.load(Ordering::SeqCst))
    }

    pub(crate) fn keep(&self, key: String, count: u64, ticket: Ticket) {
        if self.writes.load(Ordering::SeqCst) != ticket.0 {
            return;
        }
        let Ok(mut counts) = self.counts.lock() else {
            return;
        };
        if counts.len() >= CAPACITY {
            counts.clear();
        }
        let taken = Taken {
            count,
            at: Instant::now(),
            writes: ticket.0,
        };
        counts.insert(key, taken);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_is_kept_until_a_write_or_its_lifetime() {
        let cache = CountCache::default();
        assert_eq!(cache.get("hosts"), None);
        let ticket = cache.ticket();
        cache.keep("hosts".into(), 7, ticket);
        assert_eq!(cache.get("hosts"), Some(7));
        assert_eq!(cache.get("vms"), None);
        cache.written();
        assert_eq!(cache.get("hosts"), None, "a write ends it");
    }

    #[test]
    fn a_count_taken_across_a_write_is_not_kept() {
        let cache = CountCache::default();
        let ticket = cache.ticket();
        cache.written();
        cache.keep("hosts".into(), 7, ticket);
        assert_eq!(cache.get("hosts"), None);
    }

    #[test]
    fn the_cache_stays_bounded() {
        let cache = CountCache::default();
        for n in 0..=CAPACITY {
            cache.keep(n.to_string(), 1, cache.ticket());
        }
        let kept = cache.counts.lock().map(|c| c.len()).unwrap_or(usize::MAX);
        assert!(kept <= CAPACITY, "{kept}");
    }
}
