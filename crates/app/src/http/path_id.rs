//! Ids in paths name a row only in their canonical spelling: `1`, never `+1`, `01` or ` 1`;
//! UUIDs hyphenated. Anything else is a path that names nothing (the caller's 404).

/// A decimal integer id as the server writes it.
pub fn canonical_int(raw: &str) -> Option<i64> {
    let digits_only = !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit());
    let no_leading_zero = raw == "0" || !raw.starts_with('0');
    (digits_only && no_leading_zero)
        .then(|| raw.parse().ok())
        .flatten()
}

/// Whether `raw` is a hyphenated UUID (either case), the only form the server writes.
pub fn is_canonical_uuid(raw: &str) -> bool {
    raw.len() == 36 && uuid::Uuid::try_parse(raw).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_canonical_integers_name_a_row() {
        assert_eq!(canonical_int("1"), Some(1));
        assert_eq!(canonical_int("0"), Some(0));
        assert_eq!(canonical_int("9223372036854775807"), Some(i64::MAX));
        for bad in [
            "+1",
            "01",
            " 1",
            "1 ",
            "-1",
            "",
            "1e3",
            "9223372036854775808",
            "١",
        ] {
            assert_eq!(canonical_int(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn only_hyphenated_uuids_name_a_row() {
        assert!(is_canonical_uuid("0190f0e2-7b1c-7c3a-9d2e-1a2b3c4d5e6f"));
        assert!(is_canonical_uuid("0190F0E2-7B1C-7C3A-9D2E-1A2B3C4D5E6F"));
        for bad in [
            "0190f0e27b1c7c3a9d2e1a2b3c4d5e6f",
            "{0190f0e2-7b1c-7c3a-9d2e-1a2b3c4d5e6f}",
            "urn:uuid:0190f0e2-7b1c-7c3a-9d2e-1a2b3c4d5e6f",
        ] {
            assert!(!is_canonical_uuid(bad), "{bad}");
        }
    }
}
