//! The server's host key in OpenSSH's terms: algorithm name, base64 blob, SHA-256 fingerprint.

use ansible_core::connectivity::HostKey;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use sha2::{Digest, Sha256};
use ssh2::HostKeyType;

/// `SHA256:` and the unpadded base64 of the blob's SHA-256, as `ssh-keygen -lf` prints it.
pub fn fingerprint(blob: &[u8]) -> String {
    format!("SHA256:{}", STANDARD_NO_PAD.encode(Sha256::digest(blob)))
}

/// The algorithm name a key blob starts with (RFC 4253 §6.6: a length-prefixed string),
/// which is also the known_hosts key type.
pub fn key_type_of(blob: &[u8]) -> Option<String> {
    let len = u32::from_be_bytes(blob.get(..4)?.try_into().ok()?);
    let name = blob.get(4..4 + usize::try_from(len).ok()?)?;
    let name = std::str::from_utf8(name).ok()?;
    let plausible = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-@.".contains(&b));
    plausible.then(|| name.to_owned())
}

/// When the blob does not say (it always does for real servers), libssh2's own type.
fn fallback_type(kind: HostKeyType) -> &'static str {
    match kind {
        HostKeyType::Rsa => "ssh-rsa",
        HostKeyType::Dss => "ssh-dss",
        HostKeyType::Ecdsa256 => "ecdsa-sha2-nistp256",
        HostKeyType::Ecdsa384 => "ecdsa-sha2-nistp384",
        HostKeyType::Ecdsa521 => "ecdsa-sha2-nistp521",
        HostKeyType::Ed25519 => "ssh-ed25519",
        HostKeyType::Unknown => "unknown",
    }
}

pub(crate) fn host_key(blob: &[u8], kind: HostKeyType) -> HostKey {
    HostKey {
        key_type: key_type_of(blob).unwrap_or_else(|| fallback_type(kind).to_owned()),
        key_base64: STANDARD.encode(blob),
        fingerprint: fingerprint(blob),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_type_is_read_from_the_blob() {
        let mut blob = vec![0, 0, 0, 11];
        blob.extend_from_slice(b"ssh-ed25519");
        blob.extend_from_slice(&[0, 0, 0, 32]);
        blob.extend_from_slice(&[7; 32]);
        assert_eq!(key_type_of(&blob).as_deref(), Some("ssh-ed25519"));
        assert_eq!(key_type_of(&[0, 0, 0, 200, b'x']), None);
        assert_eq!(key_type_of(&[]), None);
        let key = host_key(&blob, HostKeyType::Unknown);
        assert_eq!(key.key_type, "ssh-ed25519");
        assert!(key.fingerprint.starts_with("SHA256:") && !key.fingerprint.ends_with('='));
        assert_eq!(key.fingerprint.len(), "SHA256:".len() + 43);
    }
}
