//! The bounds on one test: the host cap, the deadline and cancellation (fairness between
//! requests is the executor's: `crates/app/src/ssh_pool`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::memory::{FakeServer, InlineExecutor, MemoryKnownHosts, ScriptedProbe};
use super::service_tests::{World, inventory, up, world};
use super::*;
use crate::catalog::memory::MemoryCatalog;
use crate::catalog::{InventoryRepository, PowerStatus, SshStatus};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn limited(max_hosts: usize, deadline: Duration) -> World {
    let mut w = world();
    w.service = w.service.with_limits(TestLimits {
        max_hosts,
        deadline,
    });
    w
}

fn slow_up(n: u8, delay: Duration) -> FakeServer {
    match up(n, "pw") {
        FakeServer::Up {
            key,
            password,
            key_file,
            ..
        } => FakeServer::Up {
            key,
            password,
            key_file,
            delay,
        },
        down => down,
    }
}

fn hosts(addresses: &[&str]) -> String {
    addresses
        .iter()
        .enumerate()
        .map(|(n, a)| format!("h{n} ansible_host={a} ansible_password=pw\n"))
        .collect()
}

#[test]
fn the_defaults_are_a_thousand_hosts_and_thirty_seconds() {
    let limits = TestLimits::default();
    assert_eq!(
        (limits.max_hosts, limits.deadline),
        (1000, Duration::from_secs(30))
    );
}

#[test]
fn a_test_over_the_host_cap_is_refused_before_anything_is_probed() {
    let w = limited(3, Duration::from_secs(30));
    let a = inventory(&w, "A", &hosts(&["10.0.0.1", "10.0.0.2"]));
    // Hosts that would not be probed count too: the cap is on what the inventories hold.
    let b = inventory(
        &w,
        "B",
        "ctl ansible_connection=local\nx ansible_port=99999\n",
    );
    let refused = Err(ConnectivityError::TooManyHosts { hosts: 4, limit: 3 });
    assert_eq!(w.service.test(&[a, b], &CancelFlag::new()), refused);
    assert_eq!(w.service.test(&[], &CancelFlag::new()), refused);
    let message = ConnectivityError::TooManyHosts { hosts: 4, limit: 3 }.to_string();
    assert!(
        message.contains("4 hosts") && message.contains("3"),
        "{message}"
    );
    assert!(w.probe.calls().is_empty());
    for id in [a, b] {
        let stored = w.catalog.get_inventory(id).unwrap().unwrap();
        assert_eq!(stored.last_tested_at, None);
    }
    // Up to the cap is tested.
    assert_eq!(w.service.test(&[a], &CancelFlag::new()).unwrap().len(), 1);
    assert_eq!(w.probe.calls().len(), 2);
}

#[test]
fn hosts_not_reached_by_the_deadline_time_out_and_count_as_unreachable() {
    // One probe at a time, 350 ms each, 500 ms in all: two start, the rest never do.
    let w = limited(1000, Duration::from_millis(500));
    for (n, address) in ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"]
        .iter()
        .enumerate()
    {
        w.probe
            .serve(address, 22, slow_up(n as u8, Duration::from_millis(350)));
    }
    let a = inventory(&w, "A", &hosts(&["10.0.0.1", "10.0.0.2"]));
    let b = inventory(&w, "B", &hosts(&["10.0.0.3", "10.0.0.4"]));
    let started = Instant::now();
    let reports = w.service.test(&[a, b], &CancelFlag::new()).unwrap();
    assert!(
        started.elapsed() < Duration::from_millis(1000),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(w.probe.calls().len(), 2);
    let (first, second) = (&reports[0], &reports[1]);
    assert_eq!(
        (first.ssh_status, first.power),
        (SshStatus::Connected, PowerStatus::On)
    );
    for host in &second.hosts {
        assert_eq!(host.failure, Some(ProbeFailure::Timeout), "{host:?}");
        assert_eq!(
            host.message,
            "the request's deadline (0.5 s) passed before this host was probed"
        );
        assert_eq!((host.latency, host.answered), (None, false));
    }
    assert_eq!(
        (second.ssh_status, second.power),
        (SshStatus::Unconnected, PowerStatus::Off)
    );
    assert!(
        second.message.starts_with("0/2 hosts connected; "),
        "{}",
        second.message
    );
    // What is stored agrees with the answer: unreached hosts are unreachable ones.
    for report in &reports {
        let stored = w
            .catalog
            .get_inventory(report.inventory_id)
            .unwrap()
            .unwrap();
        assert_eq!(
            (stored.status, stored.ssh_status, stored.last_tested_at),
            (report.power, report.ssh_status, Some(report.tested_at))
        );
    }
}

/// A scripted probe that cancels the test when its `after`-th probe starts.
#[derive(Debug)]
struct CancelingProbe {
    inner: ScriptedProbe,
    cancel: CancelFlag,
    after: usize,
    calls: AtomicUsize,
}

impl ConnectivityProbe for CancelingProbe {
    fn probe(&self, target: &ProbeTarget) -> ProbeOutcome {
        if self.calls.fetch_add(1, Ordering::SeqCst) + 1 == self.after {
            self.cancel.cancel();
        }
        self.inner.probe(target)
    }
}

#[test]
fn a_canceled_test_starts_no_more_probes_and_records_nothing() {
    let (catalog, known, scripted) = (
        MemoryCatalog::new(),
        MemoryKnownHosts::new(),
        ScriptedProbe::new(),
    );
    let cancel = CancelFlag::new();
    let probe = CancelingProbe {
        inner: scripted.clone(),
        cancel: cancel.clone(),
        after: 2,
        calls: AtomicUsize::new(0),
    };
    let service = ConnectivityService::new(
        catalog.clone(),
        known.clone(),
        Arc::new(probe),
        Arc::new(InlineExecutor),
        ProbeDefaults {
            user: "root".into(),
            timeout: Duration::from_secs(5),
        },
    );
    let addresses = ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"];
    for (n, address) in addresses.iter().enumerate() {
        scripted.serve(address, 22, up(n as u8, "pw"));
    }
    let draft =
        crate::catalog::InventoryDraft::parse(Some("Lab".into()), None, Some(hosts(&addresses)))
            .unwrap();
    let id = catalog.create_inventory(&draft).unwrap().id;
    assert_eq!(
        service.test(&[id], &cancel),
        Err(ConnectivityError::Canceled)
    );
    // The probe that was running when the test was canceled finished; no other started.
    assert_eq!(scripted.calls().len(), 2);
    let stored = catalog.get_inventory(id).unwrap().unwrap();
    assert_eq!(stored.last_tested_at, None);
    assert!(known.list_known_hosts().unwrap().is_empty());
    // Canceled before it starts: nothing at all.
    assert_eq!(
        service.test(&[id], &cancel),
        Err(ConnectivityError::Canceled)
    );
    assert_eq!(scripted.calls().len(), 2);
}
