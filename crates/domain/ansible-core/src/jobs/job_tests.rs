//! The lifecycle as the model enforces it, before any store.

use super::*;
use crate::jobs::recap::{HostStats, SERVER_STOPPED};
use crate::jobs::snapshot::PlaybookSnapshot;
use chrono::TimeZone;

fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_736_510_400 + secs, 0)
        .single()
        .unwrap_or_else(|| panic!("a valid time"))
}

fn worker(name: &str) -> WorkerId {
    WorkerId::new(name).unwrap_or_else(|| panic!("a worker id"))
}

fn job(playbooks: &[i64]) -> Job {
    NewJob {
        id: JobId::generate(),
        inventory: InventoryId(1),
        extra_vars: ExtraVars::default(),
        snapshot: JobSnapshot {
            inventory: "web1\n".into(),
            playbooks: playbooks
                .iter()
                .map(|&id| PlaybookSnapshot {
                    id: PlaybookId(id),
                    name: format!("p{id}"),
                    text: "- hosts: all\n".into(),
                })
                .collect(),
        },
        created_at: at(0),
    }
    .queued()
}

fn statuses(job: &Job) -> Vec<PlaybookRunStatus> {
    job.playbooks.iter().map(|r| r.status).collect()
}

fn exit(code: i32) -> PlaybookResult {
    let mut host_stats = HostStatsByHost::new();
    host_stats.insert(
        "web1".into(),
        HostStats {
            ok: 2,
            failed: u64::from(code != 0),
            ..HostStats::default()
        },
    );
    PlaybookResult {
        exit_code: code,
        host_stats,
    }
}

fn running(playbooks: &[i64]) -> Job {
    let mut job = job(playbooks);
    job.claim(&worker("w1"), at(1), TimeDelta::seconds(30))
        .unwrap_or_else(|e| panic!("{e}"));
    job
}

use PlaybookRunStatus::{Canceled, Failed, Queued, Skipped, Success};

#[test]
fn a_new_job_is_queued_in_the_order_given() {
    let job = job(&[3, 1, 2]);
    assert_eq!(job.status, JobStatus::Queued);
    assert_eq!(
        job.playbooks
            .iter()
            .map(|r| r.playbook.0)
            .collect::<Vec<_>>(),
        vec![3, 1, 2]
    );
    assert_eq!(statuses(&job), vec![Queued; 3]);
    assert!(job.uses_inventory(InventoryId(1)) && !job.uses_inventory(InventoryId(2)));
}

#[test]
fn a_claim_leases_and_only_the_holder_renews() {
    let mut job = running(&[1]);
    assert_eq!(
        (job.status, job.started_at),
        (JobStatus::Running, Some(at(1)))
    );
    assert!(job.held_by(&worker("w1")) && !job.held_by(&worker("w2")));
    assert!(!job.lease_expired(at(31)) && job.lease_expired(at(32)));
    assert!(!job.renew(&worker("w2"), at(20), TimeDelta::seconds(30)));
    assert!(job.renew(&worker("w1"), at(20), TimeDelta::seconds(30)));
    assert!(!job.lease_expired(at(45)));
    let again = job.claim(&worker("w2"), at(21), TimeDelta::seconds(30));
    assert!(again.is_err(), "a running job cannot be claimed twice");
}

#[test]
fn a_failing_playbook_does_not_stop_the_next_and_the_job_completes() {
    let mut job = running(&[1, 2]);
    job.start_playbook(PlaybookId(1), at(2))
        .unwrap_or_else(|e| panic!("{e}"));
    let first = job.finish_playbook(PlaybookId(1), &exit(2), at(3));
    assert_eq!(first, Ok(Failed));
    job.start_playbook(PlaybookId(2), at(4))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        job.end(&JobEnd::Completed, at(5)),
        Err(IllegalTransition::Unfinished(PlaybookId(2)))
    );
    assert_eq!(
        job.finish_playbook(PlaybookId(2), &exit(0), at(6)),
        Ok(Success)
    );
    assert_eq!(job.end(&JobEnd::Completed, at(7)), Ok(None));
    assert_eq!(
        (job.status, job.completed_at, job.lease.clone()),
        (JobStatus::Completed, Some(at(7)), None)
    );
    assert_eq!(job.playbooks[0].exit_code, Some(2));
    assert_eq!(job.playbooks[1].host_stats["web1"].ok, 2);
}

#[test]
fn playbook_writes_follow_the_run_lifecycle() {
    let mut job = running(&[1]);
    assert_eq!(
        job.finish_playbook(PlaybookId(1), &exit(0), at(2)),
        Err(IllegalTransition::Playbook {
            playbook: PlaybookId(1),
            from: Queued,
            to: Success
        })
    );
    assert_eq!(
        job.start_playbook(PlaybookId(9), at(2)),
        Err(IllegalTransition::NotInJob(PlaybookId(9)))
    );
    job.start_playbook(PlaybookId(1), at(2))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(job.start_playbook(PlaybookId(1), at(3)).is_err());
}

#[test]
fn a_cancel_marks_the_running_playbook_canceled_and_skips_the_rest() {
    let mut job = running(&[1, 2, 3]);
    job.start_playbook(PlaybookId(1), at(2))
        .unwrap_or_else(|e| panic!("{e}"));
    job.finish_playbook(PlaybookId(1), &exit(0), at(3))
        .unwrap_or_else(|e| panic!("{e}"));
    job.start_playbook(PlaybookId(2), at(4))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(job.cancel(at(5)), Ok(CancelEffect::Requested));
    assert!(job.cancel_requested && job.status == JobStatus::Running);
    let notice = job.end(&JobEnd::Canceled, at(6));
    assert_eq!(
        notice.map(|n| n.map(|n| n.playbook)),
        Ok(Some(PlaybookId(2)))
    );
    assert_eq!(statuses(&job), vec![Success, Canceled, Skipped]);
    assert_eq!(job.playbooks[1].completed_at, Some(at(6)));
    assert_eq!(job.playbooks[2].completed_at, None);
    assert_eq!(job.cancel(at(7)), Err(JobStatus::Canceled));
}

#[test]
fn a_queued_job_is_canceled_at_once() {
    let mut job = job(&[1, 2]);
    assert_eq!(job.cancel(at(1)), Ok(CancelEffect::Canceled));
    assert_eq!(
        (job.status, job.completed_at, statuses(&job)),
        (JobStatus::Canceled, Some(at(1)), vec![Skipped, Skipped])
    );
    assert!(
        job.claim(&worker("w1"), at(2), TimeDelta::seconds(30))
            .is_err()
    );
    assert!(!job.uses_inventory(InventoryId(1)));
}

#[test]
fn a_failure_notes_its_reason_where_the_job_was() {
    let mut between = running(&[1, 2]);
    between
        .start_playbook(PlaybookId(1), at(2))
        .unwrap_or_else(|e| panic!("{e}"));
    between
        .finish_playbook(PlaybookId(1), &exit(0), at(3))
        .unwrap_or_else(|e| panic!("{e}"));
    let notice = between.end(&JobEnd::Failed(SERVER_STOPPED.into()), at(4));
    assert_eq!(
        notice,
        Ok(Some(Notice {
            playbook: PlaybookId(2),
            message: SERVER_STOPPED.into()
        }))
    );
    assert_eq!(statuses(&between), vec![Success, Skipped]);

    let mut mid = running(&[1, 2]);
    mid.start_playbook(PlaybookId(1), at(2))
        .unwrap_or_else(|e| panic!("{e}"));
    let notice = mid.end(&JobEnd::Failed("timeout".into()), at(3));
    assert_eq!(
        notice.map(|n| n.map(|n| n.playbook)),
        Ok(Some(PlaybookId(1)))
    );
    assert_eq!(statuses(&mid), vec![Failed, Skipped]);
    assert_eq!(mid.status, JobStatus::Failed);
    assert!(!mid.held_by(&worker("w1")), "an ended job has no lease");
}

#[test]
fn only_a_running_job_ends() {
    let mut queued = job(&[1]);
    assert_eq!(
        queued.end(&JobEnd::Failed(SERVER_STOPPED.into()), at(1)),
        Err(IllegalTransition::Job {
            from: JobStatus::Queued,
            to: JobStatus::Failed
        })
    );
    assert_eq!(
        queued.status,
        JobStatus::Queued,
        "a refusal changes nothing"
    );
    let mut done = running(&[1]);
    done.end(&JobEnd::Canceled, at(2))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(done.end(&JobEnd::Completed, at(3)).is_err());
    assert_eq!(done.position(), Some(PlaybookId(1)));
}
