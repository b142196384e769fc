//! Who is who in the queue: job ids and worker ids.

use std::fmt;
use uuid::Uuid;

const JOB_PREFIX: &str = "job-";
/// A UUID without dashes.
const HEX_DIGITS: usize = 32;
/// Worker ids name a process and a slot in it; more is a mistake of the caller.
const MAX_WORKER_BYTES: usize = 255;

/// A job's id: `job-` and a UUIDv7 as 32 lowercase hex digits.
///
/// Unguessable (74 random bits), so knowing one job's id tells nothing of another's; and one
/// spelling only, so that stores may compare ids as text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(String);

impl JobId {
    /// A fresh id.
    pub fn generate() -> Self {
        Self::from_uuid(Uuid::now_v7())
    }

    fn from_uuid(uuid: Uuid) -> Self {
        Self(format!("{JOB_PREFIX}{}", uuid.simple()))
    }

    /// The id a client sends back. `None` for anything this hub never hands out: another
    /// prefix, upper case, dashes, another UUID version; such an id names no job.
    pub fn parse(raw: &str) -> Option<Self> {
        let hex = raw.strip_prefix(JOB_PREFIX)?;
        let canonical = hex.len() == HEX_DIGITS
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !canonical {
            return None;
        }
        let uuid = Uuid::try_parse(hex).ok()?;
        (uuid.get_version_num() == 7 && uuid.get_variant() == uuid::Variant::RFC4122)
            .then(|| Self::from_uuid(uuid))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for JobId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who holds a running job's lease: one worker slot of one server process. Two slots must
/// never share an id, or each could renew the other's lease.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct WorkerId(String);

impl WorkerId {
    /// `None` when empty (after trimming) or longer than 255 bytes.
    pub fn new(raw: impl Into<String>) -> Option<Self> {
        let raw = raw.into();
        let trimmed = raw.trim();
        (!trimmed.is_empty() && trimmed.len() <= MAX_WORKER_BYTES).then(|| Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for WorkerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_parse_back_and_differ() {
        let a = JobId::generate();
        let b = JobId::generate();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), JOB_PREFIX.len() + HEX_DIGITS);
        assert_eq!(JobId::parse(a.as_str()), Some(a));
    }

    #[test]
    fn only_the_one_spelling_parses() {
        let id = JobId::generate();
        let hex = &id.as_str()[JOB_PREFIX.len()..];
        let refused = [
            hex.to_owned(),
            format!("JOB-{hex}"),
            format!("job-{}", hex.to_uppercase()),
            format!("job-{}", Uuid::now_v7().hyphenated()),
            format!("job-{}", Uuid::from_u128(0x1234).simple()),
            format!("job-{}", &hex[1..]),
            format!("job-{hex}0"),
            "job-123456".to_owned(),
            "job-".to_owned(),
        ];
        for raw in refused {
            assert_eq!(JobId::parse(&raw), None, "{raw}");
        }
    }

    #[test]
    fn worker_ids_are_non_empty_and_short() {
        assert_eq!(
            WorkerId::new(" hub-1:42:0 ").map(|w| w.to_string()),
            Some("hub-1:42:0".to_owned())
        );
        assert_eq!(WorkerId::new("  "), None);
        assert_eq!(WorkerId::new("w".repeat(256)), None);
    }
}
