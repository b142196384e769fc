//! Enqueue, read, list and claim.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::catalog::PageRequest;
use std::collections::BTreeSet;

pub fn enqueued_jobs_read_back_whole_with_their_snapshot<S: JobStore>(store: &S) {
    let mut new = new_job(7, &[3, 1, 2], 0);
    new.extra_vars = rich_vars();
    new.snapshot.inventory.push_str("# ünïcode stays\n");
    let job = store.enqueue(&new).unwrap();
    assert_eq!(job, new.queued());
    assert_eq!(
        (job.status, job.inventory, job.created_at),
        (JobStatus::Queued, InventoryId(7), at(0))
    );
    assert_eq!(
        job.playbooks
            .iter()
            .map(|r| (r.playbook.0, r.name.as_str(), r.status))
            .collect::<Vec<_>>(),
        vec![
            (3, "Playbook 3", PlaybookRunStatus::Queued),
            (1, "Playbook 1", PlaybookRunStatus::Queued),
            (2, "Playbook 2", PlaybookRunStatus::Queued),
        ]
    );
    assert_eq!(store.get(&job.id).unwrap(), Some(job.clone()));
    assert_eq!(store.snapshot(&job.id).unwrap(), Some(new.snapshot.clone()));
    assert_eq!(
        store.get(&job.id).unwrap().unwrap().extra_vars.to_json(),
        rich_vars().to_json(),
        "extra variables keep their order and types"
    );
    let unknown = JobId::generate();
    assert_eq!(store.get(&unknown).unwrap(), None);
    assert_eq!(store.snapshot(&unknown).unwrap(), None);
}

pub fn job_ids_are_unique<S: JobStore>(store: &S) {
    let new = new_job(1, &[1], 0);
    store.enqueue(&new).unwrap();
    let mut again = new_job(2, &[2], 1);
    again.id = new.id.clone();
    assert_eq!(store.enqueue(&again), Err(JobStoreError::Duplicate));
    assert_eq!(
        store.get(&new.id).unwrap().unwrap().inventory,
        InventoryId(1)
    );
}

pub fn lists_are_newest_first_filtered_and_paged<S: JobStore>(store: &S) {
    let a = enqueued(store, 1, &[1, 2], 1);
    let b = enqueued(store, 2, &[2], 3);
    let c = enqueued(store, 1, &[3], 2);
    // Created at the same moment as b, but enqueued after it: newer.
    let d = enqueued(store, 1, &[1], 3);
    assert_eq!(claimed(store, "w1", 10).id, a.id);
    let list = |status, playbook: Option<i64>, inventory: Option<i64>, page, per_page| {
        store
            .list(&JobQuery {
                status,
                playbook: playbook.map(PlaybookId),
                inventory: inventory.map(InventoryId),
                page: PageRequest { page, per_page },
            })
            .unwrap()
    };
    let all = list(None, None, None, 1, 10);
    assert_eq!(
        (listed_ids(&all.items), all.total),
        (ids(&[d.clone(), b.clone(), c.clone(), a.clone()]), 4)
    );
    assert_eq!(all.items[3].status, JobStatus::Running);
    assert_eq!(
        all.items[3],
        store.get(&a.id).unwrap().unwrap().summary(),
        "an item is the job's summary"
    );
    let started = list(Some(JobStatus::Running), None, None, 1, 10);
    assert_eq!(listed_ids(&started.items), vec![a.id.clone()]);
    let queued = list(Some(JobStatus::Queued), None, None, 1, 10);
    assert_eq!(
        listed_ids(&queued.items),
        ids(&[d.clone(), b.clone(), c.clone()])
    );
    let with_2 = list(None, Some(2), None, 1, 10);
    assert_eq!(listed_ids(&with_2.items), ids(&[b.clone(), a.clone()]));
    let on_1 = list(None, None, Some(1), 1, 10);
    assert_eq!(
        listed_ids(&on_1.items),
        ids(&[d.clone(), c.clone(), a.clone()])
    );
    let both = list(None, Some(1), Some(1), 1, 10);
    assert_eq!(listed_ids(&both.items), ids(&[d.clone(), a.clone()]));
    let second = list(None, None, None, 2, 3);
    assert_eq!(
        (listed_ids(&second.items), second.total),
        (vec![a.id.clone()], 4)
    );
    let beyond = list(None, None, None, 3, 3);
    assert_eq!((beyond.items.len(), beyond.total), (0, 4));
    assert_eq!(list(Some(JobStatus::Failed), None, None, 1, 10).total, 0);
    assert_eq!(list(None, Some(99), None, 1, 10).total, 0);
}

pub fn claims_take_the_oldest_queued_job<S: JobStore>(store: &S) {
    assert_eq!(store.claim(&worker("w1"), at(0), lease()).unwrap(), None);
    let late = enqueued(store, 1, &[1], 30);
    let early = enqueued(store, 1, &[1], 10);
    let middle = enqueued(store, 1, &[1], 20);
    let early_too = enqueued(store, 1, &[1], 10);
    let canceled = enqueued(store, 1, &[1], 0);
    store.request_cancel(&canceled.id, at(1)).unwrap();

    let first = claimed(store, "w1", 40);
    assert_eq!(first.id, early.id);
    assert_eq!(
        (first.status, first.started_at, first.lease.clone()),
        (
            JobStatus::Running,
            Some(at(40)),
            Some(Lease {
                worker: worker("w1"),
                expires_at: at(70)
            })
        )
    );
    assert_eq!(store.get(&first.id).unwrap(), Some(first.clone()));
    let order: Vec<JobId> = (0..3).map(|_| claimed(store, "w2", 41).id).collect();
    assert_eq!(order, vec![early_too.id, middle.id, late.id]);
    assert_eq!(store.claim(&worker("w1"), at(42), lease()).unwrap(), None);
}

pub fn concurrent_claimers_never_share_a_job<S: JobStore>(store: &S) {
    const JOBS: i64 = 24;
    const CLAIMERS: usize = 4;
    let queued: BTreeSet<JobId> = (0..JOBS).map(|i| enqueued(store, 1, &[1], i).id).collect();
    let taken: Vec<Vec<JobId>> = std::thread::scope(|scope| {
        let claimers: Vec<_> = (0..CLAIMERS)
            .map(|n| {
                scope.spawn(move || {
                    let me = worker(&format!("claimer-{n}"));
                    let mut mine = Vec::new();
                    while let Some(job) = store.claim(&me, at(100), lease()).unwrap() {
                        assert_eq!(job.lease.as_ref().map(|l| &l.worker), Some(&me));
                        mine.push(job.id);
                    }
                    mine
                })
            })
            .collect();
        claimers.into_iter().map(|c| c.join().unwrap()).collect()
    });
    let all: Vec<JobId> = taken.into_iter().flatten().collect();
    let distinct: BTreeSet<JobId> = all.iter().cloned().collect();
    assert_eq!(all.len(), distinct.len(), "a job was claimed twice");
    assert_eq!(distinct, queued, "every job claimed once");
}

pub fn a_run_records_each_playbook_and_completes<S: JobStore>(store: &S) {
    let job = running(store, &[1, 2]);
    let w1 = worker("w1");
    let first = &job.playbooks[0];
    assert_eq!(
        (first.status, first.started_at, first.completed_at),
        (PlaybookRunStatus::Running, Some(at(2)), None)
    );
    assert_eq!(
        store.record_playbook_start(&job.id, &w1, PlaybookId(1), at(3)),
        Err(JobStoreError::Illegal(IllegalTransition::Playbook {
            playbook: PlaybookId(1),
            from: PlaybookRunStatus::Running,
            to: PlaybookRunStatus::Running
        }))
    );
    assert_eq!(
        store.record_playbook_start(&job.id, &w1, PlaybookId(9), at(3)),
        Err(JobStoreError::Illegal(IllegalTransition::NotInJob(
            PlaybookId(9)
        )))
    );
    let failed = store.record_playbook_finish(&job.id, &w1, PlaybookId(1), &exit(2), at(4));
    assert_eq!(failed, Ok(PlaybookRunStatus::Failed));
    assert!(matches!(
        store.record_playbook_finish(&job.id, &w1, PlaybookId(2), &exit(0), at(4)),
        Err(JobStoreError::Illegal(_))
    ));
    store
        .record_playbook_start(&job.id, &w1, PlaybookId(2), at(5))
        .unwrap();
    assert_eq!(
        store.finish_job(&job.id, &w1, &JobEnd::Completed, at(6)),
        Err(JobStoreError::Illegal(IllegalTransition::Unfinished(
            PlaybookId(2)
        )))
    );
    let success = store.record_playbook_finish(&job.id, &w1, PlaybookId(2), &exit(0), at(7));
    assert_eq!(success, Ok(PlaybookRunStatus::Success));
    let done = store
        .finish_job(&job.id, &w1, &JobEnd::Completed, at(8))
        .unwrap();
    assert_eq!(
        (done.status, done.completed_at, done.lease.clone()),
        (JobStatus::Completed, Some(at(8)), None)
    );
    assert_eq!(store.get(&job.id).unwrap(), Some(done.clone()));
    let runs: Vec<_> = done
        .playbooks
        .iter()
        .map(|r| (r.status, r.started_at, r.completed_at, r.exit_code))
        .collect();
    assert_eq!(
        runs,
        vec![
            (PlaybookRunStatus::Failed, Some(at(2)), Some(at(4)), Some(2)),
            (
                PlaybookRunStatus::Success,
                Some(at(5)),
                Some(at(7)),
                Some(0)
            ),
        ]
    );
    assert_eq!(done.playbooks[0].host_stats, exit(2).host_stats);
    assert_eq!(done.playbooks[1].host_stats, exit(0).host_stats);
    assert_eq!(
        store.record_playbook_start(&job.id, &w1, PlaybookId(1), at(9)),
        Err(JobStoreError::LeaseLost),
        "a finished job takes no more writes"
    );
}
