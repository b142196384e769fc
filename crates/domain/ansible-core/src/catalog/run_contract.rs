//! The contract of [`PlaybookRunRecorder`]: [`catalog_run_contract_tests!`](crate::catalog_run_contract_tests)
//! makes one `#[test]` per case, `$make` yielding `(guard, store)` for a fresh empty store.
//! Its own suite, apart from the catalogue's, so that a store may take the port on later.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::contract::playbook;
use super::*;
use chrono::{DateTime, SubsecRound, TimeDelta, TimeZone, Utc};

/// A store of playbooks that records their runs.
pub trait RunRecordingStore: PlaybookRepository + PlaybookRunRecorder {}

impl<T: PlaybookRepository + PlaybookRunRecorder> RunRecordingStore for T {}

#[macro_export]
macro_rules! catalog_run_contract_tests {
    ($make:expr) => {
        $crate::catalog_run_contract_tests!(@cases $make;
            a_run_sets_status_and_last_run_at_but_not_updated_at,
            the_latest_run_wins_whatever_the_order_they_are_recorded,
            runs_of_absent_playbooks_report_absence,
        );
    };
    (@cases $make:expr; $($case:ident),* $(,)?) => {$(
        #[test]
        fn $case() {
            let (_guard, store) = $make;
            $crate::catalog::run_contract::$case(&store);
        }
    )*};
}

fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_736_510_400, 0)
        .unwrap()
        .trunc_subsecs(6)
        + TimeDelta::seconds(secs)
}

fn status_filter(status: RunStatus) -> PlaybookQuery {
    PlaybookQuery {
        search: None,
        kind: None,
        status: Some(status),
        page: PageRequest {
            page: 1,
            per_page: 10,
        },
    }
}

pub fn a_run_sets_status_and_last_run_at_but_not_updated_at<S: RunRecordingStore>(store: &S) {
    let created = store.create_playbook(&playbook("Deploy", &[])).unwrap();
    assert!(
        store
            .record_run(created.id, RunStatus::Fail, at(10))
            .unwrap()
    );
    let read = store.get_playbook(created.id).unwrap().unwrap();
    assert_eq!(
        (read.status, read.last_run_at, read.updated_at),
        (RunStatus::Fail, Some(at(10)), created.updated_at)
    );
    assert_eq!(
        store
            .list_playbooks(&status_filter(RunStatus::Fail))
            .unwrap()
            .total,
        1
    );
    assert_eq!(
        store
            .list_playbooks(&status_filter(RunStatus::NotStart))
            .unwrap()
            .total,
        0
    );
    // An edit keeps the run's result.
    let updated = store
        .update_playbook(created.id, &playbook("Deploy 2", &[]))
        .unwrap()
        .unwrap();
    assert_eq!(
        (updated.status, updated.last_run_at),
        (RunStatus::Fail, Some(at(10)))
    );
}

pub fn the_latest_run_wins_whatever_the_order_they_are_recorded<S: RunRecordingStore>(store: &S) {
    let created = store.create_playbook(&playbook("Deploy", &[])).unwrap();
    store
        .record_run(created.id, RunStatus::Success, at(20))
        .unwrap();
    assert!(
        store
            .record_run(created.id, RunStatus::Fail, at(15))
            .unwrap()
    );
    let read = store.get_playbook(created.id).unwrap().unwrap();
    assert_eq!(
        (read.status, read.last_run_at),
        (RunStatus::Success, Some(at(20)))
    );
    store
        .record_run(created.id, RunStatus::Fail, at(30))
        .unwrap();
    let read = store.get_playbook(created.id).unwrap().unwrap();
    assert_eq!(
        (read.status, read.last_run_at),
        (RunStatus::Fail, Some(at(30)))
    );
}

pub fn runs_of_absent_playbooks_report_absence<S: RunRecordingStore>(store: &S) {
    assert!(
        !store
            .record_run(PlaybookId(404), RunStatus::Success, at(1))
            .unwrap()
    );
}

#[test]
fn every_case_is_listed_in_the_macro() {
    let source = include_str!("run_contract.rs");
    hub_testkit::contract_cases::assert_all_listed(&[source], source, "RunRecordingStore>");
}
