//! The contract every job store passes; [`jobs_contract_tests!`](crate::jobs_contract_tests)
//! makes one `#[test]` per case, `$make` yielding `(guard, store)` for a fresh empty store.
//! Cases are generic over a [`JobStore`]; the fixtures here take single ports. Jobs refer
//! to inventories and playbooks by id only (a job outlives both), so no catalogue rows are
//! needed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod cancel;
mod lease;
#[cfg(test)]
mod listed;
mod output;
mod queue;

pub use cancel::*;
pub use lease::*;
pub use output::*;
pub use queue::*;

use super::*;
use crate::catalog::{InventoryId, PlaybookId};
use ansible_syntax::{Mapping, Value};
use chrono::{DateTime, TimeDelta, TimeZone, Utc};

#[macro_export]
macro_rules! jobs_contract_tests {
    ($make:expr) => {
        $crate::jobs_contract_tests!(@cases $make;
            enqueued_jobs_read_back_whole_with_their_snapshot,
            job_ids_are_unique,
            lists_are_newest_first_filtered_and_paged,
            claims_take_the_oldest_queued_job,
            concurrent_claimers_never_share_a_job,
            a_run_records_each_playbook_and_completes,
            only_the_holder_renews_or_writes,
            an_expired_lease_is_reaped_as_failed_and_never_requeued,
            a_renewed_lease_is_not_reaped,
            a_queued_job_is_canceled_at_once,
            a_running_job_is_asked_to_stop_and_ends_canceled,
            a_finished_job_cannot_be_canceled,
            inventories_are_in_use_while_jobs_wait_or_run,
            output_is_appended_and_read_from_an_offset,
            output_is_capped_with_a_visible_marker,
            chunks_resume_after_a_sequence_number,
            endings_write_their_notice_past_the_cap,
            a_detail_has_the_last_part_of_each_output,
        );
    };
    (@cases $make:expr; $($case:ident),* $(,)?) => {$(
        #[test]
        fn $case() {
            let (_guard, store) = $make;
            $crate::jobs::contract::$case(&store);
        }
    )*};
}

/// The lease every case claims with.
pub fn lease() -> TimeDelta {
    TimeDelta::seconds(30)
}

/// A moment of the cases' timeline, with microseconds, which every store must keep.
pub fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_736_510_400, 123_456_000).unwrap() + TimeDelta::seconds(secs)
}

pub fn worker(name: &str) -> WorkerId {
    WorkerId::new(name).unwrap()
}

/// A job on `inventory` running `playbooks` in that order, created `created` seconds in.
pub fn new_job(inventory: i64, playbooks: &[i64], created: i64) -> NewJob {
    NewJob {
        id: JobId::generate(),
        inventory: InventoryId(inventory),
        extra_vars: ExtraVars::default(),
        snapshot: JobSnapshot {
            inventory: "[web]\nweb1 ansible_host=10.0.0.1 ansible_password=s3cret\n".into(),
            playbooks: playbooks
                .iter()
                .map(|&id| PlaybookSnapshot {
                    id: PlaybookId(id),
                    name: format!("Playbook {id}"),
                    text: format!("- name: Playbook {id}\n  hosts: all\n  tasks: []\n"),
                })
                .collect(),
        },
        created_at: at(created),
    }
}

pub fn enqueued(
    store: &impl JobRepository,
    inventory: i64,
    playbooks: &[i64],
    created: i64,
) -> Job {
    store
        .enqueue(&new_job(inventory, playbooks, created))
        .unwrap()
}

/// The next job `name` claims at `now` seconds; there must be one.
pub fn claimed(store: &impl JobRepository, name: &str, now: i64) -> Job {
    store
        .claim(&worker(name), at(now), lease())
        .unwrap()
        .expect("a queued job to claim")
}

/// A job running its first playbook under worker `w1`, claimed at 1 s.
pub fn running(store: &impl JobRepository, playbooks: &[i64]) -> Job {
    let job = enqueued(store, 1, playbooks, 0);
    assert_eq!(claimed(store, "w1", 1).id, job.id);
    store
        .record_playbook_start(&job.id, &worker("w1"), PlaybookId(playbooks[0]), at(2))
        .unwrap();
    store.get(&job.id).unwrap().unwrap()
}

pub fn exit(code: i32) -> PlaybookResult {
    let mut host_stats = HostStatsByHost::new();
    host_stats.insert(
        "web1".into(),
        HostStats {
            ok: 3,
            changed: 1,
            failed: u64::from(code != 0),
            ..HostStats::default()
        },
    );
    host_stats.insert(
        "db1".into(),
        HostStats {
            unreachable: 1,
            skipped: 2,
            rescued: 4,
            ignored: 5,
            ..HostStats::default()
        },
    );
    PlaybookResult {
        exit_code: code,
        host_stats,
    }
}

/// Extra variables with the shapes a request may send: nesting, order, every scalar.
pub fn rich_vars() -> ExtraVars {
    let mut nested = Mapping::new();
    nested.insert("zeta".into(), Value::Int(-7));
    nested.insert(
        "alpha".into(),
        Value::List(vec![Value::Bool(true), Value::Null]),
    );
    let mut vars = Mapping::new();
    vars.insert("env".into(), Value::String("production".into()));
    vars.insert("ratio".into(), Value::Float(0.25));
    vars.insert(
        "greeting".into(),
        Value::String("héllo \"quoted\" 🦀".into()),
    );
    vars.insert("nested".into(), Value::Map(nested));
    ExtraVars::new(vars)
}

pub fn ids(jobs: &[Job]) -> Vec<JobId> {
    jobs.iter().map(|j| j.id.clone()).collect()
}

pub fn listed_ids(jobs: &[JobSummary]) -> Vec<JobId> {
    jobs.iter().map(|j| j.id.clone()).collect()
}

pub fn statuses(job: &Job) -> Vec<PlaybookRunStatus> {
    job.playbooks.iter().map(|r| r.status).collect()
}

pub fn output_of(store: &impl JobRepository, job: &JobId, playbook: i64) -> OutputRead {
    store
        .read_output(job, PlaybookId(playbook), 0)
        .unwrap()
        .expect("the playbook's output")
}
