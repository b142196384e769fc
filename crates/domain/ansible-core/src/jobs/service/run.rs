//! Running one job: claim it, run its playbooks in order through the runner with the
//! output going to the store, and end it; the lease is renewed all along, and a run whose
//! lease is lost stops writing at once.

use super::JobService;
use super::guard::{RunGuard, Stop};
use crate::catalog::{PlaybookId, PlaybookRunRecorder, StoreError};
use crate::jobs::error::{JobError, JobStoreError};
use crate::jobs::id::{JobId, WorkerId};
use crate::jobs::job::Job;
use crate::jobs::ports::{CancelToken, JobRepository, PreparedRun, RunFailure};
use crate::jobs::recap::{JobEnd, SERVER_STOPPED};
use crate::jobs::status::JobStatus;

/// How a claimed job's run ended for this worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunEnd {
    /// The job ended so.
    Ended(JobStatus),
    /// The lease was lost (the job was reaped, or the store could not be written in time):
    /// the run stopped, and the job is the reaper's.
    LeaseLost,
}

/// What [`JobService::run_one`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    pub job: JobId,
    pub end: RunEnd,
    /// Playbooks whose catalogue status could not be written, for the log: the job record
    /// stays the truth.
    pub unrecorded: Vec<(PlaybookId, StoreError)>,
}

fn stopped() -> JobEnd {
    JobEnd::Failed(SERVER_STOPPED.to_owned())
}

/// A store answer ends the run: `LeaseLost` quietly, anything else as an error.
fn lost_or(e: JobStoreError) -> Result<RunEnd, JobError> {
    match e {
        JobStoreError::LeaseLost => Ok(RunEnd::LeaseLost),
        other => Err(other.into()),
    }
}

impl<J: JobRepository, C: PlaybookRunRecorder> JobService<J, C> {
    /// Claims the oldest queued job for `worker` and runs it to its end; `Ok(None)` when
    /// nothing is queued. Blocks for the whole run. A failing playbook does not stop the
    /// next; a cancel, the time limit or a runner that cannot run ends the job there, and
    /// so does `shutdown` (the server stopping: the job fails as the reaper would fail it,
    /// but at once, with its process group killed).
    /// Errors: `Unavailable` when the store fails mid-run: the run stops, and the job,
    /// whose lease is no longer renewed, is left to the reaper.
    pub fn run_one(
        &self,
        worker: &WorkerId,
        shutdown: &dyn CancelToken,
    ) -> Result<Option<RunReport>, JobError> {
        let Some(job) = self.jobs.claim(worker, self.now(), self.settings.lease)? else {
            return Ok(None);
        };
        let mut unrecorded = Vec::new();
        let end = self.run_claimed(&job, worker, shutdown, &mut unrecorded)?;
        Ok(Some(RunReport {
            job: job.id,
            end,
            unrecorded,
        }))
    }

    fn run_claimed(
        &self,
        job: &Job,
        worker: &WorkerId,
        shutdown: &dyn CancelToken,
        unrecorded: &mut Vec<(PlaybookId, StoreError)>,
    ) -> Result<RunEnd, JobError> {
        let Some(snapshot) = self.jobs.snapshot(&job.id)? else {
            let missing = JobEnd::Failed("the job's snapshot is missing".to_owned());
            return self.end(job, worker, missing, None, unrecorded);
        };
        let clock = self.clock.as_ref();
        let guard = RunGuard::new(&self.jobs, clock, job, worker, shutdown, &self.settings);
        let deadline = job.started_at.unwrap_or_else(|| self.now()) + self.settings.timeout;
        let extra_vars_json = job.extra_vars.to_json();
        let known_hosts = match self.trusted_keys() {
            Ok(keys) => keys,
            Err(e) => {
                let unread =
                    JobEnd::Failed(format!("the trusted host keys could not be read: {e}"));
                return self.end(job, worker, unread, None, unrecorded);
            }
        };
        for playbook in &snapshot.playbooks {
            match guard.check(true) {
                Some(Stop::LeaseLost) => return Ok(RunEnd::LeaseLost),
                Some(Stop::Failed(e)) => return Err(e.into()),
                Some(Stop::CancelRequested) => {
                    return self.end(job, worker, JobEnd::Canceled, None, unrecorded);
                }
                Some(Stop::Shutdown) => {
                    return self.end(job, worker, stopped(), None, unrecorded);
                }
                None => {}
            }
            let now = self.now();
            let left = (deadline - now).to_std().ok().filter(|d| !d.is_zero());
            let Some(timeout) = left else {
                return self.end(job, worker, self.timed_out(), None, unrecorded);
            };
            if let Err(e) = self
                .jobs
                .record_playbook_start(&job.id, worker, playbook.id, now)
            {
                return lost_or(e);
            }
            let run = PreparedRun {
                job: job.id.clone(),
                playbook: playbook.id,
                inventory: snapshot.inventory.clone(),
                playbook_text: playbook.text.clone(),
                extra_vars_json: extra_vars_json.clone(),
                timeout,
                known_hosts: known_hosts.clone(),
            };
            let mut sink = guard.sink(playbook.id, self.settings.output_cap);
            let result = self.runner.run(&run, &mut sink, &guard);
            let stop = guard.stop();
            let end = match (result, stop) {
                (_, Some(Stop::LeaseLost)) => return Ok(RunEnd::LeaseLost),
                (_, Some(Stop::Failed(e))) => return Err(e.into()),
                (Ok(result), _) => {
                    let at = self.now();
                    match self.jobs.record_playbook_finish(
                        &job.id,
                        worker,
                        playbook.id,
                        &result,
                        at,
                    ) {
                        Ok(status) => self.record_catalog(playbook.id, status, at, unrecorded),
                        Err(e) => return lost_or(e),
                    }
                    // On to the next playbook, whatever this one's result.
                    continue;
                }
                (Err(RunFailure::Canceled), Some(Stop::CancelRequested)) => JobEnd::Canceled,
                (Err(RunFailure::Canceled), Some(Stop::Shutdown)) => stopped(),
                (Err(RunFailure::Canceled), None) => {
                    JobEnd::Failed("the playbook runner stopped the run unasked".to_owned())
                }
                (Err(RunFailure::TimedOut), _) => self.timed_out(),
                (Err(failure), _) => JobEnd::Failed(failure.to_string()),
            };
            return self.end(job, worker, end, Some(playbook.id), unrecorded);
        }
        self.end(job, worker, JobEnd::Completed, None, unrecorded)
    }

    fn timed_out(&self) -> JobEnd {
        JobEnd::Failed(format!(
            "the job ran past its time limit of {} s (HUB_JOB_TIMEOUT_SECS)",
            self.settings.timeout.num_seconds()
        ))
    }

    /// Ends the job; `running` is the playbook the end interrupts, whose catalogue status
    /// follows.
    fn end(
        &self,
        job: &Job,
        worker: &WorkerId,
        end: JobEnd,
        running: Option<PlaybookId>,
        unrecorded: &mut Vec<(PlaybookId, StoreError)>,
    ) -> Result<RunEnd, JobError> {
        let at = self.now();
        let ended = match self.jobs.finish_job(&job.id, worker, &end, at) {
            Ok(ended) => ended,
            Err(e) => return lost_or(e),
        };
        if let Some(run) = running.and_then(|p| ended.run(p)) {
            self.record_catalog(run.playbook, run.status, at, unrecorded);
        }
        Ok(RunEnd::Ended(ended.status))
    }
}
