//! A job as its rows: reading a job (and its playbook runs) and writing back what the
//! domain's lifecycle methods changed.

use super::codec;
use super::error::corrupt;
use crate::connection::AnyConnection;
use crate::decode;
use crate::dialect::db_run;
use crate::error::TxError;
use crate::schema::{job_playbooks, jobs};
use ansible_core::catalog::{InventoryId, PlaybookId};
use ansible_core::jobs::{
    Job, JobId, JobStatus, JobStoreError, JobSummary, Lease, PlaybookRun, PlaybookRunStatus,
    WorkerId,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

type Tx<T> = Result<T, TxError<JobStoreError>>;

/// What a list reads of a job: never its extra variables.
#[derive(Queryable, Selectable)]
#[diesel(table_name = jobs)]
pub(crate) struct SummaryRow {
    pub(crate) id: String,
    inventory_id: i64,
    status: String,
    created_at: NaiveDateTime,
    started_at: Option<NaiveDateTime>,
    completed_at: Option<NaiveDateTime>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = jobs)]
pub(crate) struct JobRow {
    #[diesel(embed)]
    pub(crate) summary: SummaryRow,
    extra_vars: String,
    lease_worker: Option<String>,
    lease_expires_at: Option<NaiveDateTime>,
    cancel_requested: bool,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = job_playbooks)]
pub(crate) struct RunRow {
    pub(crate) job_id: String,
    playbook_id: i64,
    name: String,
    status: String,
    started_at: Option<NaiveDateTime>,
    completed_at: Option<NaiveDateTime>,
    exit_code: Option<i32>,
    host_stats: String,
    output_bytes: i64,
    output_truncated: bool,
}

fn run(row: RunRow) -> Tx<PlaybookRun> {
    let bad = |what| corrupt(what, &row.job_id);
    Ok(PlaybookRun {
        playbook: PlaybookId(row.playbook_id),
        status: PlaybookRunStatus::parse(&row.status).ok_or_else(|| bad("playbook status"))?,
        started_at: row.started_at.map(decode::utc),
        completed_at: row.completed_at.map(decode::utc),
        exit_code: row.exit_code,
        host_stats: codec::stats_from_json(&row.host_stats).map_err(|_| bad("host stats"))?,
        output_bytes: u64::try_from(row.output_bytes).map_err(|_| bad("output size"))?,
        output_truncated: row.output_truncated,
        name: row.name,
    })
}

/// The summary of `row` with its runs (in their order).
pub(crate) fn summary(row: SummaryRow, runs: Vec<RunRow>) -> Tx<JobSummary> {
    let bad = |what| corrupt(what, &row.id);
    Ok(JobSummary {
        id: JobId::parse(&row.id).ok_or_else(|| bad("id"))?,
        status: JobStatus::parse(&row.status).ok_or_else(|| bad("status"))?,
        inventory: InventoryId(row.inventory_id),
        playbooks: runs.into_iter().map(run).collect::<Tx<_>>()?,
        created_at: decode::utc(row.created_at),
        started_at: row.started_at.map(decode::utc),
        completed_at: row.completed_at.map(decode::utc),
    })
}

/// The job of `row` with its runs (in their order).
pub(crate) fn job(row: JobRow, runs: Vec<RunRow>) -> Tx<Job> {
    let s = summary(row.summary, runs)?;
    let bad = |what| corrupt(what, s.id.as_str());
    let lease = match (row.lease_worker, row.lease_expires_at) {
        (Some(worker), Some(expires)) => Some(Lease {
            worker: WorkerId::new(worker).ok_or_else(|| bad("lease worker"))?,
            expires_at: decode::utc(expires),
        }),
        _ => None,
    };
    Ok(Job {
        extra_vars: codec::vars_from_json(&row.extra_vars).ok_or_else(|| bad("extra vars"))?,
        cancel_requested: row.cancel_requested,
        lease,
        id: s.id,
        inventory: s.inventory,
        status: s.status,
        playbooks: s.playbooks,
        created_at: s.created_at,
        started_at: s.started_at,
        completed_at: s.completed_at,
    })
}

pub(crate) fn runs_of(conn: &mut AnyConnection, ids: &[String]) -> QueryResult<Vec<RunRow>> {
    job_playbooks::table
        .filter(job_playbooks::job_id.eq_any(ids))
        .order((job_playbooks::job_id, job_playbooks::position))
        .select(RunRow::as_select())
        .load(conn)
}

/// The job, read without a lock.
pub(crate) fn find(conn: &mut AnyConnection, id: &JobId) -> Tx<Option<Job>> {
    let row: Option<JobRow> = jobs::table
        .find(id.as_str())
        .select(JobRow::as_select())
        .first(conn)
        .optional()?;
    with_runs(conn, row)
}

/// The job, locked for the rest of the write transaction: on PostgreSQL its row `FOR
/// UPDATE`; SQLite's write transaction already holds the whole database.
pub(crate) fn lock(conn: &mut AnyConnection, id: &JobId) -> Tx<Option<Job>> {
    let query = || jobs::table.find(id.as_str());
    // The selection names its backend, so each arm builds its own.
    let row: Option<JobRow> = db_run!(conn,
        postgres(pg) => query().select(JobRow::as_select()).for_update().first(pg).optional(),
        sqlite(lite) => query().select(JobRow::as_select()).first(lite).optional(),
    )?;
    with_runs(conn, row)
}

fn with_runs(conn: &mut AnyConnection, row: Option<JobRow>) -> Tx<Option<Job>> {
    let Some(row) = row else {
        return Ok(None);
    };
    let runs = runs_of(conn, std::slice::from_ref(&row.summary.id))?;
    job(row, runs).map(Some)
}

/// The job `worker` holds, locked; `LeaseLost` when it is absent, over, or another's.
pub(crate) fn held(conn: &mut AnyConnection, id: &JobId, worker: &WorkerId) -> Tx<Job> {
    lock(conn, id)?
        .filter(|job| job.held_by(worker))
        .ok_or(TxError::Domain(JobStoreError::LeaseLost))
}

/// Writes back what the lifecycle changed since `before` (as loaded): the job's row when
/// its own fields moved, and the rows of the runs that did. A chunk of output then costs one
/// run's row, not all fifty a job may have.
pub(crate) fn save(conn: &mut AnyConnection, before: &Job, job: &Job) -> Tx<()> {
    let naive = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| t.naive_utc());
    let own = |j: &Job| {
        (
            j.status,
            j.started_at,
            j.completed_at,
            j.lease.clone(),
            j.cancel_requested,
        )
    };
    if own(before) != own(job) {
        diesel::update(jobs::table.find(job.id.as_str()))
            .set((
                jobs::status.eq(job.status.as_str()),
                jobs::started_at.eq(naive(job.started_at)),
                jobs::completed_at.eq(naive(job.completed_at)),
                jobs::lease_worker.eq(job.lease.as_ref().map(|l| l.worker.as_str())),
                jobs::lease_expires_at.eq(job.lease.as_ref().map(|l| l.expires_at.naive_utc())),
                jobs::cancel_requested.eq(job.cancel_requested),
            ))
            .execute(conn)?;
    }
    for (position, run) in job.playbooks.iter().enumerate() {
        if before.playbooks.get(position) == Some(run) {
            continue;
        }
        let stats = codec::stats_to_json(&run.host_stats)
            .map_err(|_| corrupt("host stats", job.id.as_str()))?;
        let bytes =
            i64::try_from(run.output_bytes).map_err(|_| corrupt("output size", job.id.as_str()))?;
        diesel::update(job_playbooks::table.find((job.id.as_str(), position_of(position)?)))
            .set((
                job_playbooks::status.eq(run.status.as_str()),
                job_playbooks::started_at.eq(naive(run.started_at)),
                job_playbooks::completed_at.eq(naive(run.completed_at)),
                job_playbooks::exit_code.eq(run.exit_code),
                job_playbooks::host_stats.eq(stats),
                job_playbooks::output_bytes.eq(bytes),
                job_playbooks::output_truncated.eq(run.output_truncated),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A run's position as the column holds it; a job has far fewer playbooks than that.
pub(crate) fn position_of(position: usize) -> Tx<i32> {
    i32::try_from(position).map_err(|_| {
        TxError::Domain(JobStoreError::Unavailable(
            "too many playbooks in one job".to_owned(),
        ))
    })
}
