//! The contract of [`SshTestRecorder`]: [`catalog_ssh_contract_tests!`](crate::catalog_ssh_contract_tests)
//! makes one `#[test]` per case, `$make` yielding `(guard, store)` for a fresh empty store.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::contract::inventory;
use super::*;
use chrono::{DateTime, SubsecRound, TimeDelta, TimeZone, Utc};

/// A store of inventories that records their SSH tests.
pub trait SshRecordingStore: InventoryRepository + SshTestRecorder {}

impl<T: InventoryRepository + SshTestRecorder> SshRecordingStore for T {}

#[macro_export]
macro_rules! catalog_ssh_contract_tests {
    ($make:expr) => {
        $crate::catalog_ssh_contract_tests!(@cases $make;
            a_test_sets_both_statuses_and_last_tested_at_but_not_updated_at,
            the_latest_test_wins_whatever_the_order_they_are_recorded,
            tests_of_absent_inventories_report_absence,
        );
    };
    (@cases $make:expr; $($case:ident),* $(,)?) => {$(
        #[test]
        fn $case() {
            let (_guard, store) = $make;
            $crate::catalog::ssh_contract::$case(&store);
        }
    )*};
}

fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_736_510_400, 0)
        .unwrap()
        .trunc_subsecs(6)
        + TimeDelta::seconds(secs)
}

pub fn a_test_sets_both_statuses_and_last_tested_at_but_not_updated_at<S: SshRecordingStore>(
    store: &S,
) {
    let created = store.create_inventory(&inventory("Lab")).unwrap();
    assert_eq!(created.last_tested_at, None);
    let recorded = store
        .record_ssh_test(created.id, PowerStatus::On, SshStatus::Connected, at(10))
        .unwrap();
    assert!(recorded);
    let read = store.get_inventory(created.id).unwrap().unwrap();
    assert_eq!(
        (
            read.status,
            read.ssh_status,
            read.last_tested_at,
            read.updated_at
        ),
        (
            PowerStatus::On,
            SshStatus::Connected,
            Some(at(10)),
            created.updated_at
        )
    );
    // An edit keeps the test's result.
    let updated = store
        .update_inventory(created.id, &inventory("Lab 2"))
        .unwrap()
        .unwrap();
    assert_eq!(
        (updated.status, updated.ssh_status, updated.last_tested_at),
        (PowerStatus::On, SshStatus::Connected, Some(at(10)))
    );
    let listed = store
        .list_inventories(&InventoryQuery {
            search: None,
            page: PageRequest {
                page: 1,
                per_page: 10,
            },
        })
        .unwrap();
    assert_eq!(listed.items[0].last_tested_at, Some(at(10)));
}

pub fn the_latest_test_wins_whatever_the_order_they_are_recorded<S: SshRecordingStore>(store: &S) {
    let created = store.create_inventory(&inventory("Lab")).unwrap();
    let record = |power, ssh, secs| {
        store
            .record_ssh_test(created.id, power, ssh, at(secs))
            .unwrap()
    };
    record(PowerStatus::On, SshStatus::Connected, 20);
    assert!(record(PowerStatus::Off, SshStatus::Unconnected, 15));
    let read = store.get_inventory(created.id).unwrap().unwrap();
    assert_eq!(
        (read.status, read.ssh_status, read.last_tested_at),
        (PowerStatus::On, SshStatus::Connected, Some(at(20)))
    );
    record(PowerStatus::On, SshStatus::Unconnected, 30);
    let read = store.get_inventory(created.id).unwrap().unwrap();
    assert_eq!(
        (read.status, read.ssh_status, read.last_tested_at),
        (PowerStatus::On, SshStatus::Unconnected, Some(at(30)))
    );
}

pub fn tests_of_absent_inventories_report_absence<S: SshRecordingStore>(store: &S) {
    let recorded = store
        .record_ssh_test(
            InventoryId(404),
            PowerStatus::On,
            SshStatus::Connected,
            at(1),
        )
        .unwrap();
    assert!(!recorded);
}

#[test]
fn every_case_is_listed_in_the_macro() {
    let source = include_str!("ssh_contract.rs");
    hub_testkit::contract_cases::assert_all_listed(&[source], source, "SshRecordingStore>");
}
