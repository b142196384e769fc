//! The recap callback shipped inside the binary, and reading what it wrote.
//!
//! ansible-core has no JSON recap of its own (the JSON callbacks live in collections), so
//! the hub ships a small aggregate callback of its own: the default stdout callback keeps
//! the human output, and this one writes the host stats to a file named in the environment.

use ansible_core::jobs::{HostStats, HostStatsByHost};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io;
use std::path::Path;

/// The plugin's source, written into each run's `callback_plugins/`.
pub(crate) const PLUGIN_SOURCE: &str = include_str!("hub_recap.py");
/// Its file name there and its name in `ANSIBLE_CALLBACKS_ENABLED`.
pub(crate) const PLUGIN_NAME: &str = "hub_recap";
/// The environment variable naming the file the plugin writes.
pub(crate) const RECAP_FILE_VAR: &str = "CONTROL_HUB_RECAP_FILE";

#[derive(Debug, Deserialize)]
struct RecapFile {
    version: u32,
    hosts: BTreeMap<String, Counts>,
}

#[derive(Debug, Deserialize)]
struct Counts {
    ok: u64,
    changed: u64,
    unreachable: u64,
    failed: u64,
    skipped: u64,
    rescued: u64,
    ignored: u64,
}

impl From<Counts> for HostStats {
    fn from(c: Counts) -> Self {
        HostStats {
            ok: c.ok,
            changed: c.changed,
            unreachable: c.unreachable,
            failed: c.failed,
            skipped: c.skipped,
            rescued: c.rescued,
            ignored: c.ignored,
        }
    }
}

/// The host stats in `text`, as the plugin writes them.
pub(crate) fn parse(text: &str) -> Result<HostStatsByHost, String> {
    let file: RecapFile = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if file.version != 1 {
        return Err(format!("recap version {} is not known", file.version));
    }
    Ok(file
        .hosts
        .into_iter()
        .map(|(host, counts)| (host, counts.into()))
        .collect())
}

/// The recap at `path`. No file is no recap: ansible-playbook stopped before any play
/// ended (a syntax error, an inventory it could not parse), and its output says why.
pub(crate) fn read(path: &Path) -> Result<HostStatsByHost, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&text),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(HostStatsByHost::new()),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plugins_json_becomes_host_stats() {
        let text = r#"{"version": 1, "hosts": {
            "web1": {"ok": 3, "changed": 1, "unreachable": 0, "failed": 1,
                     "skipped": 2, "rescued": 1, "ignored": 4},
            "db1": {"ok": 0, "changed": 0, "unreachable": 1, "failed": 0,
                    "skipped": 0, "rescued": 0, "ignored": 0}}}"#;
        let stats = parse(text).expect("parses");
        assert_eq!(
            stats.get("web1"),
            Some(&HostStats {
                ok: 3,
                changed: 1,
                unreachable: 0,
                failed: 1,
                skipped: 2,
                rescued: 1,
                ignored: 4,
            })
        );
        assert_eq!(stats.get("db1").map(|s| s.unreachable), Some(1));
    }

    #[test]
    fn an_unknown_or_broken_recap_is_refused_and_a_missing_one_is_empty() {
        assert!(parse(r#"{"version": 2, "hosts": {}}"#).is_err());
        assert!(parse(r#"{"version": 1, "hosts": {"h": {"ok": -1}}}"#).is_err());
        assert!(parse("").is_err());
        let dir = std::env::temp_dir().join("control-hub-no-such-recap-dir");
        assert_eq!(read(&dir.join("recap.json")), Ok(HostStatsByHost::new()));
    }

    #[test]
    fn the_plugin_is_enabled_by_the_name_it_declares() {
        assert!(PLUGIN_SOURCE.contains(&format!("CALLBACK_NAME = \"{PLUGIN_NAME}\"")));
        assert!(PLUGIN_SOURCE.contains(&format!("RECAP_FILE_VAR = \"{RECAP_FILE_VAR}\"")));
    }
}
