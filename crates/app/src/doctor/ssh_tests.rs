//! The SSH line against a scripted probe: what it asks for, and what each outcome prints.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::ssh::{Endpoint, SshRequest, check, parse_endpoint};
use super::{Check, Verdict};
use crate::config::{Cli, Settings};
use ansible_core::connectivity::{
    ConnectivityProbe, HostKey, ProbeFailure, ProbeOutcome, ProbeTarget,
};
use clap::Parser;
use std::sync::Mutex;
use std::time::Duration;

/// Answers every probe with `outcome`, keeping the targets it was given.
#[derive(Debug)]
struct Scripted {
    outcome: ProbeOutcome,
    seen: Mutex<Vec<ProbeTarget>>,
}

impl Scripted {
    fn new(outcome: ProbeOutcome) -> Self {
        Self {
            outcome,
            seen: Mutex::new(Vec::new()),
        }
    }

    fn target(&self) -> ProbeTarget {
        self.seen.lock().unwrap().first().cloned().expect("probed")
    }
}

impl ConnectivityProbe for Scripted {
    fn probe(&self, target: &ProbeTarget) -> ProbeOutcome {
        self.seen.lock().unwrap().push(target.clone());
        self.outcome.clone()
    }
}

fn settings() -> Settings {
    let mut settings = Cli::parse_from(["control-hub", "doctor"]).settings;
    settings.ssh_default_user = "ops".into();
    settings.ssh_timeout_secs = 7;
    settings
}

fn key() -> HostKey {
    HostKey {
        key_type: "ssh-ed25519".into(),
        key_base64: "AAAAC3NzaC1lZDI1NTE5AAAA".into(),
        fingerprint: "SHA256:abcdefFingerprint".into(),
    }
}

fn request(host: &str) -> SshRequest {
    SshRequest {
        host: host.into(),
        key_file: Some("/keys/id".into()),
        password: Some("s3cret-Pw-77".into()),
        key_passphrase: None,
    }
}

fn failed(check: &Check) -> (&str, &str) {
    match &check.verdict {
        Verdict::Failed { error, fix } => (error, fix),
        other => panic!("not failed: {other:?}"),
    }
}

#[test]
fn endpoints_split_into_user_host_and_port() {
    let e = |user: Option<&str>, address: &str, port| Endpoint {
        user: user.map(str::to_owned),
        address: address.into(),
        port,
    };
    assert_eq!(parse_endpoint("web1"), Ok(e(None, "web1", 22)));
    assert_eq!(
        parse_endpoint("deploy@10.0.0.5:2222"),
        Ok(e(Some("deploy"), "10.0.0.5", 2222))
    );
    assert_eq!(parse_endpoint("[::1]:2200"), Ok(e(None, "::1", 2200)));
    assert_eq!(
        parse_endpoint("root@[fe80::1]"),
        Ok(e(Some("root"), "fe80::1", 22))
    );
    assert_eq!(parse_endpoint("fe80::1"), Ok(e(None, "fe80::1", 22)));
    for bad in [
        "",
        "@web1",
        "web1:0",
        "web1:ssh",
        "web1:70000",
        "[::1",
        "[::1]x",
        "u@:22",
    ] {
        assert!(parse_endpoint(bad).is_err(), "{bad:?} was accepted");
    }
}

#[test]
fn no_host_asked_is_a_skip_that_says_how_to_ask() {
    let probe = Scripted::new(ProbeOutcome::connected(Duration::ZERO, None));
    let line = check(&settings(), None, &probe).line();
    assert!(line.starts_with("skip  SSH probe:"), "{line}");
    assert!(line.contains("--ssh-host"), "{line}");
    assert!(probe.seen.lock().unwrap().is_empty(), "probed unasked");
}

#[test]
fn a_login_is_ok_with_latency_and_the_key_and_uses_the_settings() {
    let probe = Scripted::new(ProbeOutcome::connected(
        Duration::from_millis(42),
        Some(key()),
    ));
    let line = check(&settings(), Some(&request("web1:2222")), &probe).line();
    assert!(
        line.starts_with("ok    SSH probe: ops@[web1]:2222"),
        "{line}"
    );
    assert!(line.contains("42 ms"), "{line}");
    assert!(line.contains("SHA256:abcdefFingerprint"), "{line}");
    assert!(line.contains("not stored"), "{line}");
    let target = probe.target();
    assert_eq!(target.user, "ops");
    assert_eq!(target.timeout, Duration::from_secs(7));
    assert_eq!(target.known_key, None, "doctor trusts no stored key");
    assert_eq!(target.credentials.password.as_deref(), Some("s3cret-Pw-77"));
    assert!(!line.contains("s3cret"), "{line}");
}

#[test]
fn each_failure_names_its_code_and_a_fix() {
    let cases = [
        (ProbeFailure::Timeout, "HUB_SSH_TIMEOUT_SECS (7 s)"),
        (ProbeFailure::ConnectionFailed, "sshd runs there"),
        (ProbeFailure::AuthenticationFailed, "authorized_keys"),
        (ProbeFailure::NoCredentials, "--ssh-key"),
        (ProbeFailure::HostKeyMismatch, "another key"),
    ];
    for (failure, fix_names) in cases {
        let probe = Scripted::new(ProbeOutcome::failed(
            failure,
            "it went wrong",
            Duration::ZERO,
        ));
        let checked = check(&settings(), Some(&request("deploy@h")), &probe);
        let (error, fix) = failed(&checked);
        assert!(error.starts_with(failure.code()), "{error}");
        assert!(error.contains("it went wrong"), "{error}");
        assert!(error.contains("deploy@h"), "{error}");
        assert!(fix.contains(fix_names), "{failure:?}: {fix}");
        assert!(!checked.line().contains("s3cret"), "{}", checked.line());
    }
}

#[test]
fn a_malformed_host_fails_without_probing() {
    let probe = Scripted::new(ProbeOutcome::connected(Duration::ZERO, None));
    let checked = check(&settings(), Some(&request("web1:notaport")), &probe);
    let (error, fix) = failed(&checked);
    assert!(error.contains("notaport"), "{error}");
    assert!(fix.contains("[user@]host[:port]"), "{fix}");
    assert!(probe.seen.lock().unwrap().is_empty());
}

#[test]
fn the_request_never_prints_its_secrets() {
    let shown = format!(
        "{:?}",
        SshRequest {
            key_passphrase: Some("open-sesame".into()),
            ..request("h")
        }
    );
    assert!(
        !shown.contains("s3cret") && !shown.contains("open-sesame"),
        "{shown}"
    );
}
