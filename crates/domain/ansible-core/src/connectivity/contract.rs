//! The contract of [`KnownHostRepository`]: [`known_hosts_contract_tests!`](crate::known_hosts_contract_tests)
//! makes one `#[test]` per case, `$make` yielding `(guard, store)` for a fresh empty store.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use chrono::{DateTime, SubsecRound, TimeDelta, TimeZone, Utc};

#[macro_export]
macro_rules! known_hosts_contract_tests {
    ($make:expr) => {
        $crate::known_hosts_contract_tests!(@cases $make;
            the_first_key_seen_is_trusted_and_kept,
            endpoints_differ_by_address_and_port,
            forgetting_a_host_lets_the_next_key_in,
            concurrent_first_sights_store_one_entry,
        );
    };
    (@cases $make:expr; $($case:ident),* $(,)?) => {$(
        #[test]
        fn $case() {
            let (_guard, store) = $make;
            $crate::connectivity::contract::$case(&store);
        }
    )*};
}

fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_736_510_400, 0)
        .unwrap()
        .trunc_subsecs(6)
        + TimeDelta::seconds(secs)
}

pub fn key(n: u8) -> HostKey {
    HostKey {
        key_type: "ssh-ed25519".to_owned(),
        key_base64: format!("AAAAC3NzaC1lZDI1NTE5AAAAI{n:02}"),
        fingerprint: format!("SHA256:fingerprint{n:02}"),
    }
}

fn new(address: &str, port: u16, key: HostKey, secs: i64) -> NewKnownHost {
    NewKnownHost {
        address: address.to_owned(),
        port,
        key,
        seen_at: at(secs),
    }
}

pub fn the_first_key_seen_is_trusted_and_kept<S: KnownHostRepository>(store: &S) {
    assert_eq!(store.get_known_host("10.0.0.1", 22).unwrap(), None);
    let first = store
        .trust_first_seen(&new("10.0.0.1", 22, key(1), 1))
        .unwrap();
    assert_eq!(
        (
            first.address.as_str(),
            first.port,
            &first.key,
            first.first_seen_at
        ),
        ("10.0.0.1", 22, &key(1), at(1))
    );
    // A later, different key does not replace it: the caller sees the trusted one.
    let again = store
        .trust_first_seen(&new("10.0.0.1", 22, key(2), 2))
        .unwrap();
    assert_eq!(again, first);
    assert_eq!(
        store.get_known_host("10.0.0.1", 22).unwrap(),
        Some(first.clone())
    );
    assert_eq!(store.list_known_hosts().unwrap(), vec![first]);
}

pub fn endpoints_differ_by_address_and_port<S: KnownHostRepository>(store: &S) {
    let a = store.trust_first_seen(&new("web", 22, key(1), 1)).unwrap();
    let b = store
        .trust_first_seen(&new("web", 2222, key(2), 2))
        .unwrap();
    let c = store.trust_first_seen(&new("db", 22, key(3), 3)).unwrap();
    assert!(a.id < b.id && b.id < c.id, "{a:?} {b:?} {c:?}");
    assert_eq!(store.list_known_hosts().unwrap(), vec![a, b.clone(), c]);
    assert_eq!(store.get_known_host("web", 2222).unwrap(), Some(b));
    assert_eq!(store.get_known_host("web", 2200).unwrap(), None);
}

pub fn forgetting_a_host_lets_the_next_key_in<S: KnownHostRepository>(store: &S) {
    let first = store.trust_first_seen(&new("web", 22, key(1), 1)).unwrap();
    assert!(store.delete_known_host(first.id).unwrap());
    assert!(!store.delete_known_host(first.id).unwrap());
    assert_eq!(store.get_known_host("web", 22).unwrap(), None);
    let next = store.trust_first_seen(&new("web", 22, key(2), 2)).unwrap();
    assert_eq!(next.key, key(2));
    assert_ne!(next.id, first.id);
}

pub fn concurrent_first_sights_store_one_entry<S: KnownHostRepository>(store: &S) {
    let entries: Vec<KnownHost> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8u8)
            .map(|n| {
                scope.spawn(move || store.trust_first_seen(&new("race", 22, key(n), 1)).unwrap())
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(entries.windows(2).all(|w| w[0] == w[1]), "{entries:?}");
    assert_eq!(store.list_known_hosts().unwrap(), vec![entries[0].clone()]);
}

#[test]
fn every_case_is_listed_in_the_macro() {
    let source = include_str!("contract.rs");
    hub_testkit::contract_cases::assert_all_listed(&[source], source, "KnownHostRepository>");
}
