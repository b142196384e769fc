//! The doctor's SSH line: one login to a host the operator names, with the probe the
//! connectivity tests use. A check, not a trust decision: the host key seen is shown and
//! never stored, so a later connectivity test still trusts it on first use, or refuses it.

use super::{Check, Verdict};
use crate::config::Settings;
use ansible_core::connectivity::{ConnectivityProbe, Credentials, ProbeFailure, ProbeTarget};
use std::fmt;
use std::path::PathBuf;

const NAME: &str = "SSH probe";
/// Where the password comes from: never argv, which every user of the machine can read.
pub const PASSWORD_VAR: &str = "HUB_DOCTOR_SSH_PASSWORD";
/// The key file's passphrase, for the same reason.
pub const PASSPHRASE_VAR: &str = "HUB_DOCTOR_SSH_KEY_PASSPHRASE";

/// The host to probe, as asked (`--ssh-host`, `--ssh-key` and the two variables).
#[derive(Clone, Default)]
pub struct SshRequest {
    /// `[user@]host[:port]`.
    pub host: String,
    pub key_file: Option<PathBuf>,
    pub password: Option<String>,
    pub key_passphrase: Option<String>,
}

impl fmt::Debug for SshRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |s: &Option<String>| s.as_ref().map(|_| "<redacted>");
        f.debug_struct("SshRequest")
            .field("host", &self.host)
            .field("key_file", &self.key_file)
            .field("password", &redacted(&self.password))
            .field("key_passphrase", &redacted(&self.key_passphrase))
            .finish()
    }
}

impl SshRequest {
    /// The flags' host and key, the secrets from the environment (an empty one is none).
    pub fn from_env(host: String, key_file: Option<PathBuf>) -> Self {
        let secret = |name| std::env::var(name).ok().filter(|v| !v.is_empty());
        Self {
            host,
            key_file,
            password: secret(PASSWORD_VAR),
            key_passphrase: secret(PASSPHRASE_VAR),
        }
    }
}

/// `[user@]host[:port]`, split.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Endpoint {
    pub(crate) user: Option<String>,
    pub(crate) address: String,
    pub(crate) port: u16,
}

/// `deploy@web1`, `web1:2222`, `[::1]:2222`, a bare IPv6 address (its colons are not a port).
pub(crate) fn parse_endpoint(spec: &str) -> Result<Endpoint, String> {
    let spec = spec.trim();
    let (user, rest) = match spec.rsplit_once('@') {
        Some(("", _)) => return Err("the user before @ is empty".into()),
        Some((user, rest)) => (Some(user.to_owned()), rest),
        None => (None, spec),
    };
    let (address, port) = if let Some(bracketed) = rest.strip_prefix('[') {
        let (address, after) = bracketed
            .split_once(']')
            .ok_or("an opening [ without its ]")?;
        match after {
            "" => (address, None),
            _ => (
                address,
                Some(
                    after
                        .strip_prefix(':')
                        .ok_or("text after ] that is not :port")?,
                ),
            ),
        }
    } else if rest.matches(':').count() == 1 {
        let (address, port) = rest.split_once(':').ok_or("no port")?;
        (address, Some(port))
    } else {
        (rest, None)
    };
    if address.is_empty() {
        return Err("no host".into());
    }
    let port = match port {
        None => 22,
        Some(p) => match p.parse::<u16>() {
            Ok(port) if port > 0 => port,
            _ => return Err(format!("{p:?} is not a port (1 to 65535)")),
        },
    };
    Ok(Endpoint {
        user,
        address: address.to_owned(),
        port,
    })
}

/// What to do about each way a probe fails.
fn fix(failure: ProbeFailure, timeout_secs: u64) -> String {
    match failure {
        ProbeFailure::Timeout => format!(
            "nothing answered within HUB_SSH_TIMEOUT_SECS ({timeout_secs} s): check the address \
             and port, and any firewall between this machine and the host"
        ),
        ProbeFailure::ConnectionFailed => "check the host name or address and the port, and that \
             sshd runs there and accepts connections from this machine"
            .into(),
        ProbeFailure::AuthenticationFailed => format!(
            "check the user (user@host, else HUB_SSH_DEFAULT_USER) and that the key given with \
             --ssh-key is in its authorized_keys (or the password in {PASSWORD_VAR}, the \
             passphrase in {PASSPHRASE_VAR})"
        ),
        ProbeFailure::HostKeyMismatch => "the host presented another key than the one expected: \
             find out why before trusting it"
            .into(),
        ProbeFailure::NoCredentials => format!(
            "give --ssh-key FILE (readable by this user), or set {PASSWORD_VAR} (never on the \
             command line)"
        ),
    }
}

/// The SSH line: `skip` when no host was asked for, else one probe's verdict.
pub(super) fn check(
    settings: &Settings,
    request: Option<&SshRequest>,
    probe: &dyn ConnectivityProbe,
) -> Check {
    let Some(request) = request else {
        return Check {
            name: NAME,
            verdict: Verdict::Skipped(
                "not asked: add --ssh-host [user@]host[:port] (and --ssh-key FILE) to probe one"
                    .into(),
            ),
        };
    };
    let endpoint = match parse_endpoint(&request.host) {
        Ok(endpoint) => endpoint,
        Err(why) => {
            return Check::failed(
                NAME,
                format!("--ssh-host {:?}: {why}", request.host),
                "give --ssh-host [user@]host[:port], e.g. deploy@10.0.0.5:22",
            );
        }
    };
    let defaults = settings.probe_defaults();
    let target = ProbeTarget {
        user: endpoint.user.unwrap_or(defaults.user),
        address: endpoint.address,
        port: endpoint.port,
        credentials: Credentials {
            password: request.password.clone(),
            private_key_file: request.key_file.clone(),
            key_passphrase: request.key_passphrase.clone(),
        },
        // Nothing is compared with the hub's trusted keys, and nothing is added to them.
        known_key: None,
        timeout: defaults.timeout,
    };
    let outcome = probe.probe(&target);
    let who = format!(
        "{}@{}",
        target.user,
        ansible_core::connectivity::known_hosts_name(&target.address, target.port)
    );
    let key = outcome.host_key.as_ref().map_or_else(
        || "no host key seen".to_owned(),
        |k| {
            format!(
                "host key {} {} (shown, not stored or trusted)",
                k.key_type, k.fingerprint
            )
        },
    );
    match outcome.failure {
        None => Check::ok(
            NAME,
            format!(
                "{who} authenticated in {} ms; {key}",
                outcome.latency.as_millis()
            ),
        ),
        Some(failure) => Check::failed(
            NAME,
            format!("{}: {} ({who}; {key})", failure.code(), outcome.message),
            fix(failure, defaults.timeout.as_secs()),
        ),
    }
}
