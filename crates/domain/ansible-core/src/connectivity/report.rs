//! What a test found, per host and per inventory, and how host results fold into the
//! inventory's `status` / `sshStatus` and its summary message.

use super::executor::{TaskResult, Unprobed, seconds};
use super::probe::{ProbeFailure, ProbeOutcome};
use super::targets::{Plan, PlannedHost};
use crate::catalog::{InventoryId, PowerStatus, SshStatus};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// How many failing hosts the summary names before it counts the rest.
const NAMED_FAILURES: usize = 3;

/// One host's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostReport {
    pub name: String,
    pub address: String,
    pub port: u16,
    pub user: String,
    /// `None`: authenticated (or a local connection).
    pub failure: Option<ProbeFailure>,
    pub message: String,
    /// `None` when nothing was attempted (local, unusable variables).
    pub latency: Option<Duration>,
    /// The SHA-256 fingerprint of the key the server presented.
    pub fingerprint: Option<String>,
    /// Whether the host answered at all (see [`ProbeFailure::server_answered`]).
    pub answered: bool,
}

impl HostReport {
    pub fn connected(&self) -> bool {
        self.failure.is_none()
    }
}

/// One inventory's result: its hosts, and the fold the catalogue records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryReport {
    pub inventory_id: InventoryId,
    pub inventory_name: String,
    /// `Connected` only when there are hosts and every one authenticated.
    pub ssh_status: SshStatus,
    /// `On` when at least one host answered.
    pub power: PowerStatus,
    pub message: String,
    pub tested_at: DateTime<Utc>,
    pub hosts: Vec<HostReport>,
}

/// A host result from a probe outcome.
pub fn host_report(
    name: String,
    address: String,
    port: u16,
    user: String,
    outcome: ProbeOutcome,
) -> HostReport {
    HostReport {
        answered: outcome.failure.is_none_or(ProbeFailure::server_answered),
        name,
        address,
        port,
        user,
        failure: outcome.failure,
        message: outcome.message,
        latency: Some(outcome.latency),
        fingerprint: outcome.host_key.map(|k| k.fingerprint),
    }
}

/// What a host without an outcome is reported with: the bounds it ran into.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Unreached {
    /// The per-host timeout.
    pub timeout: Duration,
    /// How long the batch waited for a started probe.
    pub overrun: Duration,
    /// The request's deadline.
    pub deadline: Duration,
}

impl Unreached {
    /// Every unreached host is timed out, and none answered: it counts as unreachable.
    fn report(&self, unprobed: Unprobed) -> (String, Option<Duration>) {
        let deadline = seconds(self.deadline);
        match unprobed {
            Unprobed::Lost => (
                format!("timed out after {}", seconds(self.timeout)),
                Some(self.overrun),
            ),
            Unprobed::DeadlineBeforeStart => (
                format!("the request's deadline ({deadline}) passed before this host was probed"),
                None,
            ),
            Unprobed::DeadlineWhileRunning => (
                format!("the request's deadline ({deadline}) passed before this host answered"),
                None,
            ),
            Unprobed::Canceled => (
                "the test was canceled before this host answered".into(),
                None,
            ),
        }
    }
}

/// A planned host's result: from its plan (local, unusable variables) or from its probe.
pub(crate) fn planned_report(
    host: PlannedHost,
    result: Option<TaskResult>,
    unreached: &Unreached,
) -> HostReport {
    let PlannedHost {
        name,
        address,
        port,
        user,
        plan,
    } = host;
    let report = |failure: Option<ProbeFailure>, message: String, latency, answered| HostReport {
        name: name.clone(),
        address: address.clone(),
        port,
        user: user.clone(),
        failure,
        message,
        latency,
        fingerprint: None,
        answered,
    };
    match (plan, result) {
        (Plan::Local, _) => report(None, "local connection: runs on the hub".into(), None, true),
        (Plan::Unusable(failure, message), _) => report(Some(failure), message, None, false),
        (Plan::Ssh(_), Some(Ok(outcome))) => host_report(name, address, port, user, outcome),
        (Plan::Ssh(_), Some(Err(unprobed))) => {
            let (message, latency) = unreached.report(unprobed);
            report(Some(ProbeFailure::Timeout), message, latency, false)
        }
        // Every SSH plan has a slot and every slot a result: reaching this is a bug.
        (Plan::Ssh(_), None) => report(
            Some(ProbeFailure::ConnectionFailed),
            "internal error: the probe's result went missing".into(),
            None,
            false,
        ),
    }
}

/// The statuses and the summary: `3/4 hosts connected; web2: timed out after 5 s`.
pub fn fold(hosts: &[HostReport]) -> (SshStatus, PowerStatus, String) {
    if hosts.is_empty() {
        return (
            SshStatus::Unconnected,
            PowerStatus::Off,
            "the inventory has no hosts to test".to_owned(),
        );
    }
    let connected = hosts.iter().filter(|h| h.connected()).count();
    let ssh = if connected == hosts.len() {
        SshStatus::Connected
    } else {
        SshStatus::Unconnected
    };
    let power = if hosts.iter().any(|h| h.answered) {
        PowerStatus::On
    } else {
        PowerStatus::Off
    };
    let mut message = format!("{connected}/{} hosts connected", hosts.len());
    let failed: Vec<_> = hosts.iter().filter(|h| !h.connected()).collect();
    for host in failed.iter().take(NAMED_FAILURES) {
        message.push_str(&format!("; {}: {}", host.name, host.message));
    }
    if failed.len() > NAMED_FAILURES {
        message.push_str(&format!("; and {} more", failed.len() - NAMED_FAILURES));
    }
    (ssh, power, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(name: &str, failure: Option<ProbeFailure>, message: &str) -> HostReport {
        let outcome = ProbeOutcome {
            failure,
            message: message.to_owned(),
            latency: Duration::from_millis(3),
            host_key: None,
        };
        host_report(name.into(), name.into(), 22, "root".into(), outcome)
    }

    #[test]
    fn every_host_authenticated_is_connected_and_on() {
        let (ssh, power, message) = fold(&[host("a", None, "ok"), host("b", None, "ok")]);
        assert_eq!((ssh, power), (SshStatus::Connected, PowerStatus::On));
        assert_eq!(message, "2/2 hosts connected");
    }

    #[test]
    fn one_failure_makes_it_unconnected_and_names_the_host() {
        let hosts = [
            host("web1", None, "ok"),
            host("web2", Some(ProbeFailure::Timeout), "timed out after 5 s"),
            host("web3", None, "ok"),
            host("web4", None, "ok"),
        ];
        let (ssh, power, message) = fold(&hosts);
        assert_eq!((ssh, power), (SshStatus::Unconnected, PowerStatus::On));
        assert_eq!(message, "3/4 hosts connected; web2: timed out after 5 s");
    }

    #[test]
    fn a_refused_login_still_counts_as_an_answer() {
        let hosts = [host(
            "a",
            Some(ProbeFailure::AuthenticationFailed),
            "denied",
        )];
        assert_eq!(fold(&hosts).1, PowerStatus::On);
        let hosts = [host("a", Some(ProbeFailure::ConnectionFailed), "refused")];
        assert_eq!(fold(&hosts).1, PowerStatus::Off);
    }

    #[test]
    fn long_failure_lists_are_cut() {
        let hosts: Vec<_> = (0..6)
            .map(|i| host(&format!("h{i}"), Some(ProbeFailure::Timeout), "t"))
            .collect();
        let (_, _, message) = fold(&hosts);
        assert_eq!(
            message,
            "0/6 hosts connected; h0: t; h1: t; h2: t; and 3 more"
        );
    }

    #[test]
    fn no_hosts_is_unconnected_with_a_reason() {
        let (ssh, power, message) = fold(&[]);
        assert_eq!((ssh, power), (SshStatus::Unconnected, PowerStatus::Off));
        assert!(message.contains("no hosts"), "{message}");
    }
}
