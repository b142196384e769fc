//! The JSON text columns of the job tables: extra variables and host stats. Both are kept
//! as JSON (MultiConnection has no JSON type) and read and written whole.

use ansible_core::jobs::{ExtraVars, HostStats, HostStatsByHost};
use ansible_syntax::Value;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One host's recap line as stored; the domain type stays free of serde.
#[derive(Serialize, Deserialize)]
struct StoredStats {
    ok: u64,
    changed: u64,
    unreachable: u64,
    failed: u64,
    skipped: u64,
    rescued: u64,
    ignored: u64,
}

pub(crate) fn stats_to_json(stats: &HostStatsByHost) -> Result<String, serde_json::Error> {
    let stored: BTreeMap<&str, StoredStats> = stats
        .iter()
        .map(|(host, s)| {
            let s = StoredStats {
                ok: s.ok,
                changed: s.changed,
                unreachable: s.unreachable,
                failed: s.failed,
                skipped: s.skipped,
                rescued: s.rescued,
                ignored: s.ignored,
            };
            (host.as_str(), s)
        })
        .collect();
    serde_json::to_string(&stored)
}

pub(crate) fn stats_from_json(text: &str) -> Result<HostStatsByHost, serde_json::Error> {
    let stored: BTreeMap<String, StoredStats> = serde_json::from_str(text)?;
    Ok(stored
        .into_iter()
        .map(|(host, s)| {
            let s = HostStats {
                ok: s.ok,
                changed: s.changed,
                unreachable: s.unreachable,
                failed: s.failed,
                skipped: s.skipped,
                rescued: s.rescued,
                ignored: s.ignored,
            };
            (host, s)
        })
        .collect())
}

/// The variables as one JSON object, keys in their order.
pub(crate) fn vars_to_json(vars: &ExtraVars) -> Result<String, serde_json::Error> {
    serde_json::to_string(&Value::Map(vars.as_mapping().clone()))
}

/// `None` when the text is not a JSON object.
pub(crate) fn vars_from_json(text: &str) -> Option<ExtraVars> {
    match serde_json::from_str::<Value>(text).ok()? {
        Value::Map(vars) => Some(ExtraVars::new(vars)),
        _ => None,
    }
}
