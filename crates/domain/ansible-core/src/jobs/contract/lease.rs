//! Leases: who may write to a running job, and what becomes of a job whose worker is gone.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use std::collections::BTreeSet;

pub fn only_the_holder_renews_or_writes<S: JobStore>(store: &S) {
    let job = running(store, &[1, 2]);
    let (w1, w2) = (worker("w1"), worker("w2"));
    let lost = Err(JobStoreError::LeaseLost);
    assert_eq!(store.renew(&job.id, &w2, at(5), lease()).map(|_| ()), lost);
    assert_eq!(
        store
            .record_playbook_finish(&job.id, &w2, PlaybookId(1), &exit(0), at(5))
            .map(|_| ()),
        lost
    );
    assert_eq!(
        store
            .append_output(&job.id, &w2, PlaybookId(1), "x", 100)
            .map(|_| ()),
        lost
    );
    assert_eq!(
        store
            .finish_job(&job.id, &w2, &JobEnd::Completed, at(5))
            .map(|_| ()),
        lost
    );
    assert_eq!(
        store.renew(&job.id, &w1, at(5), lease()),
        Ok(Renewal {
            cancel_requested: false
        })
    );
    let renewed = store.get(&job.id).unwrap().unwrap();
    assert_eq!(
        renewed.lease,
        Some(Lease {
            worker: w1.clone(),
            expires_at: at(35)
        })
    );
    assert_eq!(renewed.playbooks[0].status, PlaybookRunStatus::Running);
    assert_eq!(
        renewed.playbooks[0].output_bytes, 0,
        "refused writes left nothing"
    );
    let waiting = enqueued(store, 1, &[1], 3);
    assert_eq!(
        store.renew(&waiting.id, &w1, at(5), lease()).map(|_| ()),
        lost
    );
    assert_eq!(
        store
            .renew(&JobId::generate(), &w1, at(5), lease())
            .map(|_| ()),
        lost
    );
}

pub fn an_expired_lease_is_reaped_as_failed_and_never_requeued<S: JobStore>(store: &S) {
    let mid_task = running(store, &[1, 2]);
    let w1 = worker("w1");
    store
        .append_output(&mid_task.id, &w1, PlaybookId(1), "TASK [install]", 1024)
        .unwrap();
    // Claimed by another worker, but no playbook started yet.
    let unstarted = enqueued(store, 1, &[3, 4], 0);
    assert_eq!(claimed(store, "w2", 1).id, unstarted.id);

    // Both leases run until 31 s: a lease is held through its expiry.
    assert_eq!(store.reap(at(31)).unwrap(), Vec::<JobId>::new());
    let now = at(31) + TimeDelta::microseconds(1);
    let reaped: BTreeSet<JobId> = store.reap(now).unwrap().into_iter().collect();
    assert_eq!(
        reaped,
        [mid_task.id.clone(), unstarted.id.clone()]
            .into_iter()
            .collect()
    );

    let failed = store.get(&mid_task.id).unwrap().unwrap();
    assert_eq!(
        (failed.status, failed.completed_at, failed.lease.clone()),
        (JobStatus::Failed, Some(now), None)
    );
    assert_eq!(
        statuses(&failed),
        vec![PlaybookRunStatus::Failed, PlaybookRunStatus::Skipped]
    );
    assert_eq!(failed.playbooks[0].completed_at, Some(now));
    let out = output_of(store, &mid_task.id, 1);
    assert_eq!(
        out.text,
        format!("TASK [install]\n[control-hub] {SERVER_STOPPED}\n")
    );
    assert!(out.complete);
    assert_eq!(failed.playbooks[0].output_bytes, out.next_offset);

    let never_started = store.get(&unstarted.id).unwrap().unwrap();
    assert_eq!(never_started.status, JobStatus::Failed);
    assert_eq!(
        statuses(&never_started),
        vec![PlaybookRunStatus::Skipped, PlaybookRunStatus::Skipped]
    );
    assert_eq!(
        output_of(store, &unstarted.id, 3).text,
        format!("[control-hub] {SERVER_STOPPED}\n"),
        "the reason goes to the playbook the job was at"
    );

    // Never run again, and the old worker can write nothing more.
    assert_eq!(store.claim(&worker("w3"), now, lease()).unwrap(), None);
    assert_eq!(
        store.renew(&mid_task.id, &w1, now, lease()).map(|_| ()),
        Err(JobStoreError::LeaseLost)
    );
    assert_eq!(
        store
            .append_output(&mid_task.id, &w1, PlaybookId(1), "late", 1024)
            .map(|_| ()),
        Err(JobStoreError::LeaseLost)
    );
    assert_eq!(store.reap(at(100)).unwrap(), Vec::<JobId>::new());
    assert!(!store.inventory_in_use(InventoryId(1)).unwrap());
}

pub fn a_renewed_lease_is_not_reaped<S: JobStore>(store: &S) {
    let job = running(store, &[1]);
    store
        .renew(&job.id, &worker("w1"), at(20), lease())
        .unwrap();
    assert_eq!(store.reap(at(40)).unwrap(), Vec::<JobId>::new());
    assert_eq!(
        store.get(&job.id).unwrap().unwrap().status,
        JobStatus::Running
    );
    assert_eq!(store.reap(at(51)).unwrap(), vec![job.id.clone()]);
}
