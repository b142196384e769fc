//! One login attempt: credentials checked, connect, handshake, host key, authentication.

use crate::connect::{ConnectError, connect, remaining};
use crate::host_key::host_key;
use ansible_core::connectivity::{ConnectivityProbe, ProbeFailure, ProbeOutcome, ProbeTarget};
use ssh2::{ErrorCode, Session};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

// libssh2's error codes (libssh2.h) that decide the wire code.
const ERROR_TIMEOUT: i32 = -9;
const ERROR_FILE: i32 = -16;
const ERROR_AUTHENTICATION_FAILED: i32 = -18;
const ERROR_PUBLICKEY_UNVERIFIED: i32 = -19;

/// The probe on libssh2. Stateless: every call opens and closes its own connection.
#[derive(Debug, Clone, Default)]
pub struct Libssh2Probe {
    /// Where `~/` in a key file path points; default `$HOME`.
    home: Option<PathBuf>,
}

impl Libssh2Probe {
    pub fn new() -> Self {
        Self {
            home: std::env::var_os("HOME").map(PathBuf::from),
        }
    }
}

/// `5 s`, or `1.5 s` for fractions: how the messages name the timeout.
fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// One attempt in progress: its start, deadline and the timeout it names.
struct Attempt {
    start: Instant,
    deadline: Instant,
    timeout: Duration,
}

impl Attempt {
    fn timed_out(&self) -> ProbeOutcome {
        let message = format!("timed out after {}", seconds(self.timeout));
        ProbeOutcome::failed(ProbeFailure::Timeout, message, self.start.elapsed())
    }

    fn failed(&self, failure: ProbeFailure, message: String) -> ProbeOutcome {
        ProbeOutcome::failed(failure, message, self.start.elapsed())
    }

    /// The session's timeout for the next step: what is left, in whole milliseconds (at
    /// least 1, since 0 would mean none at all).
    fn arm(&self, session: &Session) -> Result<(), ProbeOutcome> {
        let left = remaining(self.deadline).ok_or_else(|| self.timed_out())?;
        let ms = u32::try_from(left.as_millis()).unwrap_or(u32::MAX).max(1);
        session.set_timeout(ms);
        Ok(())
    }

    /// The outcome of a libssh2 error in `step` (`handshake`, `authentication`).
    fn ssh_error(&self, step: &str, e: &ssh2::Error) -> ProbeOutcome {
        let code = match e.code() {
            ErrorCode::Session(code) => code,
            ErrorCode::SFTP(_) => 0,
        };
        if code == ERROR_TIMEOUT || remaining(self.deadline).is_none() {
            return self.timed_out();
        }
        let failure = match code {
            ERROR_AUTHENTICATION_FAILED | ERROR_PUBLICKEY_UNVERIFIED | ERROR_FILE => {
                ProbeFailure::AuthenticationFailed
            }
            _ => ProbeFailure::ConnectionFailed,
        };
        // libssh2's messages name the step and the cause, never a credential.
        self.failed(failure, format!("{step} failed: {}", e.message()))
    }
}

fn expand_home(path: &Path, home: Option<&Path>) -> PathBuf {
    match (path.strip_prefix("~"), home) {
        (Ok(rest), Some(home)) => home.join(rest),
        _ => path.to_owned(),
    }
}

impl Libssh2Probe {
    /// The key file to offer, if any; `Err` when it is named but cannot be read.
    fn key_file(&self, target: &ProbeTarget) -> Result<Option<PathBuf>, String> {
        let Some(named) = &target.credentials.private_key_file else {
            return Ok(None);
        };
        let path = expand_home(named, self.home.as_deref());
        // A regular file only: opening a FIFO or a device could block past the deadline.
        let regular = std::fs::metadata(&path).and_then(|m| {
            if m.is_file() {
                std::fs::File::open(&path).map(|_| ())
            } else {
                Err(std::io::Error::other("not a regular file"))
            }
        });
        match regular {
            Ok(()) => Ok(Some(path)),
            Err(e) => Err(format!(
                "the private key file {} cannot be read: {e}",
                path.display()
            )),
        }
    }

    fn attempt(
        &self,
        target: &ProbeTarget,
        attempt: &Attempt,
    ) -> Result<ProbeOutcome, ProbeOutcome> {
        let key_file = self
            .key_file(target)
            .map_err(|m| attempt.failed(ProbeFailure::NoCredentials, m))?;
        let password = target.credentials.password.as_deref();
        if key_file.is_none() && password.is_none() {
            let message = "no password and no private key file (set ansible_password or \
                           ansible_ssh_private_key_file)";
            return Err(attempt.failed(ProbeFailure::NoCredentials, message.to_owned()));
        }
        let stream =
            connect(&target.address, target.port, attempt.deadline).map_err(|e| match e {
                ConnectError::TimedOut => attempt.timed_out(),
                ConnectError::Failed(m) => attempt.failed(ProbeFailure::ConnectionFailed, m),
            })?;
        let mut session = Session::new().map_err(|e| attempt.ssh_error("session setup", &e))?;
        session.set_tcp_stream(stream);
        attempt.arm(&session)?;
        session
            .handshake()
            .map_err(|e| attempt.ssh_error("SSH handshake", &e))?;
        let seen = session
            .host_key()
            .map(|(blob, kind)| host_key(blob, kind))
            .ok_or_else(|| {
                let m = "the server presented no host key".to_owned();
                attempt.failed(ProbeFailure::ConnectionFailed, m)
            })?;
        let with_key = |mut outcome: ProbeOutcome| {
            outcome.host_key = Some(seen.clone());
            outcome
        };
        if let Some(known) = &target.known_key
            && !known.same_key(&seen)
        {
            return Err(ProbeOutcome::mismatch(
                known,
                &seen,
                attempt.start.elapsed(),
            ));
        }
        self.authenticate(&session, target, key_file.as_deref(), attempt)
            .map_err(with_key)?;
        let _ = session.disconnect(None, "connectivity test done", None);
        Ok(ProbeOutcome::connected(attempt.start.elapsed(), Some(seen)))
    }

    /// The key first (as ssh does), then the password; the last refusal is the answer.
    fn authenticate(
        &self,
        session: &Session,
        target: &ProbeTarget,
        key_file: Option<&Path>,
        attempt: &Attempt,
    ) -> Result<(), ProbeOutcome> {
        let user = target.user.as_str();
        let mut refusal = None;
        if let Some(key_file) = key_file {
            attempt.arm(session)?;
            let passphrase = target.credentials.key_passphrase.as_deref();
            match session.userauth_pubkey_file(user, None, key_file, passphrase) {
                Ok(()) if session.authenticated() => return Ok(()),
                Ok(()) => {}
                Err(e) => refusal = Some(attempt.ssh_error("key authentication", &e)),
            }
        }
        if let Some(password) = target.credentials.password.as_deref() {
            attempt.arm(session)?;
            match session.userauth_password(user, password) {
                Ok(()) if session.authenticated() => return Ok(()),
                Ok(()) => {}
                Err(e) => refusal = Some(attempt.ssh_error("password authentication", &e)),
            }
        }
        Err(refusal.unwrap_or_else(|| {
            let m = format!("authentication failed for user {user}");
            attempt.failed(ProbeFailure::AuthenticationFailed, m)
        }))
    }
}

impl ConnectivityProbe for Libssh2Probe {
    fn probe(&self, target: &ProbeTarget) -> ProbeOutcome {
        let start = Instant::now();
        let attempt = Attempt {
            start,
            deadline: start + target.timeout,
            timeout: target.timeout,
        };
        match self.attempt(target, &attempt) {
            Ok(outcome) | Err(outcome) => outcome,
        }
    }
}
