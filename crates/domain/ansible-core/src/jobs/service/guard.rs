//! What stands between a running job and the runner: the cancel token the runner polls
//! (which renews the lease when due, and so learns of cancel requests) and the output sink
//! (which stores each chunk under the lease). Both stop the run once the lease is lost.

use super::JobSettings;
use crate::catalog::PlaybookId;
use crate::jobs::error::JobStoreError;
use crate::jobs::id::{JobId, WorkerId};
use crate::jobs::job::Job;
use crate::jobs::ports::{CancelToken, Clock, JobRepository, OutputSink};
use chrono::{DateTime, TimeDelta, Utc};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Why a run must stop.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Stop {
    /// End the job `canceled`.
    CancelRequested,
    /// The server is shutting down: end the job `failed`, since its server stopped.
    Shutdown,
    /// The job is not ours any more: write nothing.
    LeaseLost,
    /// The store refused a write it should have taken; the job is left to the reaper.
    Failed(JobStoreError),
}

#[derive(Debug)]
struct State {
    renewed_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    stop: Option<Stop>,
}

/// The lease of one claimed job, as its run sees it.
pub(super) struct RunGuard<'a, J> {
    jobs: &'a J,
    clock: &'a dyn Clock,
    job: &'a JobId,
    worker: &'a WorkerId,
    shutdown: &'a dyn CancelToken,
    lease: TimeDelta,
    renew_every: TimeDelta,
    state: Mutex<State>,
}

impl<'a, J: JobRepository> RunGuard<'a, J> {
    /// The guard of the lease `worker` took on `job` by claiming it; `shutdown` stops the
    /// run too.
    pub(super) fn new(
        jobs: &'a J,
        clock: &'a dyn Clock,
        job: &'a Job,
        worker: &'a WorkerId,
        shutdown: &'a dyn CancelToken,
        settings: &JobSettings,
    ) -> Self {
        let claimed_at = job.started_at.unwrap_or_else(|| clock.now());
        let expires_at = job
            .lease
            .as_ref()
            .map_or(claimed_at, |lease| lease.expires_at);
        Self {
            jobs,
            clock,
            job: &job.id,
            worker,
            shutdown,
            lease: settings.lease,
            // Renewing three times a lease leaves two renewals' room for a slow store.
            renew_every: settings.renew_every.min(settings.lease / 3),
            state: Mutex::new(State {
                renewed_at: claimed_at,
                expires_at,
                stop: None,
            }),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Renews the lease when due (or now, when `force`), and says whether to stop. A
    /// renewal the store cannot take is tried again at the next check, until the lease has
    /// run out: then the job is as good as reaped.
    pub(super) fn check(&self, force: bool) -> Option<Stop> {
        let mut state = self.state();
        if matches!(state.stop, Some(Stop::LeaseLost | Stop::Failed(_))) {
            return state.stop.clone();
        }
        let now = self.clock.now();
        if force || now - state.renewed_at >= self.renew_every {
            match self.jobs.renew(self.job, self.worker, now, self.lease) {
                Ok(renewal) => {
                    state.renewed_at = now;
                    state.expires_at = now + self.lease;
                    if renewal.cancel_requested {
                        state.stop = Some(Stop::CancelRequested);
                    }
                }
                Err(JobStoreError::LeaseLost) => state.stop = Some(Stop::LeaseLost),
                Err(_) if now >= state.expires_at => state.stop = Some(Stop::LeaseLost),
                Err(_) => {}
            }
        }
        if state.stop.is_none() && self.shutdown.is_canceled() {
            state.stop = Some(Stop::Shutdown);
        }
        state.stop.clone()
    }

    /// The reason to stop found so far, without renewing.
    pub(super) fn stop(&self) -> Option<Stop> {
        self.state().stop.clone()
    }

    fn fail(&self, stop: Stop) {
        let mut state = self.state();
        if !matches!(state.stop, Some(Stop::LeaseLost | Stop::Failed(_))) {
            state.stop = Some(stop);
        }
    }

    /// Where the output of `playbook` goes.
    pub(super) fn sink(&'a self, playbook: PlaybookId, cap: u64) -> GuardSink<'a, J> {
        GuardSink {
            guard: self,
            playbook,
            cap,
        }
    }
}

impl<J: JobRepository> CancelToken for RunGuard<'_, J> {
    fn is_canceled(&self) -> bool {
        self.check(false).is_some()
    }
}

/// Stores a playbook's output chunk by chunk, under the lease.
pub(super) struct GuardSink<'a, J> {
    guard: &'a RunGuard<'a, J>,
    playbook: PlaybookId,
    cap: u64,
}

impl<J: JobRepository> OutputSink for GuardSink<'_, J> {
    fn write(&mut self, chunk: &str) {
        let guard = self.guard;
        if matches!(guard.stop(), Some(Stop::LeaseLost | Stop::Failed(_))) {
            return;
        }
        match guard
            .jobs
            .append_output(guard.job, guard.worker, self.playbook, chunk, self.cap)
        {
            Ok(_) => {}
            Err(JobStoreError::LeaseLost) => guard.fail(Stop::LeaseLost),
            // Output that cannot be stored would be lost silently; stop instead.
            Err(e) => guard.fail(Stop::Failed(e)),
        }
        // A run that writes a lot renews as it writes.
        guard.check(false);
    }
}
