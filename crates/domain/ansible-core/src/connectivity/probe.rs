//! The connectivity probe, an I/O port: one login attempt on one host, and what came of it.

use super::host_key::HostKey;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// What a probe may authenticate with. Never printed: `Debug` redacts the secrets.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Credentials {
    /// `ansible_password` and its aliases.
    pub password: Option<String>,
    /// `ansible_ssh_private_key_file` (a leading `~/` already expanded by the adapter).
    pub private_key_file: Option<PathBuf>,
    /// `ansible_ssh_private_key_passphrase`, for an encrypted key file.
    pub key_passphrase: Option<String>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |s: &Option<String>| s.as_ref().map(|_| "<redacted>");
        f.debug_struct("Credentials")
            .field("password", &redacted(&self.password))
            .field("private_key_file", &self.private_key_file)
            .field("key_passphrase", &redacted(&self.key_passphrase))
            .finish()
    }
}

/// One host to log in to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeTarget {
    pub address: String,
    pub port: u16,
    pub user: String,
    pub credentials: Credentials,
    /// The key trusted for (address, port), if one is: any other key fails the probe
    /// before credentials are sent.
    pub known_key: Option<HostKey>,
    /// The most the whole attempt may take: connect, handshake and authentication.
    pub timeout: Duration,
}

/// Why a host did not authenticate; each is one wire code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProbeFailure {
    /// No answer within the timeout (`SSH_TIMEOUT`).
    Timeout,
    /// Refused, unreachable, unresolvable, or the SSH exchange broke (`SSH_CONNECTION_FAILED`).
    ConnectionFailed,
    /// The server refused every credential offered (`SSH_AUTHENTICATION_FAILED`).
    AuthenticationFailed,
    /// The server's key is not the one trusted for it (`SSH_HOST_KEY_MISMATCH`).
    HostKeyMismatch,
    /// Nothing to authenticate with: no password and no usable key file (`SSH_NO_CREDENTIALS`).
    NoCredentials,
}

impl ProbeFailure {
    pub fn code(self) -> &'static str {
        match self {
            ProbeFailure::Timeout => "SSH_TIMEOUT",
            ProbeFailure::ConnectionFailed => "SSH_CONNECTION_FAILED",
            ProbeFailure::AuthenticationFailed => "SSH_AUTHENTICATION_FAILED",
            ProbeFailure::HostKeyMismatch => "SSH_HOST_KEY_MISMATCH",
            ProbeFailure::NoCredentials => "SSH_NO_CREDENTIALS",
        }
    }

    /// Whether an SSH server answered (the host is up even though the login failed).
    pub fn server_answered(self) -> bool {
        matches!(
            self,
            ProbeFailure::AuthenticationFailed | ProbeFailure::HostKeyMismatch
        )
    }
}

/// What one probe found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeOutcome {
    /// `None`: authenticated.
    pub failure: Option<ProbeFailure>,
    /// A sentence for the operator: what happened, never a password or passphrase.
    pub message: String,
    /// From the start of the attempt to its end.
    pub latency: Duration,
    /// The host key the server presented, when the handshake got that far.
    pub host_key: Option<HostKey>,
}

impl ProbeOutcome {
    pub fn connected(latency: Duration, host_key: Option<HostKey>) -> Self {
        Self {
            failure: None,
            message: "authenticated".to_owned(),
            latency,
            host_key,
        }
    }

    pub fn failed(failure: ProbeFailure, message: impl Into<String>, latency: Duration) -> Self {
        Self {
            failure: Some(failure),
            message: message.into(),
            latency,
            host_key: None,
        }
    }

    /// The message a mismatch carries: both fingerprints, the trusted one first.
    pub fn mismatch(known: &HostKey, seen: &HostKey, latency: Duration) -> Self {
        Self {
            failure: Some(ProbeFailure::HostKeyMismatch),
            message: format!(
                "host key mismatch: trusted {} ({}), server presented {} ({}); credentials \
                 were not sent (forget the known host if the change is expected)",
                known.fingerprint, known.key_type, seen.fingerprint, seen.key_type
            ),
            latency,
            host_key: Some(seen.clone()),
        }
    }
}

/// Logs in to one host over SSH.
///
/// Contract (every adapter):
/// - Never fails as a call: every problem is a [`ProbeOutcome`] with a [`ProbeFailure`].
/// - Returns within `target.timeout` (plus a little scheduling slack), whatever the server
///   does: silent after accepting TCP, slow to resolve, slow to authenticate.
/// - When `target.known_key` is set and the server presents another key, answers
///   [`ProbeFailure::HostKeyMismatch`] (with the key it saw) without sending credentials.
/// - With no password and no key file, or a key file that cannot be read, answers
///   [`ProbeFailure::NoCredentials`] without connecting.
/// - Sets `host_key` whenever the handshake completed, whatever came after.
/// - Never puts a password or passphrase in a message.
///
/// Synchronous and blocking; the caller runs probes off its async threads
/// ([`ProbeExecutor`](super::ProbeExecutor)).
pub trait ConnectivityProbe: Send + Sync + fmt::Debug {
    fn probe(&self, target: &ProbeTarget) -> ProbeOutcome;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_print_their_secrets() {
        let c = Credentials {
            password: Some("hunter2-pw".into()),
            private_key_file: Some("/keys/id".into()),
            key_passphrase: Some("open-sesame".into()),
        };
        let shown = format!("{c:?}");
        assert!(!shown.contains("hunter2-pw") && !shown.contains("open-sesame"));
        assert!(shown.contains("/keys/id"), "{shown}");
    }
}
