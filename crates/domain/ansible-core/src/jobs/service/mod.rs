//! The job use cases: execute (validate, snapshot, enqueue), read, cancel, reap, and run a
//! queued job to its end ([`run_one`](JobService::run_one), in `run.rs`).

mod guard;
mod run;
#[cfg(test)]
mod tests;

pub use run::{RunEnd, RunReport};

use super::error::{JobError, JobStoreError};
use super::id::JobId;
use super::job::{Job, NewJob};
use super::output::{OutputChunk, OutputRead};
use super::ports::{Clock, JobQuery, JobRepository, PlaybookRunner, RunFailure};
use super::recap::catalog_status;
use super::request::{ExecuteRequest, Inventories, only_inventory};
use super::snapshot::{JobSnapshot, PlaybookSnapshot};
use super::status::{JobStatus, PlaybookRunStatus};
use super::view::{JobDetail, JobSummary, OUTPUT_TAIL_BYTES};
use super::wakeup::Wakeup;
use crate::catalog::{
    InventoryId, InventoryQuery, InventoryRepository, Page, PageRequest, PlaybookId,
    PlaybookRepository, PlaybookRunRecorder, StoreError,
};
use crate::connectivity::{KnownHostRepository, render_known_hosts};
use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use std::fmt;
use std::sync::Arc;

/// How jobs run; the defaults are DESIGN §3.4's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobSettings {
    /// How long a claim or a renewal holds a job (`HUB_JOB_LEASE_SECS`, 30 s).
    pub lease: TimeDelta,
    /// How often a running job's lease is renewed and its cancel flag read (2 s, and never
    /// less often than a third of the lease): the delay before a cancel takes effect.
    pub renew_every: TimeDelta,
    /// The longest a job may run, all its playbooks together (`HUB_JOB_TIMEOUT_SECS`, 3600 s).
    pub timeout: TimeDelta,
    /// The most output kept per playbook (`HUB_JOB_OUTPUT_MAX_BYTES`, 8 MiB).
    pub output_cap: u64,
}

impl Default for JobSettings {
    fn default() -> Self {
        Self {
            lease: TimeDelta::seconds(30),
            renew_every: TimeDelta::seconds(2),
            timeout: TimeDelta::seconds(3600),
            output_cap: 8 * 1024 * 1024,
        }
    }
}

/// What a reaping ended.
#[derive(Debug, Clone, PartialEq)]
pub struct ReapReport {
    pub jobs: Vec<JobId>,
    /// Playbooks whose catalogue status could not be written, for the log: the job record
    /// stays the truth.
    pub unrecorded: Vec<(PlaybookId, StoreError)>,
    /// Jobs over (or reaped) whose runs had left something on this machine, ended now, with
    /// how many processes were killed.
    pub strays: Vec<(JobId, usize)>,
    /// Why strays could not be looked for or ended, for the log; the reaping stands.
    pub stray_failures: Vec<RunFailure>,
}

/// The jobs over a job store `J` and the catalogue `C` they run from; the runner and the
/// clock are shared I/O ports.
pub struct JobService<J, C> {
    jobs: J,
    catalog: C,
    runner: Arc<dyn PlaybookRunner>,
    clock: Arc<dyn Clock>,
    settings: JobSettings,
    /// Rung by each enqueue; idle workers wait on it.
    wakeup: Arc<Wakeup>,
    /// The host keys trusted by SSH tests, handed to each run; `None`: the runner's own.
    known_hosts: Option<Arc<dyn KnownHostRepository>>,
}

impl<J, C> fmt::Debug for JobService<J, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JobService")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl<J, C> JobService<J, C> {
    pub fn new(
        jobs: J,
        catalog: C,
        runner: Arc<dyn PlaybookRunner>,
        clock: Arc<dyn Clock>,
        settings: JobSettings,
    ) -> Self {
        Self {
            jobs,
            catalog,
            runner,
            clock,
            settings,
            wakeup: Arc::new(Wakeup::new()),
            known_hosts: None,
        }
    }

    /// Runs check hosts' keys against these (the SSH test's trusted keys), read as each job
    /// starts; a job whose keys cannot be read fails rather than run unchecked.
    pub fn with_known_hosts(mut self, known_hosts: Arc<dyn KnownHostRepository>) -> Self {
        self.known_hosts = Some(known_hosts);
        self
    }

    /// The trusted keys as a known_hosts file, when the service has a store of them.
    fn trusted_keys(&self) -> Result<Option<String>, StoreError> {
        self.known_hosts
            .as_ref()
            .map(|store| {
                store
                    .list_known_hosts()
                    .map(|hosts| render_known_hosts(&hosts))
            })
            .transpose()
    }

    /// What idle workers wait on; ring it when another server queues a job.
    pub fn wakeup(&self) -> Arc<Wakeup> {
        Arc::clone(&self.wakeup)
    }

    pub fn store(&self) -> &J {
        &self.jobs
    }

    pub fn settings(&self) -> &JobSettings {
        &self.settings
    }

    /// Now, as the stores keep it (to the microsecond), so that what a call returns equals
    /// what a later read finds.
    fn now(&self) -> DateTime<Utc> {
        self.clock.now().trunc_subsecs(6)
    }
}

impl<J: JobRepository, C: InventoryRepository + PlaybookRepository> JobService<J, C> {
    /// Queues a job: each playbook rendered as it is now, the inventory's text as it is
    /// now. Errors: `PlaybookNotFound`, `InventoryNotFound`, `InventoryRequired` (no
    /// inventory named and not exactly one exists), `Catalog` for a stored playbook that no
    /// longer renders, `Unavailable`.
    pub fn execute(&self, request: ExecuteRequest) -> Result<Job, JobError> {
        let mut playbooks = Vec::with_capacity(request.playbooks.len());
        for &id in &request.playbooks {
            let playbook = self
                .catalog
                .get_playbook(id)?
                .ok_or(JobError::PlaybookNotFound(id))?;
            playbooks.push(PlaybookSnapshot {
                id,
                text: playbook.render().map_err(JobError::Catalog)?,
                name: playbook.name,
            });
        }
        let inventory_id = match request.inventory {
            Some(id) => id,
            None => only_inventory(self.existing_inventories()?)?,
        };
        let inventory = self
            .catalog
            .get_inventory(inventory_id)?
            .ok_or(JobError::InventoryNotFound(inventory_id))?;
        let job = NewJob {
            id: JobId::generate(),
            inventory: inventory.id,
            extra_vars: request.extra_vars,
            snapshot: JobSnapshot {
                inventory: inventory.config,
                playbooks,
            },
            created_at: self.now(),
        };
        let queued = self.jobs.enqueue(&job)?;
        self.wakeup.ring();
        Ok(queued)
    }

    fn existing_inventories(&self) -> Result<Inventories, JobError> {
        let first_two = InventoryQuery {
            search: None,
            page: PageRequest {
                page: 1,
                per_page: 2,
            },
        };
        Ok(Inventories::from_page(
            &self.catalog.list_inventories(&first_two)?,
        ))
    }
}

impl<J: JobRepository, C> JobService<J, C> {
    pub fn job(&self, id: &JobId) -> Result<Job, JobError> {
        self.jobs
            .get(id)?
            .ok_or_else(|| JobError::JobNotFound(id.to_string()))
    }

    /// The job with the last [`OUTPUT_TAIL_BYTES`] of each playbook's output, read as one
    /// state. Errors: `JobNotFound`, `Unavailable`.
    pub fn detail(&self, id: &JobId) -> Result<JobDetail, JobError> {
        self.jobs
            .detail(id, OUTPUT_TAIL_BYTES)?
            .ok_or_else(|| JobError::JobNotFound(id.to_string()))
    }

    /// One page of job summaries (no extra variables, no output).
    pub fn jobs(&self, query: &JobQuery) -> Result<Page<JobSummary>, JobError> {
        Ok(self.jobs.list(query)?)
    }

    /// Cancels a queued job at once, or asks the worker of a running one to stop it.
    /// Errors: `JobNotFound`, `NotCancelable` for a finished job, `Unavailable`.
    pub fn cancel(&self, id: &JobId) -> Result<Job, JobError> {
        match self.jobs.request_cancel(id, self.now()) {
            Ok(Some(job)) => Ok(job),
            Ok(None) => Err(JobError::JobNotFound(id.to_string())),
            Err(JobStoreError::NotCancelable(status)) => Err(JobError::NotCancelable {
                id: id.clone(),
                status,
            }),
            Err(e) => Err(e.into()),
        }
    }

    /// A playbook's output from a byte offset. Errors: `JobNotFound`, `PlaybookNotFound`
    /// when the job does not run the playbook, `Unavailable`.
    pub fn output(
        &self,
        id: &JobId,
        playbook: PlaybookId,
        offset: u64,
    ) -> Result<OutputRead, JobError> {
        match self.jobs.read_output(id, playbook, offset)? {
            Some(read) => Ok(read),
            None => {
                self.job(id)?;
                Err(JobError::PlaybookNotFound(playbook))
            }
        }
    }

    /// The job's output chunks after sequence number `after` (a live reader's resumption
    /// point), at most `limit`. An unknown job has none.
    pub fn output_after(
        &self,
        id: &JobId,
        after: u64,
        limit: usize,
    ) -> Result<Vec<OutputChunk>, JobError> {
        Ok(self.jobs.output_chunks_after(id, after, limit)?)
    }

    /// Whether a queued or running job uses the inventory.
    pub fn inventory_in_use(&self, inventory: InventoryId) -> Result<bool, JobError> {
        Ok(self.jobs.inventory_in_use(inventory)?)
    }
}

impl<J: JobRepository, C: PlaybookRunRecorder> JobService<J, C> {
    /// Fails every running job whose lease expired (its server stopped), never re-running
    /// one; run at start-up and every lease period.
    pub fn reap(&self) -> Result<ReapReport, JobError> {
        let now = self.now();
        let jobs = self.jobs.reap(now)?;
        let mut unrecorded = Vec::new();
        for id in &jobs {
            let Some(job) = self.jobs.get(id)? else {
                continue;
            };
            // The reap ended the runs that were running, at `now`.
            for run in &job.playbooks {
                if run.status == PlaybookRunStatus::Failed && run.completed_at == Some(now) {
                    self.record_catalog(run.playbook, run.status, now, &mut unrecorded);
                }
            }
        }
        let mut report = ReapReport {
            jobs,
            unrecorded,
            strays: Vec::new(),
            stray_failures: Vec::new(),
        };
        self.end_strays(&mut report)?;
        Ok(report)
    }

    /// Ends what runs of finished jobs left on this machine: a server killed outright
    /// could not stop its processes, and its directories hold inventories. Only jobs of
    /// this store, and only those no longer `running`: a running job's run belongs to a
    /// live worker here or elsewhere (a stopped one's lease expires, and the reap ends it
    /// first). A job this store does not know is another hub's, and left alone.
    fn end_strays(&self, report: &mut ReapReport) -> Result<(), JobError> {
        let left = match self.runner.runs_left_here() {
            Ok(left) => left,
            Err(e) => {
                report.stray_failures.push(e);
                return Ok(());
            }
        };
        for id in left {
            let over = self
                .jobs
                .get(&id)?
                .is_some_and(|job| job.status != JobStatus::Running);
            if !over {
                continue;
            }
            match self.runner.end_strays(&id) {
                Ok(killed) => report.strays.push((id, killed)),
                Err(e) => report.stray_failures.push(e),
            }
        }
        Ok(())
    }

    /// Writes a run's result to the catalogue's copy; a failure is noted, not fatal.
    fn record_catalog(
        &self,
        playbook: PlaybookId,
        status: PlaybookRunStatus,
        at: DateTime<Utc>,
        unrecorded: &mut Vec<(PlaybookId, StoreError)>,
    ) {
        if let Some(status) = catalog_status(status)
            && let Err(e) = self.catalog.record_run(playbook, status, at)
        {
            unrecorded.push((playbook, e));
        }
    }
}
