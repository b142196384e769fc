//! Where idle workers wait for a job to be queued, instead of asking the store over and
//! over. Whoever learns of a new job rings it: this server's execute, and a store that
//! hears of other servers' (PostgreSQL's NOTIFY). A ring that is missed (a store without
//! notices, a lost connection) costs one poll period, never a job: a waiting worker looks
//! at the queue again when its wait times out.

use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// A counter of rings and a condition variable over it.
#[derive(Debug, Default)]
pub struct Wakeup {
    rings: Mutex<u64>,
    bell: Condvar,
}

impl Wakeup {
    pub fn new() -> Self {
        Self::default()
    }

    /// Wakes every waiting worker.
    pub fn ring(&self) {
        let mut rings = self.rings.lock().unwrap_or_else(PoisonError::into_inner);
        *rings = rings.wrapping_add(1);
        self.bell.notify_all();
    }

    /// How many rings so far. Read it before looking at the queue, and pass it to
    /// [`wait`](Self::wait): a job queued in between then ends the wait at once.
    pub fn rings(&self) -> u64 {
        *self.rings.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Blocks until a ring after `seen`, or `timeout`; `true` when rung.
    pub fn wait(&self, seen: u64, timeout: Duration) -> bool {
        let until = Instant::now() + timeout;
        let mut rings = self.rings.lock().unwrap_or_else(PoisonError::into_inner);
        while *rings == seen {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            rings = self
                .bell
                .wait_timeout(rings, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        true
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::thread;

    #[test]
    fn a_ring_wakes_a_waiter_and_one_before_the_wait_is_not_lost() {
        let wakeup = Arc::new(Wakeup::new());
        let seen = wakeup.rings();
        wakeup.ring();
        assert!(
            wakeup.wait(seen, Duration::from_secs(10)),
            "rung before the wait"
        );

        let seen = wakeup.rings();
        let waiter = {
            let wakeup = Arc::clone(&wakeup);
            thread::spawn(move || wakeup.wait(seen, Duration::from_secs(30)))
        };
        thread::sleep(Duration::from_millis(20));
        wakeup.ring();
        assert!(waiter.join().unwrap());
    }

    #[test]
    fn without_a_ring_the_wait_times_out() {
        let wakeup = Wakeup::new();
        assert!(!wakeup.wait(wakeup.rings(), Duration::from_millis(10)));
    }
}
