//! One request's wait: its probes queued, their reports collected, overruns, the deadline
//! and cancellation watched, and nothing of it left queued when it ends.

use super::{Queue, Report, Shared};
use ansible_core::connectivity::{ProbeBatch, TaskResult, Unprobed};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How often a waiting batch looks at its cancel flag.
const CANCEL_POLL: Duration = Duration::from_millis(50);

/// Why the wait ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    Settled,
    Deadline,
    Canceled,
}

/// What the batch knows of its tasks: results, and when the running ones started.
struct Progress {
    results: Vec<Option<TaskResult>>,
    started: HashMap<usize, Instant>,
    settled: usize,
}

impl Progress {
    fn record(&mut self, report: Report) {
        match report {
            Report::Started(index, at) => {
                if self.results[index].is_none() {
                    self.started.insert(index, at);
                }
            }
            Report::Done(index, outcome) => {
                self.started.remove(&index);
                if self.results[index].is_none() {
                    self.results[index] = Some(outcome.ok_or(Unprobed::Lost));
                    self.settled += 1;
                }
            }
        }
    }

    /// Tasks running past `overrun` are lost: their threads (and places) stay taken until
    /// their probes return, but the batch does not wait for them.
    fn give_up_overruns(&mut self, overrun: Duration) {
        let now = Instant::now();
        let overran: Vec<usize> = (self.started.iter())
            .filter(|(_, started)| now >= **started + overrun)
            .map(|(index, _)| *index)
            .collect();
        for index in overran {
            tracing::warn!("an SSH probe ran past {overrun:?}; reporting it as timed out");
            self.started.remove(&index);
            self.results[index] = Some(Err(Unprobed::Lost));
            self.settled += 1;
        }
    }

    fn wake_at(&self, overrun: Duration, deadline: Instant) -> Instant {
        let poll = Instant::now() + CANCEL_POLL;
        let oldest = self.started.values().min().map(|s| *s + overrun);
        oldest.map_or(deadline, |o| o.min(deadline)).min(poll)
    }
}

/// Queues `batch` on the pool and waits until every task has a result, the deadline passes
/// or the batch is canceled; see the [`ProbeExecutor`](super::ProbeExecutor) contract.
pub(super) fn run(shared: &Arc<Shared>, batch: ProbeBatch) -> Vec<TaskResult> {
    let ProbeBatch {
        tasks,
        overrun,
        deadline,
        cancel,
    } = batch;
    let total = tasks.len();
    if total == 0 {
        return Vec::new();
    }
    let (reply, replies) = mpsc::channel();
    let Some(id) = shared.lock().map(|mut state| {
        state.last_id += 1;
        let id = state.last_id;
        state.queues.push(Queue {
            id,
            pending: tasks.into_iter().enumerate().collect(),
            running: 0,
            served: 0,
            cancel: cancel.clone(),
            deadline,
            reply,
        });
        id
    }) else {
        return vec![Err(Unprobed::Lost); total];
    };
    shared.dispatch();
    let mut progress = Progress {
        results: vec![None; total],
        started: HashMap::new(),
        settled: 0,
    };
    let end = loop {
        if progress.settled == total {
            break End::Settled;
        }
        if cancel.is_canceled() {
            break End::Canceled;
        }
        let now = Instant::now();
        if now >= deadline {
            break End::Deadline;
        }
        let wait = progress
            .wake_at(overrun, deadline)
            .saturating_duration_since(now);
        match replies.recv_timeout(wait) {
            Ok(report) => progress.record(report),
            Err(RecvTimeoutError::Timeout) => progress.give_up_overruns(overrun),
            // The queue holds a sender until it is removed below: not reached.
            Err(RecvTimeoutError::Disconnected) => break End::Deadline,
        }
    };
    // Whatever had not started never will; reports that came meanwhile still count.
    let skipped = shared.lock().and_then(|mut state| {
        let at = state.queues.iter().position(|q| q.id == id)?;
        Some(state.queues.remove(at).pending.len())
    });
    while let Ok(report) = replies.try_recv() {
        progress.record(report);
    }
    let unsettled = total - progress.settled;
    match end {
        End::Settled => {}
        End::Canceled => tracing::info!(
            skipped = skipped.unwrap_or_default(),
            unsettled,
            "SSH test canceled (the client went away): the hosts not started are skipped"
        ),
        End::Deadline => tracing::info!(
            skipped = skipped.unwrap_or_default(),
            unsettled,
            "SSH test deadline passed: the hosts without a result are reported timed out"
        ),
    }
    let Progress {
        results, started, ..
    } = progress;
    let unprobed = |index: usize| match end {
        End::Canceled => Unprobed::Canceled,
        _ if started.contains_key(&index) => Unprobed::DeadlineWhileRunning,
        _ => Unprobed::DeadlineBeforeStart,
    };
    (results.into_iter().enumerate())
        .map(|(index, result)| result.unwrap_or_else(|| Err(unprobed(index))))
        .collect()
}
