//! The writes of a worker running a job, fenced by its lease, and the two writes that end
//! a job from outside: the cancel request and the reaper.

use super::output;
use super::record;
use crate::connection::AnyConnection;
use crate::dialect::db_run;
use crate::error::TxError;
use crate::schema::jobs;
use ansible_core::catalog::PlaybookId;
use ansible_core::jobs::{
    Appended, IllegalTransition, Job, JobEnd, JobId, JobStatus, JobStoreError, PlaybookResult,
    PlaybookRunStatus, Renewal, SERVER_STOPPED, WorkerId, admit,
};
use chrono::{DateTime, TimeDelta, Utc};
use diesel::prelude::*;

type Tx<T> = Result<T, TxError<JobStoreError>>;

pub(crate) fn renew(
    conn: &mut AnyConnection,
    id: &JobId,
    worker: &WorkerId,
    now: DateTime<Utc>,
    lease: TimeDelta,
) -> Tx<Renewal> {
    let before = record::held(conn, id, worker)?;
    let mut job = before.clone();
    job.renew(worker, now, lease);
    record::save(conn, &before, &job)?;
    Ok(Renewal {
        cancel_requested: job.cancel_requested,
    })
}

pub(crate) fn start_playbook(
    conn: &mut AnyConnection,
    id: &JobId,
    worker: &WorkerId,
    playbook: PlaybookId,
    at: DateTime<Utc>,
) -> Tx<()> {
    let before = record::held(conn, id, worker)?;
    let mut job = before.clone();
    job.start_playbook(playbook, at)?;
    record::save(conn, &before, &job)
}

pub(crate) fn finish_playbook(
    conn: &mut AnyConnection,
    id: &JobId,
    worker: &WorkerId,
    playbook: PlaybookId,
    result: &PlaybookResult,
    at: DateTime<Utc>,
) -> Tx<PlaybookRunStatus> {
    let before = record::held(conn, id, worker)?;
    let mut job = before.clone();
    let status = job.finish_playbook(playbook, result, at)?;
    record::save(conn, &before, &job)?;
    Ok(status)
}

pub(crate) fn append(
    conn: &mut AnyConnection,
    id: &JobId,
    worker: &WorkerId,
    playbook: PlaybookId,
    text: &str,
    cap: u64,
) -> Tx<Appended> {
    let before = record::held(conn, id, worker)?;
    let mut job = before.clone();
    let run = job
        .run(playbook)
        .ok_or(IllegalTransition::NotInJob(playbook))?;
    if run.status != PlaybookRunStatus::Running {
        return Err(IllegalTransition::NotRunning(playbook).into());
    }
    let Some((kept, truncated)) = admit(run.output_bytes, run.output_truncated, text, cap) else {
        return Ok(Appended::Dropped);
    };
    let seq = output::push(conn, &mut job, playbook, &kept)?;
    if let Some(run) = job.run_mut(playbook) {
        run.output_truncated |= truncated;
    }
    record::save(conn, &before, &job)?;
    Ok(Appended::Stored { seq, truncated })
}

pub(crate) fn cancel(conn: &mut AnyConnection, id: &JobId, at: DateTime<Utc>) -> Tx<Option<Job>> {
    let Some(before) = record::lock(conn, id)? else {
        return Ok(None);
    };
    let mut job = before.clone();
    job.cancel(at)
        .map_err(|s| TxError::Domain(JobStoreError::NotCancelable(s)))?;
    record::save(conn, &before, &job)?;
    Ok(Some(job))
}

/// Ends the (locked) job and writes its notice.
fn end(conn: &mut AnyConnection, job: &mut Job, end: &JobEnd, at: DateTime<Utc>) -> Tx<()> {
    let before = job.clone();
    let notice = job.end(end, at)?;
    output::write_notice(conn, job, notice)?;
    record::save(conn, &before, job)
}

pub(crate) fn finish(
    conn: &mut AnyConnection,
    id: &JobId,
    worker: &WorkerId,
    how: &JobEnd,
    at: DateTime<Utc>,
) -> Tx<Job> {
    let mut job = record::held(conn, id, worker)?;
    end(conn, &mut job, how, at)?;
    Ok(job)
}

pub(crate) fn reap(conn: &mut AnyConnection, now: DateTime<Utc>) -> Tx<Vec<JobId>> {
    let query = || {
        jobs::table
            .filter(jobs::status.eq(JobStatus::Running.as_str()))
            .filter(
                jobs::lease_expires_at
                    .lt(now.naive_utc())
                    .or(jobs::lease_expires_at.is_null()),
            )
            .order(jobs::id)
            .select(jobs::id)
    };
    let ids: Vec<String> = db_run!(conn,
        postgres(pg) => query().for_update().load(pg),
        sqlite(lite) => query().load(lite),
    )?;
    let stopped = JobEnd::Failed(SERVER_STOPPED.to_owned());
    let mut reaped = Vec::new();
    for raw in ids {
        let id = JobId::parse(&raw).ok_or_else(|| super::error::corrupt("id", &raw))?;
        // The lock re-reads the row: the holder may have renewed or ended it meanwhile.
        let Some(mut job) = record::lock(conn, &id)? else {
            continue;
        };
        if job.lease_expired(now) {
            end(conn, &mut job, &stopped, now)?;
            reaped.push(id);
        }
    }
    reaped.sort();
    Ok(reaped)
}
