//! The probe against real OpenSSH servers on loopback (skipped loudly without sshd, failed
//! under HUB_REQUIRE_SSHD=1), a closed port and a silent listener.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ansible_core::connectivity::{
    ConnectivityProbe, Credentials, HostKey, ProbeFailure, ProbeOutcome, ProbeTarget,
};
use hub_testkit::sshd::{self, KeyPair, SilentListener, Sshd, TEST_PASSWORD, TEST_USER};
use ssh_libssh2::Libssh2Probe;
use std::time::{Duration, Instant};

fn target(port: u16, credentials: Credentials) -> ProbeTarget {
    ProbeTarget {
        address: "127.0.0.1".into(),
        port,
        user: TEST_USER.into(),
        credentials,
        known_key: None,
        timeout: Duration::from_secs(3),
    }
}

fn password(pw: &str) -> Credentials {
    Credentials {
        password: Some(pw.into()),
        ..Credentials::default()
    }
}

fn probe(target: &ProbeTarget) -> ProbeOutcome {
    Libssh2Probe::new().probe(target)
}

#[test]
fn a_password_login_connects_and_reports_the_host_key() {
    let Some(server) = Sshd::start(&[]) else {
        return;
    };
    let outcome = probe(&target(server.port, password(TEST_PASSWORD)));
    assert_eq!(outcome.failure, None, "{}", outcome.message);
    let key = outcome.host_key.expect("the key seen");
    assert_eq!(key.fingerprint, server.fingerprint);
    assert_eq!(key.key_type, "ssh-ed25519");
    assert!(
        key.key_base64.starts_with("AAAAC3NzaC1lZDI1NTE5"),
        "{}",
        key.key_base64
    );
}

#[test]
fn a_key_login_with_a_passphrase_connects() {
    let key = KeyPair::generate(Some("open sesame")).unwrap();
    let Some(server) = Sshd::start(&[&key.public]) else {
        return;
    };
    let credentials = Credentials {
        private_key_file: Some(key.private.clone()),
        key_passphrase: Some("open sesame".into()),
        ..Credentials::default()
    };
    let outcome = probe(&target(server.port, credentials.clone()));
    assert_eq!(outcome.failure, None, "{}", outcome.message);
    // A wrong passphrase is refused credentials, and is not repeated.
    let wrong = Credentials {
        key_passphrase: Some("not it".into()),
        ..credentials
    };
    let outcome = probe(&target(server.port, wrong));
    assert_eq!(outcome.failure, Some(ProbeFailure::AuthenticationFailed));
    assert!(!outcome.message.contains("not it"), "{}", outcome.message);
}

#[test]
fn a_wrong_password_fails_authentication_without_repeating_it() {
    let Some(server) = Sshd::start(&[]) else {
        return;
    };
    let outcome = probe(&target(server.port, password("wrong-Pw-0x51")));
    assert_eq!(
        outcome.failure,
        Some(ProbeFailure::AuthenticationFailed),
        "{}",
        outcome.message
    );
    assert!(
        !outcome.message.contains("wrong-Pw-0x51"),
        "{}",
        outcome.message
    );
    assert_eq!(
        outcome.host_key.map(|k| k.fingerprint),
        Some(server.fingerprint.clone())
    );
}

#[test]
fn another_key_than_the_trusted_one_is_a_mismatch() {
    let Some(server) = Sshd::start(&[]) else {
        return;
    };
    let trusted = HostKey {
        key_type: "ssh-ed25519".into(),
        key_base64: "AAAAC3NzaC1lZDI1NTE5AAAAIOld".into(),
        fingerprint: "SHA256:theOldKeyOfThisHost".into(),
    };
    let mut t = target(server.port, password(TEST_PASSWORD));
    t.known_key = Some(trusted);
    let outcome = probe(&t);
    assert_eq!(outcome.failure, Some(ProbeFailure::HostKeyMismatch));
    assert!(
        outcome.message.contains("SHA256:theOldKeyOfThisHost")
            && outcome.message.contains(&server.fingerprint),
        "{}",
        outcome.message
    );
}

#[test]
fn a_closed_port_is_a_connection_failure() {
    let outcome = probe(&target(sshd::closed_port(), password("x")));
    assert_eq!(
        outcome.failure,
        Some(ProbeFailure::ConnectionFailed),
        "{}",
        outcome.message
    );
    assert!(outcome.message.contains("refused"), "{}", outcome.message);
}

#[test]
fn a_name_that_does_not_resolve_is_a_connection_failure() {
    let mut t = target(22, password("x"));
    t.address = "no-such-host.invalid".into();
    let outcome = probe(&t);
    assert!(
        matches!(
            outcome.failure,
            Some(ProbeFailure::ConnectionFailed | ProbeFailure::Timeout)
        ),
        "{outcome:?}"
    );
}

#[test]
fn a_silent_server_times_out_on_time() {
    let silent = SilentListener::start().unwrap();
    let mut t = target(silent.port, password("x"));
    t.timeout = Duration::from_millis(1500);
    let started = Instant::now();
    let outcome = probe(&t);
    let took = started.elapsed();
    assert_eq!(
        outcome.failure,
        Some(ProbeFailure::Timeout),
        "{}",
        outcome.message
    );
    assert_eq!(outcome.message, "timed out after 1.5 s");
    assert!(
        took >= Duration::from_millis(1400) && took < Duration::from_millis(2500),
        "{took:?}"
    );
}

#[test]
fn no_credentials_or_a_missing_key_file_is_refused_before_connecting() {
    let silent = SilentListener::start().unwrap();
    let outcome = probe(&target(silent.port, Credentials::default()));
    assert_eq!(outcome.failure, Some(ProbeFailure::NoCredentials));
    let missing = Credentials {
        private_key_file: Some("/nonexistent/id_ed25519".into()),
        ..Credentials::default()
    };
    let started = Instant::now();
    let outcome = probe(&target(silent.port, missing));
    assert_eq!(outcome.failure, Some(ProbeFailure::NoCredentials));
    assert!(
        outcome.message.contains("/nonexistent/id_ed25519"),
        "{}",
        outcome.message
    );
    assert!(started.elapsed() < Duration::from_millis(500));
}
