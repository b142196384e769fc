//! The probe executor, an I/O port: runs one request's probes concurrently, within the
//! request's deadline, until the request is canceled; and the bounds a request gets.

use super::probe::ProbeOutcome;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// One unit of work for a [`ProbeExecutor`].
pub type ProbeTask = Box<dyn FnOnce() -> ProbeOutcome + Send + 'static>;

/// Set once when whoever asked for a test stops waiting for it (the HTTP client went away);
/// clones share it. Probes not started by then are skipped and none starts after.
#[derive(Debug, Clone, Default)]
pub struct CancelFlag(Arc<AtomicBool>);

impl CancelFlag {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_canceled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// What bounds one SSH test request as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TestLimits {
    /// The most hosts the selected inventories may hold together (`HUB_SSH_MAX_HOSTS`);
    /// a test over more is refused before anything is probed.
    pub max_hosts: usize,
    /// From the start of the request to its answer (`HUB_SSH_TEST_DEADLINE_SECS`): hosts
    /// without a result by then are reported timed out.
    pub deadline: Duration,
}

impl Default for TestLimits {
    fn default() -> Self {
        Self {
            max_hosts: 1_000,
            deadline: Duration::from_secs(30),
        }
    }
}

/// One request's probes, and when to stop.
pub struct ProbeBatch {
    pub tasks: Vec<ProbeTask>,
    /// How long a started task may run before the batch stops waiting for it (the probe's
    /// timeout plus a grace: a probe that ignores its timeout does not hold the answer).
    pub overrun: Duration,
    /// When the batch answers whatever is left.
    pub deadline: Instant,
    pub cancel: CancelFlag,
}

impl fmt::Debug for ProbeBatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProbeBatch")
            .field("tasks", &self.tasks.len())
            .field("overrun", &self.overrun)
            .field("deadline", &self.deadline)
            .field("cancel", &self.cancel)
            .finish()
    }
}

/// Why a task of a batch has no outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unprobed {
    /// It ran longer than the overrun (it ignored its timeout), or it panicked.
    Lost,
    /// The deadline passed before it started.
    DeadlineBeforeStart,
    /// The deadline passed while it ran.
    DeadlineWhileRunning,
    /// The batch was canceled before it ended.
    Canceled,
}

/// A task's result: its outcome, or why there is none.
pub type TaskResult = Result<ProbeOutcome, Unprobed>;

/// Runs a batch of probes concurrently on threads of its own, bounded in how many run at
/// once (across every batch in flight), and waits for them.
///
/// Contract (every adapter): returns one entry per task, in task order, and returns
/// - when every task has a result;
/// - at `deadline` at the latest (plus scheduling slack): tasks not started are
///   [`Unprobed::DeadlineBeforeStart`], tasks still running [`Unprobed::DeadlineWhileRunning`]
///   (their threads finish on their own, within their timeout);
/// - soon after `cancel` is set: no task starts after that, and every task without an
///   outcome yet is [`Unprobed::Canceled`].
///
/// A task running longer than `overrun`, or that panicked, is [`Unprobed::Lost`]. Batches in
/// flight at once share the executor fairly: a small batch does not wait for a large one.
pub trait ProbeExecutor: Send + Sync + fmt::Debug {
    fn run_batch(&self, batch: ProbeBatch) -> Vec<TaskResult>;
}

/// A duration as an operator reads it: `30 s`, `1.5 s`.
pub(crate) fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_flag() {
        let flag = CancelFlag::new();
        let other = flag.clone();
        assert!(!other.is_canceled());
        flag.cancel();
        assert!(other.is_canceled());
    }

    #[test]
    fn durations_read_in_seconds() {
        assert_eq!(seconds(Duration::from_secs(30)), "30 s");
        assert_eq!(seconds(Duration::from_millis(1500)), "1.5 s");
    }
}
