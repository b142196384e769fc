use super::error::CatalogError;
use ansible_syntax::inventory::parse_inventory;
use chrono::{DateTime, Utc};
use std::fmt;

/// Longest name or group, in characters.
const MAX_NAME_CHARS: usize = 255;
/// Largest inventory text: 512 KiB (the request body limit is 1 MiB).
const MAX_CONFIG_BYTES: usize = 512 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InventoryId(pub i64);

impl fmt::Display for InventoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Whether at least one host answered the last SSH test (`On`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PowerStatus {
    On,
    Off,
}

/// Whether every host authenticated in the last SSH test (`Connected`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SshStatus {
    Connected,
    Unconnected,
}

impl PowerStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PowerStatus::On => "On",
            PowerStatus::Off => "Off",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [PowerStatus::On, PowerStatus::Off]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

impl SshStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SshStatus::Connected => "Connected",
            SshStatus::Unconnected => "Unconnected",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [SshStatus::Connected, SshStatus::Unconnected]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

/// An Ansible inventory as the hub keeps it: the text the user wrote, and what the last SSH
/// test found.
#[derive(Debug, Clone, PartialEq)]
pub struct Inventory {
    pub id: InventoryId,
    pub name: String,
    pub group: String,
    pub config: String,
    pub status: PowerStatus,
    pub ssh_status: SshStatus,
    /// When the last SSH test ended; `None` until one did.
    pub last_tested_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A validated create or update: a name, a group (default `Default`), and inventory text that
/// parses as INI or YAML.
#[derive(Debug, Clone, PartialEq)]
pub struct InventoryDraft {
    pub name: String,
    pub group: String,
    pub config: String,
}

fn trimmed_name(field: &str, raw: Option<String>) -> Result<Option<String>, CatalogError> {
    match raw.map(|s| s.trim().to_owned()) {
        Some(s) if s.chars().count() > MAX_NAME_CHARS => Err(CatalogError::field(
            field,
            format!("must be at most {MAX_NAME_CHARS} characters"),
        )),
        Some(s) if s.is_empty() => Ok(None),
        other => Ok(other),
    }
}

impl InventoryDraft {
    /// Parses a request: `name` and `config` required, `group` defaulting to `Default`.
    pub fn parse(
        name_raw: Option<String>,
        group: Option<String>,
        config: Option<String>,
    ) -> Result<Self, CatalogError> {
        let name = trimmed_name("name", name_raw)?
            .ok_or_else(|| CatalogError::field("name", "is required"))?;
        let group = trimmed_name("group", group)?.unwrap_or_else(|| "Default".to_owned());
        let config = config
            .filter(|c| !c.trim().is_empty())
            .ok_or_else(|| CatalogError::field("config", "is required"))?;
        if config.len() > MAX_CONFIG_BYTES {
            return Err(CatalogError::field(
                "config",
                format!("must be at most {MAX_CONFIG_BYTES} bytes"),
            ));
        }
        parse_inventory(&config)
            .map_err(|e| CatalogError::InvalidInventoryConfig(e.to_string()))?;
        Ok(Self {
            name,
            group,
            config,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_required_fields() {
        let d = InventoryDraft::parse(
            Some(" Lab ".into()),
            None,
            Some("web1 ansible_host=10.0.0.1".into()),
        );
        assert_eq!(
            d.map(|d| (d.name, d.group)),
            Ok(("Lab".to_owned(), "Default".to_owned()))
        );
        let e = InventoryDraft::parse(None, None, Some("web1".into()));
        assert!(matches!(e, Err(CatalogError::Validation { field, .. }) if field == "name"));
        let e = InventoryDraft::parse(Some("x".into()), None, Some("  ".into()));
        assert!(matches!(e, Err(CatalogError::Validation { field, .. }) if field == "config"));
    }

    #[test]
    fn config_must_parse_and_the_error_names_the_line() {
        let e = InventoryDraft::parse(
            Some("x".into()),
            None,
            Some("[web]\nweb1\n[web:bogus]\nx\n".into()),
        );
        let Err(CatalogError::InvalidInventoryConfig(message)) = e else {
            panic!("expected a config error, got {e:?}")
        };
        assert!(message.contains('3'), "{message}");
    }
}
