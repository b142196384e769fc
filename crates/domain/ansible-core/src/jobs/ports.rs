//! The job machinery's ports: the queue and record store, the playbook runner (an I/O port),
//! and the clock. Repository calls are atomic, and every one may answer
//! [`JobStoreError::Unavailable`] when the store itself fails; the other answers each method
//! may give are in its documentation.
//!
//! Times are passed in, never read by a store, so that a contract can play out a lease's
//! expiry without waiting; stores keep them to the microsecond.

use super::error::JobStoreError;
use super::id::{JobId, WorkerId};
use super::job::{Job, NewJob};
use super::output::{Appended, OutputChunk, OutputRead};
use super::recap::{JobEnd, PlaybookResult};
use super::snapshot::JobSnapshot;
use super::status::{JobStatus, PlaybookRunStatus};
use super::view::{JobDetail, JobSummary};
use crate::catalog::{InventoryId, Page, PageRequest, PlaybookId};
use chrono::{DateTime, TimeDelta, Utc};
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// A list of jobs: each filter narrows it, and a page.
#[derive(Debug, Clone, PartialEq)]
pub struct JobQuery {
    pub status: Option<JobStatus>,
    /// Jobs that run this playbook (among others).
    pub playbook: Option<PlaybookId>,
    pub inventory: Option<InventoryId>,
    pub page: PageRequest,
}

/// What a renewal tells the holder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Renewal {
    /// A cancel was asked for: stop the run and end the job `canceled`.
    pub cancel_requested: bool,
}

/// The job queue and the job records, with their output. Writes a worker makes while
/// running a job are fenced by its lease: each checks, in the same atomic step, that the
/// job is `running` under that worker, and answers [`JobStoreError::LeaseLost`] (changing
/// nothing) otherwise. A reaped job therefore cannot be written by the worker it outlived.
pub trait JobRepository: Send + Sync {
    /// Stores the queued job ([`NewJob::queued`]) and its snapshot in one write; returns the
    /// stored record. Errors: [`JobStoreError::Duplicate`] when the id is taken.
    fn enqueue(&self, job: &NewJob) -> Result<Job, JobStoreError>;

    /// The job; `Ok(None)` when absent.
    fn get(&self, id: &JobId) -> Result<Option<Job>, JobStoreError>;

    /// What the job runs, as taken when it was queued; `Ok(None)` when absent.
    fn snapshot(&self, id: &JobId) -> Result<Option<JobSnapshot>, JobStoreError>;

    /// The job and the last `tail` bytes of each of its playbooks' output
    /// ([`OutputTail::of`](super::view::OutputTail::of)), in the job's order, read as one
    /// state: each tail's offset and text are those of the stored output, never more than
    /// `tail` bytes of it whatever the output's size. `Ok(None)` when absent.
    fn detail(&self, id: &JobId, tail: u64) -> Result<Option<JobDetail>, JobStoreError>;

    /// One page of the matching jobs' summaries ([`Job::summary`]: no extra variables, no
    /// output), newest first (by `created_at`, and among equal times the later enqueued
    /// first), and how many match.
    fn list(&self, query: &JobQuery) -> Result<Page<JobSummary>, JobStoreError>;

    /// Takes the oldest queued job (by `created_at`, and among equal times the first
    /// enqueued) for `worker`: running from `now`, leased until `now + lease`
    /// ([`Job::claim`]). Atomic against every other claim: two claimers, on one server or
    /// several, never get the same job. `Ok(None)` when nothing is queued.
    fn claim(
        &self,
        worker: &WorkerId,
        now: DateTime<Utc>,
        lease: TimeDelta,
    ) -> Result<Option<Job>, JobStoreError>;

    /// Extends the lease `worker` holds to `now + lease`, and says whether a cancel was
    /// asked for. A lease past its expiry that the reaper has not ended yet is still held.
    /// Errors: [`JobStoreError::LeaseLost`] (no row updated): stop the run at once.
    fn renew(
        &self,
        id: &JobId,
        worker: &WorkerId,
        now: DateTime<Utc>,
        lease: TimeDelta,
    ) -> Result<Renewal, JobStoreError>;

    /// The playbook starts running at `at` ([`Job::start_playbook`]).
    /// Errors: [`JobStoreError::LeaseLost`]; [`JobStoreError::Illegal`] when the playbook is
    /// not the job's or not queued.
    fn record_playbook_start(
        &self,
        id: &JobId,
        worker: &WorkerId,
        playbook: PlaybookId,
        at: DateTime<Utc>,
    ) -> Result<(), JobStoreError>;

    /// The playbook's process ended with `result`; returns the run's status
    /// ([`Job::finish_playbook`]: `success` iff exit code 0).
    /// Errors: [`JobStoreError::LeaseLost`]; [`JobStoreError::Illegal`] when the playbook is
    /// not the job's or not running.
    fn record_playbook_finish(
        &self,
        id: &JobId,
        worker: &WorkerId,
        playbook: PlaybookId,
        result: &PlaybookResult,
        at: DateTime<Utc>,
    ) -> Result<PlaybookRunStatus, JobStoreError>;

    /// Appends a chunk to the running playbook's output as the next chunk of the job
    /// (sequence numbers 1, 2, … across the job), never rewriting what is stored. What is
    /// kept is [`admit`](super::output::admit)'s to say: up to `cap` bytes per playbook,
    /// then the truncation marker, then nothing. The run's `output_bytes` and
    /// `output_truncated` follow. Errors: [`JobStoreError::LeaseLost`];
    /// [`JobStoreError::Illegal`] when the playbook is not the job's or not running.
    fn append_output(
        &self,
        id: &JobId,
        worker: &WorkerId,
        playbook: PlaybookId,
        text: &str,
        cap: u64,
    ) -> Result<Appended, JobStoreError>;

    /// The playbook's output from byte `offset` ([`OutputRead::from_output`]); complete once
    /// the run is over. `Ok(None)` when the job is absent or does not run the playbook.
    fn read_output(
        &self,
        id: &JobId,
        playbook: PlaybookId,
        offset: u64,
    ) -> Result<Option<OutputRead>, JobStoreError>;

    /// At most `limit` of the job's chunks with a sequence number above `after`, in order
    /// (`after` 0: from the first). Empty when there are none, or no such job.
    fn output_chunks_after(
        &self,
        id: &JobId,
        after: u64,
        limit: usize,
    ) -> Result<Vec<OutputChunk>, JobStoreError>;

    /// Asks for a cancel at `at` ([`Job::cancel`]): a queued job is `canceled` at once (every
    /// playbook `skipped`); a running one gets `cancel_requested`, which its worker sees at
    /// its next renewal. Returns the job after the change; `Ok(None)` when absent.
    /// Errors: [`JobStoreError::NotCancelable`] with the status of a finished job.
    fn request_cancel(&self, id: &JobId, at: DateTime<Utc>) -> Result<Option<Job>, JobStoreError>;

    /// Ends the running job ([`Job::end`]) and releases the lease, appending the end's
    /// notice (why it failed, that it was canceled) to the output of the playbook it was at,
    /// past the cap if need be. Returns the ended job. Errors: [`JobStoreError::LeaseLost`];
    /// [`JobStoreError::Illegal`] for `Completed` while a playbook has not finished.
    fn finish_job(
        &self,
        id: &JobId,
        worker: &WorkerId,
        end: &JobEnd,
        at: DateTime<Utc>,
    ) -> Result<Job, JobStoreError>;

    /// Ends every running job whose lease expired before `now` as
    /// `JobEnd::Failed(SERVER_STOPPED)` (see [`finish_job`](Self::finish_job) for what that
    /// writes), at `now`. Such a job is never queued again: whatever it did may have
    /// happened on the hosts already. Returns the ids of the jobs it ended.
    fn reap(&self, now: DateTime<Utc>) -> Result<Vec<JobId>, JobStoreError>;

    /// Whether a queued or running job uses the inventory (then it may not be deleted).
    fn inventory_in_use(&self, inventory: InventoryId) -> Result<bool, JobStoreError>;
}

/// A store of jobs, as services and the contract take it.
pub trait JobStore: JobRepository + Clone + 'static {}

impl<T: JobRepository + Clone + 'static> JobStore for T {}

/// Now. Only the services read it; a run lasts long, and its lease renewals need the time of
/// each.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The system's clock. Leases compare times written by several servers, so their clocks
/// must agree to well within a lease (NTP does).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// One ansible-playbook run, with everything the job's directory will hold.
#[derive(Clone, PartialEq, Eq)]
pub struct PreparedRun {
    pub job: JobId,
    pub playbook: PlaybookId,
    /// The inventory text; it may hold passwords.
    pub inventory: String,
    /// The rendered playbook.
    pub playbook_text: String,
    /// The extra variables as one JSON object, for `-e @file`.
    pub extra_vars_json: String,
    /// How long the run may take: what is left of the job's time limit.
    pub timeout: Duration,
    /// The host keys the hub trusts, as an OpenSSH known_hosts file, for ssh to check
    /// against (a changed key refuses; a host not in it is learnt for this run only);
    /// `None`: the runner's own known_hosts file.
    pub known_hosts: Option<String>,
}

impl fmt::Debug for PreparedRun {
    /// Sizes only: the inventory and the variables may hold passwords.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedRun")
            .field("job", &self.job)
            .field("playbook", &self.playbook)
            .field("inventory_bytes", &self.inventory.len())
            .field("playbook_bytes", &self.playbook_text.len())
            .field("extra_vars_bytes", &self.extra_vars_json.len())
            .field("timeout", &self.timeout)
            .field(
                "known_hosts",
                &self.known_hosts.as_ref().map(|k| k.lines().count()),
            )
            .finish()
    }
}

/// Where a run's output goes, as it arrives.
pub trait OutputSink: Send {
    /// The next piece of output, in order. Pieces are text (the runner decodes the process's
    /// bytes as UTF-8, replacing what is not, and never splits a character between pieces)
    /// and each is stored as one chunk, so a runner batches: whole lines where it can, at
    /// most 64 KiB and about ten pieces a second. May block briefly (a store write).
    fn write(&mut self, chunk: &str);
}

/// Whether a run must stop.
pub trait CancelToken: Send + Sync {
    /// `true`: stop now. The runner polls it at least once a second while the process runs.
    /// May block briefly: the job service renews the job's lease in it.
    fn is_canceled(&self) -> bool;
}

/// A flag another thread sets: the server's shutdown signal, for one.
impl CancelToken for AtomicBool {
    fn is_canceled(&self) -> bool {
        self.load(Ordering::SeqCst)
    }
}

/// Why a run did not produce a [`PlaybookResult`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RunFailure {
    /// The runner program could not be started (not found, not executable).
    #[error(
        "the playbook runner {program:?} could not be started ({detail}); install ansible-core, \
         or set HUB_ANSIBLE_PLAYBOOK to the ansible-playbook to use"
    )]
    RunnerMissing { program: String, detail: String },
    /// The run passed its `timeout`; its process group was killed.
    #[error("the run passed its time limit")]
    TimedOut,
    /// The cancel token said stop; the process group was killed.
    #[error("the run was canceled")]
    Canceled,
    /// The run could not be prepared or watched (its directory, its pipes); for logs and
    /// the job's output, never with a secret in it.
    #[error("the run could not be carried out: {0}")]
    Io(String),
}

/// Runs one playbook through ansible-playbook. An I/O port: synchronous, object-safe,
/// shared as `Arc<dyn PlaybookRunner>`; an implementation blocks for the whole run.
///
/// Implementations must: write the inventory, the playbook and the extra variables to
/// files in a directory of the job's own (0700, files 0600) and pass them by path
/// (`-e @file` for the variables), never putting a secret in argv, the environment or a log;
/// start the program directly, without a shell; run it in a process group of its own and,
/// on cancel and on timeout (a server shutting down cancels through the token), kill the
/// whole group and reap it before returning; send output to `output` as it arrives; and return the exit status and the
/// recap's host stats once the process has exited.
pub trait PlaybookRunner: Send + Sync {
    /// Errors: [`RunFailure::RunnerMissing`] naming the program, [`RunFailure::TimedOut`],
    /// [`RunFailure::Canceled`], [`RunFailure::Io`]. A playbook that fails is not an error:
    /// it is a result with a non-zero exit code.
    fn run(
        &self,
        run: &PreparedRun,
        output: &mut dyn OutputSink,
        cancel: &dyn CancelToken,
    ) -> Result<PlaybookResult, RunFailure>;

    /// The jobs with something of a run left on this machine: a process still running, or
    /// a directory (with its inventory) still on disk. A run in progress is listed too;
    /// telling it from a stray is the caller's part (its job is still `running`). A server
    /// killed outright (SIGKILL, OOM, power) leaves its runs behind this way, and no one
    /// but a server on the same machine can end them.
    /// Errors: [`RunFailure::Io`] when the machine's processes or the work directory cannot
    /// be read.
    fn runs_left_here(&self) -> Result<Vec<JobId>, RunFailure>;

    /// Kills every process on this machine of a run of `job`, waits for them to go, and
    /// removes the job's run directories (unless directories are kept); returns how many
    /// processes it killed. For strays only: a run in progress would be cut short.
    /// Errors: [`RunFailure::Io`], with what was left.
    fn end_strays(&self, job: &JobId) -> Result<usize, RunFailure>;
}
