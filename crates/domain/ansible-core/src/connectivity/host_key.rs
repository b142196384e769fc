//! Host keys as the trust-on-first-use store keeps them, and their OpenSSH known_hosts text.

use chrono::{DateTime, Utc};
use std::fmt;

/// A server's public host key as seen during a handshake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostKey {
    /// The key's algorithm as OpenSSH writes it, e.g. `ssh-ed25519`, `ecdsa-sha2-nistp256`.
    pub key_type: String,
    /// The public key blob, standard base64 (the second field of a known_hosts line).
    pub key_base64: String,
    /// `SHA256:` and the unpadded base64 SHA-256 of the blob, as `ssh-keygen -l` shows it.
    pub fingerprint: String,
}

impl HostKey {
    /// Whether `other` is the same key (the blob decides; the fingerprint follows from it).
    pub fn same_key(&self, other: &HostKey) -> bool {
        self.key_type == other.key_type && self.key_base64 == other.key_base64
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KnownHostId(pub i64);

impl fmt::Display for KnownHostId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The host key first seen at an SSH endpoint (address and port), trusted from then on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownHost {
    pub id: KnownHostId,
    pub address: String,
    pub port: u16,
    pub key: HostKey,
    pub first_seen_at: DateTime<Utc>,
}

/// A key to store as the first one seen at its endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewKnownHost {
    pub address: String,
    pub port: u16,
    pub key: HostKey,
    pub seen_at: DateTime<Utc>,
}

/// How OpenSSH names an endpoint in known_hosts: the plain address on port 22, else
/// `[address]:port` (IPv6 addresses are bracketed the same way).
pub fn known_hosts_name(address: &str, port: u16) -> String {
    if port == 22 {
        address.to_owned()
    } else {
        format!("[{address}]:{port}")
    }
}

/// The stored keys as an OpenSSH known_hosts file: one `name keytype base64` line each, in
/// the order given, so that `ssh -o UserKnownHostsFile=…` (and so ansible) trusts exactly
/// the keys the hub trusts.
pub fn render_known_hosts(hosts: &[KnownHost]) -> String {
    hosts
        .iter()
        .map(|h| {
            format!(
                "{} {} {}\n",
                known_hosts_name(&h.address, h.port),
                h.key.key_type,
                h.key.key_base64
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn known(id: i64, address: &str, port: u16, key_type: &str, blob: &str) -> KnownHost {
        KnownHost {
            id: KnownHostId(id),
            address: address.to_owned(),
            port,
            key: HostKey {
                key_type: key_type.to_owned(),
                key_base64: blob.to_owned(),
                fingerprint: "SHA256:x".to_owned(),
            },
            first_seen_at: Utc.timestamp_opt(0, 0).single().unwrap_or_default(),
        }
    }

    #[test]
    fn port_22_is_plain_and_other_ports_are_bracketed() {
        let text = render_known_hosts(&[
            known(1, "10.0.0.1", 22, "ssh-ed25519", "AAAAC3Nza"),
            known(2, "web.example", 2222, "ecdsa-sha2-nistp256", "AAAAE2Vj"),
            known(3, "::1", 2200, "ssh-rsa", "AAAAB3Nz"),
        ]);
        assert_eq!(
            text,
            "10.0.0.1 ssh-ed25519 AAAAC3Nza\n\
             [web.example]:2222 ecdsa-sha2-nistp256 AAAAE2Vj\n\
             [::1]:2200 ssh-rsa AAAAB3Nz\n"
        );
        assert_eq!(render_known_hosts(&[]), "");
    }
}
