//! Cancel, and what keeps an inventory in use.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;

pub fn a_queued_job_is_canceled_at_once<S: JobStore>(store: &S) {
    let job = enqueued(store, 1, &[1, 2], 0);
    let canceled = store.request_cancel(&job.id, at(5)).unwrap().unwrap();
    assert_eq!(
        (canceled.status, canceled.completed_at, canceled.started_at),
        (JobStatus::Canceled, Some(at(5)), None)
    );
    assert_eq!(
        statuses(&canceled),
        vec![PlaybookRunStatus::Skipped, PlaybookRunStatus::Skipped]
    );
    assert_eq!(store.get(&job.id).unwrap(), Some(canceled));
    assert_eq!(store.claim(&worker("w1"), at(6), lease()).unwrap(), None);
    assert_eq!(
        store.request_cancel(&JobId::generate(), at(6)).unwrap(),
        None
    );
}

pub fn a_running_job_is_asked_to_stop_and_ends_canceled<S: JobStore>(store: &S) {
    let job = running(store, &[1, 2]);
    let w1 = worker("w1");
    store
        .append_output(&job.id, &w1, PlaybookId(1), "ok: [web1]\n", 1024)
        .unwrap();
    let asked = store.request_cancel(&job.id, at(5)).unwrap().unwrap();
    assert_eq!(
        (asked.status, asked.cancel_requested, asked.completed_at),
        (JobStatus::Running, true, None)
    );
    assert_eq!(
        store
            .request_cancel(&job.id, at(6))
            .unwrap()
            .map(|j| j.status),
        Some(JobStatus::Running),
        "asking twice is no error"
    );
    assert_eq!(
        store.renew(&job.id, &w1, at(7), lease()),
        Ok(Renewal {
            cancel_requested: true
        })
    );
    let ended = store
        .finish_job(&job.id, &w1, &JobEnd::Canceled, at(8))
        .unwrap();
    assert_eq!(
        (ended.status, ended.completed_at, ended.lease.clone()),
        (JobStatus::Canceled, Some(at(8)), None)
    );
    assert_eq!(
        statuses(&ended),
        vec![PlaybookRunStatus::Canceled, PlaybookRunStatus::Skipped]
    );
    assert_eq!(ended.playbooks[0].completed_at, Some(at(8)));
    assert_eq!(
        output_of(store, &job.id, 1).text,
        "ok: [web1]\n[control-hub] the job was canceled on request\n"
    );
    assert_eq!(store.get(&job.id).unwrap(), Some(ended));
}

pub fn a_finished_job_cannot_be_canceled<S: JobStore>(store: &S) {
    let job = running(store, &[1]);
    let w1 = worker("w1");
    store
        .record_playbook_finish(&job.id, &w1, PlaybookId(1), &exit(0), at(3))
        .unwrap();
    store
        .finish_job(&job.id, &w1, &JobEnd::Completed, at(4))
        .unwrap();
    assert_eq!(
        store.request_cancel(&job.id, at(5)),
        Err(JobStoreError::NotCancelable(JobStatus::Completed))
    );
    let queued = enqueued(store, 1, &[1], 1);
    store.request_cancel(&queued.id, at(5)).unwrap();
    assert_eq!(
        store.request_cancel(&queued.id, at(6)),
        Err(JobStoreError::NotCancelable(JobStatus::Canceled))
    );
    let reaped = enqueued(store, 1, &[1], 2);
    claimed(store, "w2", 10);
    store.reap(at(100)).unwrap();
    assert_eq!(
        store.request_cancel(&reaped.id, at(101)),
        Err(JobStoreError::NotCancelable(JobStatus::Failed))
    );
    assert_eq!(
        store.get(&job.id).unwrap().unwrap().status,
        JobStatus::Completed,
        "a refused cancel changes nothing"
    );
}

pub fn inventories_are_in_use_while_jobs_wait_or_run<S: JobStore>(store: &S) {
    let in_use = |id| store.inventory_in_use(InventoryId(id)).unwrap();
    assert!(!in_use(1));
    let job = enqueued(store, 1, &[1], 0);
    let other = enqueued(store, 3, &[1], 1);
    assert!(in_use(1) && in_use(3) && !in_use(2));
    store.request_cancel(&other.id, at(2)).unwrap();
    assert!(!in_use(3), "a canceled job uses nothing");
    let w1 = worker("w1");
    assert_eq!(claimed(store, "w1", 3).id, job.id);
    assert!(in_use(1), "a running job uses its inventory");
    store
        .record_playbook_start(&job.id, &w1, PlaybookId(1), at(4))
        .unwrap();
    store
        .record_playbook_finish(&job.id, &w1, PlaybookId(1), &exit(1), at(5))
        .unwrap();
    store
        .finish_job(&job.id, &w1, &JobEnd::Completed, at(6))
        .unwrap();
    assert!(!in_use(1), "a finished job keeps no inventory");
}
