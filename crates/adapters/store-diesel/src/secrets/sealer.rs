//! Secrets at rest: inventory configs (which carry `ansible_password` and the like) are stored
//! sealed with XChaCha20-Poly1305 under the hub's secret key. A sealed value is
//! `v1:` + base64(24-byte random nonce ‖ ciphertext ‖ tag); the column it lives in is bound as
//! associated data, so a value moved to another column does not open.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use std::fmt;

const PREFIX: &str = "v1:";
const NONCE_LEN: usize = 24;

/// A 256-bit key. Its `Debug` never shows the bytes.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

impl SecretKey {
    /// A fresh key from the operating system's generator.
    pub fn generate() -> Self {
        Self(XChaCha20Poly1305::generate_key(&mut OsRng).into())
    }

    /// Parses 64 hex digits or the base64 of 32 bytes (what `encode` writes).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let bytes = if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            hex::decode(text).map_err(|e| e.to_string())?
        } else {
            STANDARD
                .decode(text)
                .map_err(|_| "a secret key is 64 hex digits or base64 of 32 bytes".to_owned())?
        };
        let key: [u8; 32] = bytes.try_into().map_err(|_| {
            "a secret key is 32 bytes (64 hex digits or 44 base64 characters)".to_owned()
        })?;
        Ok(Self(key))
    }

    /// The key as base64, for the key file.
    pub fn encode(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// A short public name of the key (the start of its SHA-256), to tell keys apart in
    /// messages; it reveals nothing usable about the key.
    pub fn id(&self) -> String {
        use sha2::Digest;
        hex::encode(&sha2::Sha256::digest(self.0)[..6])
    }
}

/// The sealed value could not be opened: wrong key, tampered, or not sealed at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "a stored secret does not open with this key ({0}); is HUB_SECRET_KEY the key it was sealed with?"
)]
pub struct OpenError(&'static str);

/// Sealing failed (the AEAD refuses only inputs past its 256 GiB bound).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a secret could not be sealed")]
pub struct SealError;

/// Seals and opens the values of one column.
#[derive(Clone)]
pub struct Sealer {
    cipher: XChaCha20Poly1305,
}

impl fmt::Debug for Sealer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sealer(…)")
    }
}

impl Sealer {
    pub fn new(key: &SecretKey) -> Self {
        Self {
            cipher: XChaCha20Poly1305::new(Key::from_slice(&key.0)),
        }
    }

    /// Seals `plain` for `column` (e.g. `inventories.config`).
    pub fn seal(&self, column: &str, plain: &str) -> Result<String, SealError> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let payload = Payload {
            msg: plain.as_bytes(),
            aad: column.as_bytes(),
        };
        let sealed = self
            .cipher
            .encrypt(&nonce, payload)
            .map_err(|_| SealError)?;
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{}", STANDARD.encode(out)))
    }

    /// Opens a value that [`Self::seal`] wrote for `column`.
    pub fn open(&self, column: &str, sealed: &str) -> Result<String, OpenError> {
        let body = sealed.strip_prefix(PREFIX).ok_or(OpenError("not sealed"))?;
        let bytes = STANDARD.decode(body).map_err(|_| OpenError("not base64"))?;
        if bytes.len() < NONCE_LEN {
            return Err(OpenError("too short"));
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        let payload = Payload {
            msg: ciphertext,
            aad: column.as_bytes(),
        };
        let plain = self
            .cipher
            .decrypt(XNonce::from_slice(nonce), payload)
            .map_err(|_| OpenError("authentication failed"))?;
        String::from_utf8(plain).map_err(|_| OpenError("not UTF-8"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_with_their_key_and_column() {
        let key = SecretKey::generate();
        let sealer = Sealer::new(&key);
        let sealed = sealer
            .seal("inventories.config", "h ansible_password=pw")
            .unwrap();
        // The whole secret, not its two letters: random base64 holds "pw" now and then.
        assert!(!sealed.contains("ansible_password=pw"));
        assert_ne!(
            sealed,
            sealer
                .seal("inventories.config", "h ansible_password=pw")
                .unwrap()
        );
        assert_eq!(
            sealer.open("inventories.config", &sealed).unwrap(),
            "h ansible_password=pw"
        );
        assert!(sealer.open("other.column", &sealed).is_err());
        assert!(
            Sealer::new(&SecretKey::generate())
                .open("inventories.config", &sealed)
                .is_err()
        );
        let mut tampered = sealed.clone();
        tampered.replace_range(10..11, if &sealed[10..11] == "A" { "B" } else { "A" });
        assert!(sealer.open("inventories.config", &tampered).is_err());
    }

    #[test]
    fn keys_parse_from_what_they_encode_to_or_hex() {
        let key = SecretKey::generate();
        assert_eq!(SecretKey::parse(&key.encode()).unwrap().0, key.0);
        assert_eq!(SecretKey::parse(&hex::encode(key.0)).unwrap().0, key.0);
        assert!(SecretKey::parse("short").is_err());
        assert!(!format!("{key:?}").contains(&key.encode()));
    }
}
