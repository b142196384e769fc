#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::contract::key;
use super::memory::{FakeServer, InlineExecutor, MemoryKnownHosts, ScriptedProbe};
use super::*;
use crate::catalog::memory::MemoryCatalog;
use crate::catalog::{InventoryDraft, InventoryId, InventoryRepository, PowerStatus, SshStatus};
use std::sync::Arc;
use std::time::Duration;

pub(super) struct World {
    pub(super) catalog: MemoryCatalog,
    pub(super) known: MemoryKnownHosts,
    pub(super) probe: ScriptedProbe,
    pub(super) service: ConnectivityService<MemoryCatalog, MemoryKnownHosts>,
}

pub(super) fn world_with(executor: Arc<dyn ProbeExecutor>) -> World {
    let (catalog, known, probe) = (
        MemoryCatalog::new(),
        MemoryKnownHosts::new(),
        ScriptedProbe::new(),
    );
    let service = ConnectivityService::new(
        catalog.clone(),
        known.clone(),
        Arc::new(probe.clone()),
        executor,
        ProbeDefaults {
            user: "root".into(),
            timeout: Duration::from_secs(5),
        },
    );
    World {
        catalog,
        known,
        probe,
        service,
    }
}

pub(super) fn world() -> World {
    world_with(Arc::new(InlineExecutor))
}

pub(super) fn up(n: u8, password: &str) -> FakeServer {
    FakeServer::Up {
        key: key(n),
        password: Some(password.to_owned()),
        key_file: Some("/keys/id".into()),
        delay: Duration::ZERO,
    }
}

pub(super) fn inventory(world: &World, name: &str, config: &str) -> InventoryId {
    let draft = InventoryDraft::parse(Some(name.into()), None, Some(config.into())).unwrap();
    world.catalog.create_inventory(&draft).unwrap().id
}

#[test]
fn every_host_is_tested_and_the_inventory_folds_their_results() {
    let w = world();
    w.probe.serve("10.0.0.1", 22, up(1, "pw"));
    w.probe.serve("10.0.0.2", 22, up(2, "pw"));
    let timeout = FakeServer::Down(ProbeFailure::Timeout, "timed out after 5 s".into());
    w.probe.serve("10.0.0.3", 22, timeout);
    let config = "[web]\nweb1 ansible_host=10.0.0.1\nweb2 ansible_host=10.0.0.2 ansible_ssh_pass=bad\n\
                  web3 ansible_host=10.0.0.3\nweb4 ansible_host=10.0.0.4 ansible_ssh_pass=\n\
                  ctl ansible_connection=local\n[web:vars]\nansible_ssh_pass=pw\n";
    let id = inventory(&w, "Lab", config);
    let reports = w.service.test(&[id], &CancelFlag::new()).unwrap();
    let [report] = reports.as_slice() else {
        panic!("{reports:?}")
    };
    let codes: Vec<_> = report
        .hosts
        .iter()
        .map(|h| (h.name.as_str(), h.failure.map(ProbeFailure::code)))
        .collect();
    assert_eq!(
        codes,
        [
            ("ctl", None),
            ("web1", None),
            ("web2", Some("SSH_AUTHENTICATION_FAILED")),
            ("web3", Some("SSH_TIMEOUT")),
            ("web4", Some("SSH_CONNECTION_FAILED")),
        ]
    );
    assert_eq!(
        (report.ssh_status, report.power),
        (SshStatus::Unconnected, PowerStatus::On)
    );
    assert!(
        report
            .message
            .starts_with("2/5 hosts connected; web2: authentication failed"),
        "{}",
        report.message
    );
    assert_eq!(report.hosts[1].fingerprint, Some(key(1).fingerprint));
    // The local host was not probed; the others were, with their effective variables.
    let probed: Vec<_> = w.probe.calls().into_iter().map(|t| t.address).collect();
    assert_eq!(probed, ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"]);
    let stored = w.catalog.get_inventory(id).unwrap().unwrap();
    assert_eq!(
        (stored.status, stored.ssh_status, stored.last_tested_at),
        (
            PowerStatus::On,
            SshStatus::Unconnected,
            Some(report.tested_at)
        )
    );
}

#[test]
fn an_inventory_whose_hosts_all_authenticate_is_connected() {
    let w = world();
    w.probe.serve("10.0.0.1", 22, up(1, "pw"));
    let id = inventory(&w, "Lab", "a ansible_host=10.0.0.1 ansible_password=pw\n");
    let report = &w.service.test(&[id], &CancelFlag::new()).unwrap()[0];
    assert_eq!(
        (report.ssh_status, report.message.as_str()),
        (SshStatus::Connected, "1/1 hosts connected")
    );
    let stored = w.catalog.get_inventory(id).unwrap().unwrap();
    assert_eq!(
        (stored.status, stored.ssh_status),
        (PowerStatus::On, SshStatus::Connected)
    );
}

#[test]
fn the_first_key_is_trusted_and_a_changed_one_is_refused_without_credentials() {
    let w = world();
    w.probe.serve("10.0.0.1", 2222, up(1, "pw"));
    let id = inventory(
        &w,
        "Lab",
        "a ansible_host=10.0.0.1 ansible_port=2222 ansible_password=pw\n",
    );
    assert_eq!(
        w.service.test(&[id], &CancelFlag::new()).unwrap()[0].ssh_status,
        SshStatus::Connected
    );
    let trusted = w.known.get_known_host("10.0.0.1", 2222).unwrap().unwrap();
    assert_eq!(trusted.key, key(1));
    assert_eq!(w.probe.calls()[0].known_key, None);

    w.probe.serve("10.0.0.1", 2222, up(9, "pw"));
    let report = &w.service.test(&[id], &CancelFlag::new()).unwrap()[0];
    let host = &report.hosts[0];
    assert_eq!(host.failure, Some(ProbeFailure::HostKeyMismatch));
    assert!(
        host.message.contains(&key(1).fingerprint) && host.message.contains(&key(9).fingerprint),
        "{}",
        host.message
    );
    assert_eq!(w.probe.calls()[1].known_key, Some(key(1)));
    assert_eq!(report.ssh_status, SshStatus::Unconnected);
    // Still the first key; forgetting it lets the new one in.
    assert_eq!(w.service.known_hosts().unwrap(), vec![trusted.clone()]);
    w.service.forget_known_host(trusted.id).unwrap();
    assert_eq!(
        w.service.test(&[id], &CancelFlag::new()).unwrap()[0].ssh_status,
        SshStatus::Connected
    );
    let now_trusted = w.known.get_known_host("10.0.0.1", 2222).unwrap().unwrap();
    assert_eq!(now_trusted.key, key(9));
    assert_eq!(
        w.service.forget_known_host(trusted.id),
        Err(ConnectivityError::KnownHostNotFound(trusted.id.to_string()))
    );
}

#[test]
fn unknown_ids_test_nothing() {
    let w = world();
    w.probe.serve("10.0.0.1", 22, up(1, "pw"));
    let id = inventory(&w, "Lab", "a ansible_host=10.0.0.1 ansible_password=pw\n");
    let result = w.service.test(
        &[id, InventoryId(404), InventoryId(405)],
        &CancelFlag::new(),
    );
    assert_eq!(
        result,
        Err(ConnectivityError::InventoryNotFound("404, 405".into()))
    );
    assert!(w.probe.calls().is_empty());
    let stored = w.catalog.get_inventory(id).unwrap().unwrap();
    assert_eq!(stored.last_tested_at, None);
}

#[test]
fn no_ids_tests_every_inventory_and_repeated_ids_once() {
    let w = world();
    let a = inventory(&w, "A", "a ansible_host=10.0.0.1 ansible_password=pw\n");
    let b = inventory(&w, "B", "[empty]\n");
    let all = w.service.test(&[], &CancelFlag::new()).unwrap();
    let ids: Vec<_> = all.iter().map(|r| r.inventory_id).collect();
    assert_eq!(ids, [a, b]);
    assert_eq!(all[1].ssh_status, SshStatus::Unconnected);
    assert!(all[1].message.contains("no hosts"), "{}", all[1].message);
    assert_eq!(
        w.service
            .test(&[b, a, b], &CancelFlag::new())
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn a_probe_that_overruns_is_reported_as_timed_out() {
    #[derive(Debug)]
    struct Abandoning;
    impl ProbeExecutor for Abandoning {
        fn run_batch(&self, batch: ProbeBatch) -> Vec<TaskResult> {
            assert_eq!(batch.overrun, Duration::from_secs(7));
            batch.tasks.iter().map(|_| Err(Unprobed::Lost)).collect()
        }
    }
    let w = world_with(Arc::new(Abandoning));
    let id = inventory(&w, "Lab", "a ansible_password=pw\n");
    let host = &w.service.test(&[id], &CancelFlag::new()).unwrap()[0].hosts[0];
    assert_eq!(host.failure, Some(ProbeFailure::Timeout));
    assert_eq!(host.message, "timed out after 5 s");
}

#[test]
fn two_lines_at_one_endpoint_trust_one_key() {
    let w = world();
    w.probe.serve("10.0.0.1", 22, up(1, "pw"));
    let config = "a ansible_host=10.0.0.1 ansible_password=pw\nb ansible_host=10.0.0.1 ansible_password=pw\n";
    let id = inventory(&w, "Lab", config);
    let report = &w.service.test(&[id], &CancelFlag::new()).unwrap()[0];
    assert_eq!(report.ssh_status, SshStatus::Connected);
    assert_eq!(w.known.list_known_hosts().unwrap().len(), 1);
}
