//! Timestamps between the databases and the domains: both backends keep UTC `TIMESTAMP`
//! columns (MultiConnection has no `TIMESTAMPTZ`), at microsecond precision.

use chrono::{DateTime, NaiveDateTime, SubsecRound, Utc};

pub(crate) fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    DateTime::from_naive_utc_and_offset(at, Utc)
}

/// Now, at the microsecond precision both databases keep.
pub(crate) fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}
