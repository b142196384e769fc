//! The job store kept in memory, for embedding and for tests: one mutex makes every call
//! atomic (so two claimers never get the same job), and the model's lifecycle methods make
//! every change. Also a scripted [`FakeRunner`] and a [`ManualClock`] for domain tests.

mod clock;
mod runner;

pub use clock::ManualClock;
pub use runner::{FakeRunner, Script, Step};

use super::error::JobStoreError;
use super::id::{JobId, WorkerId};
use super::job::{Job, NewJob, Notice};
use super::output::{self, Appended, OutputChunk, OutputRead};
use super::ports::{JobQuery, JobRepository, Renewal};
use super::recap::{JobEnd, PlaybookResult, SERVER_STOPPED};
use super::snapshot::JobSnapshot;
use super::status::{IllegalTransition, JobStatus, PlaybookRunStatus};
use super::view::{JobDetail, JobSummary, OutputTail};
use crate::catalog::{InventoryId, Page, PlaybookId};
use chrono::{DateTime, TimeDelta, Utc};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Debug)]
struct Entry {
    /// Enqueue order, the tie-break among equal creation times.
    seq: u64,
    job: Job,
    snapshot: JobSnapshot,
    outputs: BTreeMap<PlaybookId, String>,
    chunks: Vec<OutputChunk>,
}

impl Entry {
    /// Stores `text` as the job's next chunk of the playbook's output.
    fn push(&mut self, playbook: PlaybookId, text: String) -> u64 {
        let output = self.outputs.entry(playbook).or_default();
        let seq = self.chunks.len() as u64 + 1;
        let offset = output.len() as u64;
        output.push_str(&text);
        let bytes = output.len() as u64;
        if let Some(run) = self.job.run_mut(playbook) {
            run.output_bytes = bytes;
        }
        self.chunks.push(OutputChunk {
            seq,
            playbook,
            offset,
            text,
        });
        seq
    }

    fn write_notice(&mut self, notice: Option<Notice>) {
        if let Some(Notice { playbook, message }) = notice {
            let so_far = self.outputs.get(&playbook).map_or("", String::as_str);
            let line = output::notice_line(output::ends_line(so_far), &message);
            self.push(playbook, line);
        }
    }

    fn end(&mut self, end: &JobEnd, at: DateTime<Utc>) -> Result<(), IllegalTransition> {
        let notice = self.job.end(end, at)?;
        self.write_notice(notice);
        Ok(())
    }
}

#[derive(Debug, Default)]
struct State {
    jobs: HashMap<JobId, Entry>,
    enqueued: u64,
}

impl State {
    /// The job `worker` holds, or `LeaseLost`.
    fn held(&mut self, id: &JobId, worker: &WorkerId) -> Result<&mut Entry, JobStoreError> {
        self.jobs
            .get_mut(id)
            .filter(|e| e.job.held_by(worker))
            .ok_or(JobStoreError::LeaseLost)
    }
}

/// Clones share the same jobs.
#[derive(Debug, Clone, Default)]
pub struct MemoryJobs {
    state: Arc<Mutex<State>>,
}

impl MemoryJobs {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> Result<MutexGuard<'_, State>, JobStoreError> {
        self.state
            .lock()
            .map_err(|_| JobStoreError::Unavailable("memory job store lock poisoned".to_owned()))
    }
}

impl JobRepository for MemoryJobs {
    fn enqueue(&self, job: &NewJob) -> Result<Job, JobStoreError> {
        let mut state = self.lock()?;
        if state.jobs.contains_key(&job.id) {
            return Err(JobStoreError::Duplicate);
        }
        state.enqueued += 1;
        let record = job.queued();
        let entry = Entry {
            seq: state.enqueued,
            job: record.clone(),
            snapshot: job.snapshot.clone(),
            outputs: BTreeMap::new(),
            chunks: Vec::new(),
        };
        state.jobs.insert(job.id.clone(), entry);
        Ok(record)
    }

    fn get(&self, id: &JobId) -> Result<Option<Job>, JobStoreError> {
        Ok(self.lock()?.jobs.get(id).map(|e| e.job.clone()))
    }

    fn snapshot(&self, id: &JobId) -> Result<Option<JobSnapshot>, JobStoreError> {
        Ok(self.lock()?.jobs.get(id).map(|e| e.snapshot.clone()))
    }

    fn detail(&self, id: &JobId, tail: u64) -> Result<Option<JobDetail>, JobStoreError> {
        let state = self.lock()?;
        Ok(state.jobs.get(id).map(|entry| {
            let outputs = entry
                .job
                .playbooks
                .iter()
                .map(|run| {
                    let text = entry.outputs.get(&run.playbook).map_or("", String::as_str);
                    OutputTail::of(text, 0, tail)
                })
                .collect();
            JobDetail {
                job: entry.job.clone(),
                outputs,
            }
        }))
    }

    fn list(&self, query: &JobQuery) -> Result<Page<JobSummary>, JobStoreError> {
        let state = self.lock()?;
        let mut matching: Vec<&Entry> = state
            .jobs
            .values()
            .filter(|e| query.status.is_none_or(|s| e.job.status == s))
            .filter(|e| query.inventory.is_none_or(|i| e.job.inventory == i))
            .filter(|e| query.playbook.is_none_or(|p| e.job.run(p).is_some()))
            .collect();
        matching.sort_by_key(|e| std::cmp::Reverse((e.job.created_at, e.seq)));
        let total = matching.len() as u64;
        let skip = usize::try_from(query.page.offset()).unwrap_or(usize::MAX);
        let take = usize::try_from(query.page.limit()).unwrap_or(usize::MAX);
        let items = matching
            .into_iter()
            .skip(skip)
            .take(take)
            .map(|e| e.job.summary())
            .collect();
        Ok(Page { items, total })
    }

    fn claim(
        &self,
        worker: &WorkerId,
        now: DateTime<Utc>,
        lease: TimeDelta,
    ) -> Result<Option<Job>, JobStoreError> {
        let mut state = self.lock()?;
        let oldest = state
            .jobs
            .values_mut()
            .filter(|e| e.job.status == JobStatus::Queued)
            .min_by_key(|e| (e.job.created_at, e.seq));
        let Some(entry) = oldest else {
            return Ok(None);
        };
        entry.job.claim(worker, now, lease)?;
        Ok(Some(entry.job.clone()))
    }

    fn renew(
        &self,
        id: &JobId,
        worker: &WorkerId,
        now: DateTime<Utc>,
        lease: TimeDelta,
    ) -> Result<Renewal, JobStoreError> {
        let mut state = self.lock()?;
        let entry = state.held(id, worker)?;
        entry.job.renew(worker, now, lease);
        Ok(Renewal {
            cancel_requested: entry.job.cancel_requested,
        })
    }

    fn record_playbook_start(
        &self,
        id: &JobId,
        worker: &WorkerId,
        playbook: PlaybookId,
        at: DateTime<Utc>,
    ) -> Result<(), JobStoreError> {
        let mut state = self.lock()?;
        Ok(state.held(id, worker)?.job.start_playbook(playbook, at)?)
    }

    fn record_playbook_finish(
        &self,
        id: &JobId,
        worker: &WorkerId,
        playbook: PlaybookId,
        result: &PlaybookResult,
        at: DateTime<Utc>,
    ) -> Result<PlaybookRunStatus, JobStoreError> {
        let mut state = self.lock()?;
        Ok(state
            .held(id, worker)?
            .job
            .finish_playbook(playbook, result, at)?)
    }

    fn append_output(
        &self,
        id: &JobId,
        worker: &WorkerId,
        playbook: PlaybookId,
        text: &str,
        cap: u64,
    ) -> Result<Appended, JobStoreError> {
        let mut state = self.lock()?;
        let entry = state.held(id, worker)?;
        let run = entry
            .job
            .run(playbook)
            .ok_or(IllegalTransition::NotInJob(playbook))?;
        if run.status != PlaybookRunStatus::Running {
            return Err(IllegalTransition::NotRunning(playbook).into());
        }
        let Some((kept, truncated)) =
            output::admit(run.output_bytes, run.output_truncated, text, cap)
        else {
            return Ok(Appended::Dropped);
        };
        let seq = entry.push(playbook, kept);
        if let Some(run) = entry.job.run_mut(playbook) {
            run.output_truncated |= truncated;
        }
        Ok(Appended::Stored { seq, truncated })
    }

    fn read_output(
        &self,
        id: &JobId,
        playbook: PlaybookId,
        offset: u64,
    ) -> Result<Option<OutputRead>, JobStoreError> {
        let state = self.lock()?;
        let Some(entry) = state.jobs.get(id) else {
            return Ok(None);
        };
        Ok(entry.job.run(playbook).map(|run| {
            let text = entry.outputs.get(&playbook).map_or("", String::as_str);
            OutputRead::from_output(text, offset, run.status.is_finished())
        }))
    }

    fn output_chunks_after(
        &self,
        id: &JobId,
        after: u64,
        limit: usize,
    ) -> Result<Vec<OutputChunk>, JobStoreError> {
        let state = self.lock()?;
        Ok(state.jobs.get(id).map_or_else(Vec::new, |entry| {
            entry
                .chunks
                .iter()
                .filter(|c| c.seq > after)
                .take(limit)
                .cloned()
                .collect()
        }))
    }

    fn request_cancel(&self, id: &JobId, at: DateTime<Utc>) -> Result<Option<Job>, JobStoreError> {
        let mut state = self.lock()?;
        let Some(entry) = state.jobs.get_mut(id) else {
            return Ok(None);
        };
        entry.job.cancel(at).map_err(JobStoreError::NotCancelable)?;
        Ok(Some(entry.job.clone()))
    }

    fn finish_job(
        &self,
        id: &JobId,
        worker: &WorkerId,
        end: &JobEnd,
        at: DateTime<Utc>,
    ) -> Result<Job, JobStoreError> {
        let mut state = self.lock()?;
        let entry = state.held(id, worker)?;
        entry.end(end, at)?;
        Ok(entry.job.clone())
    }

    fn reap(&self, now: DateTime<Utc>) -> Result<Vec<JobId>, JobStoreError> {
        let mut state = self.lock()?;
        let stopped = JobEnd::Failed(SERVER_STOPPED.to_owned());
        let mut reaped = Vec::new();
        for entry in state.jobs.values_mut() {
            if entry.job.lease_expired(now) {
                entry.end(&stopped, now)?;
                reaped.push(entry.job.id.clone());
            }
        }
        reaped.sort();
        Ok(reaped)
    }

    fn inventory_in_use(&self, inventory: InventoryId) -> Result<bool, JobStoreError> {
        Ok(self
            .lock()?
            .jobs
            .values()
            .any(|e| e.job.uses_inventory(inventory)))
    }
}
