//! The threads SSH probes run on (`HUB_SSH_CONCURRENCY` of them): libssh2 blocks, so probes
//! never run on the async workers, and the pool bounds how many run at once across every
//! request in flight.

use ansible_core::connectivity::{ProbeExecutor, ProbeOutcome, ProbeTask};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// What a probe thread tells the batch that started it.
enum Report {
    Started(usize, Instant),
    /// `None`: the task panicked.
    Done(usize, Option<ProbeOutcome>),
}

/// At most `limit` probe threads at once, across every batch. Each probe gets a thread of
/// its own while it runs (a few tens of microseconds to start, against milliseconds for a
/// login): handing work to idle threads through one shared queue serialises the hand-offs
/// on a busy machine, which staggers the starts of a large batch.
#[derive(Debug)]
pub struct ProbePool {
    running: Arc<(Mutex<usize>, Condvar)>,
    limit: usize,
}

/// A place in the pool, given back when the probe thread ends (even by panicking).
struct Permit(Arc<(Mutex<usize>, Condvar)>);

impl Drop for Permit {
    fn drop(&mut self) {
        let (count, freed) = &*self.0;
        if let Ok(mut n) = count.lock() {
            *n = n.saturating_sub(1);
        }
        freed.notify_one();
    }
}

impl ProbePool {
    /// A pool of at most `threads` probes at once (at least one).
    pub fn new(threads: usize) -> Self {
        Self {
            running: Arc::new((Mutex::new(0), Condvar::new())),
            limit: threads.max(1),
        }
    }

    pub fn threads(&self) -> usize {
        self.limit
    }

    /// Waits for a free place, at most `wait`. Every running probe ends within its timeout,
    /// so when none frees a place within a probe's overrun, all places are held by probes
    /// that ignore theirs: `None` then (or if the lock is poisoned, a bug elsewhere), and the
    /// caller gives up on the rest of its batch instead of hanging.
    fn acquire(&self, wait: Duration) -> Option<Permit> {
        let (count, freed) = &*self.running;
        let until = Instant::now() + wait;
        let mut n = count.lock().ok()?;
        while *n >= self.limit {
            let left = until.checked_duration_since(Instant::now())?;
            n = freed.wait_timeout(n, left).ok()?.0;
        }
        *n += 1;
        Some(Permit(self.running.clone()))
    }

    /// Starts `task` on a thread of its own, holding `permit` until it ends.
    fn spawn(permit: Permit, index: usize, task: ProbeTask, reply: Sender<Report>) -> bool {
        std::thread::Builder::new()
            .name("ssh-probe".to_owned())
            .spawn(move || {
                let _permit = permit;
                let _ = reply.send(Report::Started(index, Instant::now()));
                let outcome = catch_unwind(AssertUnwindSafe(task)).ok();
                let _ = reply.send(Report::Done(index, outcome));
            })
            .is_ok()
    }
}

impl ProbeExecutor for ProbePool {
    fn run_batch(&self, tasks: Vec<ProbeTask>, overrun: Duration) -> Vec<Option<ProbeOutcome>> {
        let total = tasks.len();
        let mut results: Vec<Option<ProbeOutcome>> = vec![None; total];
        let (reply, replies) = mpsc::channel();
        let mut running: HashMap<usize, Instant> = HashMap::new();
        let mut settled = 0;
        let mut handle = |report: Report, running: &mut HashMap<usize, Instant>| match report {
            Report::Started(index, at) => {
                running.insert(index, at);
                0
            }
            Report::Done(index, outcome) => {
                if running.remove(&index).is_some() {
                    results[index] = outcome;
                    1
                } else {
                    0
                }
            }
        };
        for (index, task) in tasks.into_iter().enumerate() {
            let Some(permit) = self.acquire(overrun) else {
                // The tasks not started are reported as timed out; the started ones are
                // still waited for below.
                tracing::error!(
                    "no SSH probe place freed within {overrun:?}; {} host(s) not probed",
                    total - index
                );
                settled += total - index;
                break;
            };
            if !Self::spawn(permit, index, task, reply.clone()) {
                tracing::error!("could not start an SSH probe thread");
                settled += 1;
            }
            // Reports that arrived meanwhile, so that a full pool does not hide overruns.
            while let Ok(report) = replies.try_recv() {
                settled += handle(report, &mut running);
            }
        }
        drop(reply);
        while settled < total {
            // Wait until the next report, or until the oldest running task overruns.
            let wait = running
                .values()
                .min()
                .map(|started| (*started + overrun).saturating_duration_since(Instant::now()))
                .unwrap_or(overrun);
            match replies.recv_timeout(wait) {
                Ok(report) => settled += handle(report, &mut running),
                Err(RecvTimeoutError::Timeout) => {
                    let now = Instant::now();
                    let overran: Vec<usize> = running
                        .iter()
                        .filter(|(_, started)| now >= **started + overrun)
                        .map(|(index, _)| *index)
                        .collect();
                    for index in overran {
                        // Its thread (and place) stay taken until the probe returns.
                        tracing::warn!(
                            "an SSH probe ran past {overrun:?}; reporting it as timed out"
                        );
                        running.remove(&index);
                        settled += 1;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        results
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use ansible_core::connectivity::ProbeFailure;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn outcome(n: u64) -> ProbeOutcome {
        ProbeOutcome::failed(
            ProbeFailure::Timeout,
            n.to_string(),
            Duration::from_millis(n),
        )
    }

    #[test]
    fn a_batch_runs_at_most_the_pool_size_at_once_and_keeps_task_order() {
        let pool = ProbePool::new(3);
        let (now, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let tasks: Vec<ProbeTask> = (0..12u64)
            .map(|n| {
                let (now, peak) = (now.clone(), peak.clone());
                Box::new(move || {
                    let running = now.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(running, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(30));
                    now.fetch_sub(1, Ordering::SeqCst);
                    outcome(n)
                }) as ProbeTask
            })
            .collect();
        let started = Instant::now();
        let results = pool.run_batch(tasks, Duration::from_secs(5));
        let messages: Vec<_> = results.iter().map(|r| r.clone().unwrap().message).collect();
        assert_eq!(messages, (0..12).map(|n| n.to_string()).collect::<Vec<_>>());
        assert_eq!(peak.load(Ordering::SeqCst), 3);
        // Four rounds of three, not twelve in a row.
        assert!(
            started.elapsed() < Duration::from_millis(300),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn a_pool_held_by_stuck_probes_gives_up_instead_of_hanging() {
        let pool = ProbePool::new(1);
        let stuck: Vec<ProbeTask> = vec![Box::new(|| {
            std::thread::sleep(Duration::from_secs(2));
            outcome(1)
        })];
        let started = Instant::now();
        assert!(pool.run_batch(stuck, Duration::from_millis(100))[0].is_none());
        // The only place is still taken: the next batch waits one overrun, then gives up.
        let next: Vec<ProbeTask> = vec![Box::new(|| outcome(2)), Box::new(|| outcome(3))];
        let results = pool.run_batch(next, Duration::from_millis(200));
        assert!(results.iter().all(Option::is_none), "{results:?}");
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn an_overrunning_or_panicking_task_is_none_and_does_not_hold_the_batch() {
        // Three places, so no task waits for another's: a panic's unwinding (its hook may
        // print a symbolised backtrace, slow on a loaded machine) must not decide the test.
        let pool = ProbePool::new(3);
        let tasks: Vec<ProbeTask> = vec![
            Box::new(|| {
                std::thread::sleep(Duration::from_secs(3));
                outcome(1)
            }),
            Box::new(|| panic!("a probe bug")),
            Box::new(|| outcome(3)),
        ];
        let started = Instant::now();
        let results = pool.run_batch(tasks, Duration::from_millis(200));
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        assert!(results[0].is_none() && results[1].is_none());
        assert_eq!(results[2].as_ref().map(|o| o.message.as_str()), Some("3"));
        // The panicked probe gave its place back: with the sleeper still holding one, two
        // more run at the same time (each waits to see the other; a leaked place would leave
        // one alone).
        let arrived = Arc::new(AtomicUsize::new(0));
        let together = |arrived: Arc<AtomicUsize>| {
            Box::new(move || {
                arrived.fetch_add(1, Ordering::SeqCst);
                let until = Instant::now() + Duration::from_millis(1500);
                while arrived.load(Ordering::SeqCst) < 2 && Instant::now() < until {
                    std::thread::sleep(Duration::from_millis(5));
                }
                outcome(arrived.load(Ordering::SeqCst) as u64)
            }) as ProbeTask
        };
        let next = vec![together(arrived.clone()), together(arrived)];
        let results = pool.run_batch(next, Duration::from_secs(2));
        let seen: Vec<_> = results
            .iter()
            .map(|r| r.as_ref().map(|o| o.message.clone()))
            .collect();
        assert_eq!(seen, vec![Some("2".to_owned()), Some("2".to_owned())]);
    }
}
