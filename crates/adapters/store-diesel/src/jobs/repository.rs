//! `JobRepository` for the store: each call one read or one write transaction.

use super::error::classify_enqueue;
use super::{detail, output, queue, record, worker};
use crate::error::TxError;
use crate::store::DieselStore;
use ansible_core::catalog::{InventoryId, Page, PlaybookId};
use ansible_core::jobs::{
    Appended, Job, JobDetail, JobEnd, JobId, JobQuery, JobRepository, JobSnapshot, JobStoreError,
    JobSummary, NewJob, OutputChunk, OutputRead, PlaybookResult, PlaybookRunStatus, Renewal,
    WorkerId,
};
use chrono::{DateTime, TimeDelta, Utc};

impl DieselStore {
    fn job_write<T>(
        &self,
        op: impl FnMut(&mut crate::AnyConnection) -> Result<T, TxError<JobStoreError>>,
    ) -> Result<T, JobStoreError> {
        self.write(op).map_err(TxError::into_domain)
    }
}

impl JobRepository for DieselStore {
    fn enqueue(&self, job: &NewJob) -> Result<Job, JobStoreError> {
        self.write(|conn| queue::enqueue(conn, job, self.sealer()))
            .map_err(classify_enqueue)
    }

    fn get(&self, id: &JobId) -> Result<Option<Job>, JobStoreError> {
        self.read(|conn| record::find(conn, id))
    }

    fn snapshot(&self, id: &JobId) -> Result<Option<JobSnapshot>, JobStoreError> {
        self.read(|conn| queue::snapshot(conn, id, self.sealer()))
    }

    fn detail(&self, id: &JobId, tail: u64) -> Result<Option<JobDetail>, JobStoreError> {
        self.read(|conn| detail::detail(conn, id, tail))
    }

    fn list(&self, query: &JobQuery) -> Result<Page<JobSummary>, JobStoreError> {
        self.read(|conn| queue::list(conn, query))
    }

    fn claim(
        &self,
        worker: &WorkerId,
        now: DateTime<Utc>,
        lease: TimeDelta,
    ) -> Result<Option<Job>, JobStoreError> {
        self.job_write(|conn| queue::claim(conn, worker, now, lease))
    }

    fn renew(
        &self,
        id: &JobId,
        worker: &WorkerId,
        now: DateTime<Utc>,
        lease: TimeDelta,
    ) -> Result<Renewal, JobStoreError> {
        self.job_write(|conn| worker::renew(conn, id, worker, now, lease))
    }

    fn record_playbook_start(
        &self,
        id: &JobId,
        worker: &WorkerId,
        playbook: PlaybookId,
        at: DateTime<Utc>,
    ) -> Result<(), JobStoreError> {
        self.job_write(|conn| worker::start_playbook(conn, id, worker, playbook, at))
    }

    fn record_playbook_finish(
        &self,
        id: &JobId,
        worker: &WorkerId,
        playbook: PlaybookId,
        result: &PlaybookResult,
        at: DateTime<Utc>,
    ) -> Result<PlaybookRunStatus, JobStoreError> {
        self.job_write(|conn| worker::finish_playbook(conn, id, worker, playbook, result, at))
    }

    fn append_output(
        &self,
        id: &JobId,
        worker: &WorkerId,
        playbook: PlaybookId,
        text: &str,
        cap: u64,
    ) -> Result<Appended, JobStoreError> {
        self.job_write(|conn| worker::append(conn, id, worker, playbook, text, cap))
    }

    fn read_output(
        &self,
        id: &JobId,
        playbook: PlaybookId,
        offset: u64,
    ) -> Result<Option<OutputRead>, JobStoreError> {
        self.read(|conn| {
            let Some(job) = record::find(conn, id)? else {
                return Ok(None);
            };
            let Some(run) = job.run(playbook) else {
                return Ok(None);
            };
            output::read(conn, id, playbook, offset, run.status.is_finished()).map(Some)
        })
    }

    fn output_chunks_after(
        &self,
        id: &JobId,
        after: u64,
        limit: usize,
    ) -> Result<Vec<OutputChunk>, JobStoreError> {
        self.read(|conn| output::chunks_after(conn, id, after, limit))
    }

    fn request_cancel(&self, id: &JobId, at: DateTime<Utc>) -> Result<Option<Job>, JobStoreError> {
        self.job_write(|conn| worker::cancel(conn, id, at))
    }

    fn finish_job(
        &self,
        id: &JobId,
        worker: &WorkerId,
        end: &JobEnd,
        at: DateTime<Utc>,
    ) -> Result<Job, JobStoreError> {
        self.job_write(|conn| worker::finish(conn, id, worker, end, at))
    }

    fn reap(&self, now: DateTime<Utc>) -> Result<Vec<JobId>, JobStoreError> {
        self.job_write(|conn| worker::reap(conn, now))
    }

    fn inventory_in_use(&self, inventory: InventoryId) -> Result<bool, JobStoreError> {
        self.read(|conn| Ok(queue::inventory_users(conn, inventory)? > 0))
    }
}
