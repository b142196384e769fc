//! The queue's side of the jobs: enqueue, the reads, the list, and the claim.

use super::INVENTORY_COLUMN;
use super::codec;
use super::error::corrupt;
use super::record::{self, RunRow, SummaryRow};
use crate::connection::{AnyConnection, Db};
use crate::dialect::db_run;
use crate::error::TxError;
use crate::page::{Window, load_page};
use crate::schema::{inventories, job_playbooks, jobs};
use crate::secrets::Sealer;
use ansible_core::catalog::{InventoryId, Page};
use ansible_core::jobs::{
    Job, JobId, JobQuery, JobSnapshot, JobStatus, JobStoreError, JobSummary, NewJob,
    PlaybookSnapshot, WorkerId,
};
use chrono::{DateTime, TimeDelta, Utc};
use diesel::prelude::*;
use std::collections::HashMap;

type Tx<T> = Result<T, TxError<JobStoreError>>;

fn unavailable(message: String) -> TxError<JobStoreError> {
    TxError::Domain(JobStoreError::Unavailable(message))
}

/// Stores the queued job, its runs and its snapshot.
pub(crate) fn enqueue(conn: &mut AnyConnection, new: &NewJob, sealer: &Sealer) -> Tx<Job> {
    let job = new.queued();
    // On PostgreSQL a delete of the inventory locks its row before it counts the jobs on
    // it: sharing that lock makes the delete wait for this enqueue and then see it.
    // SQLite's write transaction serialises the two anyway.
    db_run!(conn,
        postgres(pg) => inventories::table
            .find(new.inventory.0)
            .select(inventories::id)
            .for_share()
            .load::<i64>(pg),
        sqlite(_lite) => Ok(Vec::new()),
    )?;
    let sealed = sealer
        .seal(INVENTORY_COLUMN, &new.snapshot.inventory)
        .map_err(|e| unavailable(e.to_string()))?;
    let vars = codec::vars_to_json(&new.extra_vars).map_err(|e| unavailable(e.to_string()))?;
    let row = (
        jobs::id.eq(new.id.as_str()),
        jobs::inventory_id.eq(new.inventory.0),
        jobs::status.eq(job.status.as_str()),
        jobs::created_at.eq(new.created_at.naive_utc()),
        jobs::extra_vars.eq(vars),
        jobs::sealed_inventory.eq(sealed),
        jobs::cancel_requested.eq(false),
    );
    db_run!(conn,
        // The identity column numbers enqueues.
        postgres(pg) => diesel::insert_into(jobs::table).values(row).execute(pg),
        // No AUTOINCREMENT beside a text key: the write transaction holds the database, so
        // the next number is the largest so far plus one.
        sqlite(lite) => {
            let last: Option<i64> = jobs::table
                .select(diesel::dsl::max(jobs::seq))
                .first(lite)?;
            diesel::insert_into(jobs::table)
                .values((row, jobs::seq.eq(last.unwrap_or(0) + 1)))
                .execute(lite)
        },
    )?;
    for (position, (run, snap)) in job
        .playbooks
        .iter()
        .zip(&new.snapshot.playbooks)
        .enumerate()
    {
        diesel::insert_into(job_playbooks::table)
            .values((
                job_playbooks::job_id.eq(new.id.as_str()),
                job_playbooks::position.eq(record::position_of(position)?),
                job_playbooks::playbook_id.eq(run.playbook.0),
                job_playbooks::name.eq(&run.name),
                job_playbooks::status.eq(run.status.as_str()),
                job_playbooks::host_stats.eq("{}"),
                job_playbooks::output_bytes.eq(0_i64),
                job_playbooks::output_truncated.eq(false),
                job_playbooks::playbook_text.eq(&snap.text),
            ))
            .execute(conn)?;
    }
    super::wakeup::notify(conn)?;
    Ok(job)
}

pub(crate) fn snapshot(
    conn: &mut AnyConnection,
    id: &JobId,
    sealer: &Sealer,
) -> Tx<Option<JobSnapshot>> {
    let sealed: Option<String> = jobs::table
        .find(id.as_str())
        .select(jobs::sealed_inventory)
        .first(conn)
        .optional()?;
    let Some(sealed) = sealed else {
        return Ok(None);
    };
    let inventory = sealer
        .open(INVENTORY_COLUMN, &sealed)
        .map_err(|e| unavailable(format!("job {id}: {e}")))?;
    let playbooks = job_playbooks::table
        .filter(job_playbooks::job_id.eq(id.as_str()))
        .order(job_playbooks::position)
        .select((
            job_playbooks::playbook_id,
            job_playbooks::name,
            job_playbooks::playbook_text,
        ))
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .map(|(pid, name, text)| PlaybookSnapshot {
            id: ansible_core::catalog::PlaybookId(pid),
            name,
            text,
        })
        .collect();
    Ok(Some(JobSnapshot {
        inventory,
        playbooks,
    }))
}

fn filtered(query: &JobQuery) -> jobs::BoxedQuery<'static, Db> {
    let mut q = jobs::table.into_boxed();
    if let Some(status) = query.status {
        q = q.filter(jobs::status.eq(status.as_str()));
    }
    if let Some(inventory) = query.inventory {
        q = q.filter(jobs::inventory_id.eq(inventory.0));
    }
    if let Some(playbook) = query.playbook {
        q = q.filter(
            jobs::id.eq_any(
                job_playbooks::table
                    .filter(job_playbooks::playbook_id.eq(playbook.0))
                    .select(job_playbooks::job_id),
            ),
        );
    }
    q
}

/// A page of summaries: the extra variables are not even read, and the output lives in
/// other rows.
pub(crate) fn list(conn: &mut AnyConnection, query: &JobQuery) -> Tx<Page<JobSummary>> {
    let window = Window {
        offset: query.page.offset(),
        limit: query.page.limit(),
        after: None,
    };
    let (total, rows): (u64, Vec<SummaryRow>) = load_page(
        conn,
        crate::page::Total::Counted,
        || filtered(query),
        Ok,
        SummaryRow::as_select(),
        (jobs::created_at.desc(), jobs::seq.desc()),
        window,
    )?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    // One query for the runs of the whole page, each job's in its order.
    let mut runs: HashMap<String, Vec<RunRow>> = HashMap::new();
    for run in record::runs_of(conn, &ids)? {
        runs.entry(run.job_id.clone()).or_default().push(run);
    }
    let items = rows
        .into_iter()
        .map(|row| {
            let mine = runs.remove(&row.id).unwrap_or_default();
            record::summary(row, mine)
        })
        .collect::<Tx<Vec<_>>>()?;
    Ok(Page { items, total })
}

/// The oldest queued job's id, locked against every other claimer: on PostgreSQL a row
/// another claimer holds is skipped, not waited for; SQLite's write transaction serialises
/// the claimers.
fn oldest_queued(conn: &mut AnyConnection) -> Tx<Option<JobId>> {
    let query = || {
        jobs::table
            .filter(jobs::status.eq(JobStatus::Queued.as_str()))
            .order((jobs::created_at, jobs::seq))
            .select(jobs::id)
    };
    let id: Option<String> = db_run!(conn,
        postgres(pg) => query().for_update().skip_locked().first(pg).optional(),
        sqlite(lite) => query().first(lite).optional(),
    )?;
    id.map(|raw| JobId::parse(&raw).ok_or_else(|| corrupt("id", &raw)))
        .transpose()
}

pub(crate) fn claim(
    conn: &mut AnyConnection,
    worker: &WorkerId,
    now: DateTime<Utc>,
    lease: TimeDelta,
) -> Tx<Option<Job>> {
    let Some(id) = oldest_queued(conn)? else {
        return Ok(None);
    };
    let Some(before) = record::find(conn, &id)? else {
        return Ok(None);
    };
    let mut job = before.clone();
    job.claim(worker, now, lease)?;
    record::save(conn, &before, &job)?;
    Ok(Some(job))
}

/// How many queued or running jobs use the inventory: the catalogue's delete asks too.
pub(crate) fn inventory_users(
    conn: &mut AnyConnection,
    inventory: InventoryId,
) -> QueryResult<u64> {
    let waiting = [JobStatus::Queued.as_str(), JobStatus::Running.as_str()];
    let n: i64 = jobs::table
        .filter(jobs::inventory_id.eq(inventory.0))
        .filter(jobs::status.eq_any(waiting))
        .count()
        .get_result(conn)?;
    crate::page::row_count(n)
}
