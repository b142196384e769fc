//! Ansible inventories (INI and YAML), parsed to the same hosts, group membership and
//! effective variables `ansible-inventory --list` reports.
//!
//! # Format detection
//!
//! [`parse_inventory`] decides the format like this:
//!
//! 1. If the text is a single YAML document whose root is a non-empty mapping and every
//!    value of that mapping is a mapping or null (i.e. it looks like `group: {hosts: …}`),
//!    it is a YAML inventory.
//! 2. Otherwise it is parsed as INI.
//! 3. If INI fails too, and the text is a YAML mapping after all (for example a plugin
//!    configuration, or a group whose body is a list), the YAML inventory result is
//!    returned — usually its more specific error. If the text is not valid YAML, the INI
//!    error is returned unless the first significant line is `---`, `%YAML…` or ends with
//!    `:`, in which case the YAML syntax error is more useful and is returned.
//!
//! Ansible itself simply tries its enabled plugins in order (by default `yaml` before
//! `ini`). The rules above agree with that on every input except texts that are valid
//! in both formats, which need odd constructs such as a `#` inside a YAML key or a
//! one-line flow mapping without spaces (`{a:1}`); [`parse_inventory_as`] forces a format.
//!
//! # Deviations from Ansible (documented limits)
//!
//! * A host pattern may expand to at most 10,000 names ([`MAX_RANGE_HOSTS`], and
//!   [`MAX_RANGE_BYTES`] of them), and an inventory may hold at most 100,000 hosts
//!   ([`MAX_HOSTS`]). What the text multiplies is capped too: host entries, group
//!   memberships, children entries, steps through the group hierarchy, variable
//!   assignments, every host's effective variables and the bytes all of that copies
//!   (the other `MAX_*` constants). Past a cap parsing fails with a message naming it,
//!   as soon as it is passed, so any text is accepted or refused quickly and in bounded
//!   memory. YAML documents are further capped at 200,000 nodes and 16 MiB of
//!   scalars, aliases counted at their expanded size.
//! * Values outside our [`Value`] model keep their source text: integers beyond 64 bits,
//!   and INI values that Python evaluates to complex numbers, `...` or non-UTF-8 bytes.
//! * YAML dates/timestamps become their `isoformat()` string (what `ansible-inventory`
//!   prints); `!!binary`, `!!set`, `!!omap` and `!!pairs` are rejected.
//! * JSON files are read as YAML (Ansible tries JSON first), so a JSON number with an
//!   exponent but no dot, like `1e3`, stays a string.

mod budget;
mod connection;
mod error;
mod hostpattern;
mod ini;
mod model;
mod yaml;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

pub use budget::{
    MAX_CHILD_LINKS, MAX_GROUP_WALK, MAX_HOST_ENTRIES, MAX_HOST_VARIABLES, MAX_HOSTS,
    MAX_INVENTORY_BYTES, MAX_MEMBERSHIPS, MAX_VARIABLES,
};
pub use connection::{Connection, ConnectionError, DEFAULT_SSH_PORT};
pub use error::InventoryError;
pub use hostpattern::{MAX_RANGE_BYTES, MAX_RANGE_HOSTS};

use crate::value::Value;
use crate::yaml::{Kind, Node, load};

/// The syntax an inventory was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InventoryFormat {
    /// Ansible's INI inventory format.
    Ini,
    /// Ansible's YAML inventory format.
    Yaml,
}

/// A parsed inventory.
#[derive(Clone, PartialEq)]
pub struct Inventory {
    format: InventoryFormat,
    hosts: BTreeMap<String, Host>,
    groups: BTreeMap<String, Group>,
    warnings: Vec<String>,
}

/// One host with its effective variables.
#[derive(Clone, PartialEq)]
pub struct Host {
    /// The inventory name (`inventory_hostname`).
    pub name: String,
    /// Effective variables: `all`'s, then every other group of the host sorted by depth
    /// (children after parents), `ansible_group_priority` and name, then the host's own;
    /// later wins.
    pub vars: BTreeMap<String, Value>,
    /// Every group the host is in, directly or through children; always has `all`.
    pub groups: BTreeSet<String>,
}

/// One group as written (not inherited).
#[derive(Clone, PartialEq)]
pub struct Group {
    /// The group name.
    pub name: String,
    /// Hosts listed directly in the group.
    pub hosts: BTreeSet<String>,
    /// Direct child groups.
    pub children: BTreeSet<String>,
    /// The group's own variables.
    pub vars: BTreeMap<String, Value>,
    /// `ansible_group_priority` (default 1); Ansible keeps it out of the variables.
    pub priority: i64,
}

/// Variable names whose values `Debug` output hides.
fn is_secret(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["pass", "secret", "token", "vault"]
        .iter()
        .any(|s| n.contains(s))
}

struct RedactedVars<'a>(&'a BTreeMap<String, Value>);

impl fmt::Debug for RedactedVars<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for (k, v) in self.0 {
            if is_secret(k) {
                m.entry(k, &"<redacted>");
            } else {
                m.entry(k, v);
            }
        }
        m.finish()
    }
}

impl fmt::Debug for Host {
    /// Hides password-like variables.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Host")
            .field("name", &self.name)
            .field("vars", &RedactedVars(&self.vars))
            .field("groups", &self.groups)
            .finish()
    }
}

impl fmt::Debug for Group {
    /// Hides password-like variables.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Group")
            .field("name", &self.name)
            .field("hosts", &self.hosts)
            .field("children", &self.children)
            .field("vars", &RedactedVars(&self.vars))
            .field("priority", &self.priority)
            .finish()
    }
}

impl fmt::Debug for Inventory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inventory")
            .field("format", &self.format)
            .field("hosts", &self.hosts)
            .field("groups", &self.groups)
            .field("warnings", &self.warnings)
            .finish()
    }
}

impl Inventory {
    /// The format the text was parsed as.
    #[must_use]
    pub fn format(&self) -> InventoryFormat {
        self.format
    }

    /// All hosts by name.
    #[must_use]
    pub fn hosts(&self) -> &BTreeMap<String, Host> {
        &self.hosts
    }

    /// All groups by name, including `all` and `ungrouped`.
    #[must_use]
    pub fn groups(&self) -> &BTreeMap<String, Group> {
        &self.groups
    }

    /// One host.
    #[must_use]
    pub fn host(&self, name: &str) -> Option<&Host> {
        self.hosts.get(name)
    }

    /// One group.
    #[must_use]
    pub fn group(&self, name: &str) -> Option<&Group> {
        self.groups.get(name)
    }

    /// Sorted group names (with `all` and `ungrouped`); no variables, so safe to put in
    /// an AI prompt.
    #[must_use]
    pub fn group_names(&self) -> Vec<String> {
        self.groups.keys().cloned().collect()
    }

    /// Sorted host names; no variables, so safe to put in an AI prompt.
    #[must_use]
    pub fn host_names(&self) -> Vec<String> {
        self.hosts.keys().cloned().collect()
    }

    /// Things Ansible would warn about (skipped YAML keys, a host named like a group).
    #[must_use]
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

/// Parse an inventory, detecting INI or YAML (see the module docs for the rule).
pub fn parse_inventory(text: &str) -> Result<Inventory, InventoryError> {
    let loaded = load(text);
    let single_map = match &loaded {
        Ok(docs) if docs.len() == 1 && matches!(docs[0].1.kind, Kind::Map(_)) => Some(&docs[0].1),
        _ => None,
    };
    if let Some(root) = single_map {
        let groups_only = root.as_map().is_some_and(|p| {
            !p.is_empty()
                && p.iter()
                    .all(|(_, v)| matches!(v.kind, Kind::Map(_) | Kind::Null))
        });
        if groups_only {
            return from_yaml(root);
        }
    }
    let ini_err = match from_ini(text) {
        Ok(inv) => return Ok(inv),
        Err(e) => e,
    };
    if let Some(root) = single_map {
        return from_yaml(root);
    }
    match loaded {
        Err(yaml_err) if looks_like_yaml(text) => Err(yaml_err.into()),
        Ok(docs) if docs.len() > 1 && looks_like_yaml(text) => Err(single_document_error(&docs)),
        _ => Err(ini_err),
    }
}

/// Parse an inventory in a known format.
pub fn parse_inventory_as(
    text: &str,
    format: InventoryFormat,
) -> Result<Inventory, InventoryError> {
    match format {
        InventoryFormat::Ini => from_ini(text),
        InventoryFormat::Yaml => {
            let docs = load(text)?;
            match docs.as_slice() {
                [] => Err(InventoryError::general("Parsed empty YAML file")),
                [(_, root)] => from_yaml(root),
                _ => Err(single_document_error(&docs)),
            }
        }
    }
}

fn single_document_error(docs: &[(usize, Node)]) -> InventoryError {
    let line = docs.get(1).map_or(1, |d| d.0);
    InventoryError::at(
        line,
        "expected a single document in the stream, but found another document",
    )
}

fn looks_like_yaml(text: &str) -> bool {
    crate::python::text::splitlines(text)
        .into_iter()
        .map(crate::python::text::strip)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| l.starts_with("---") || l.starts_with("%YAML") || l.ends_with(':'))
}

fn from_ini(text: &str) -> Result<Inventory, InventoryError> {
    let mut b = ini::parse(text)?;
    b.reconcile().map_err(InventoryError::general)?;
    b.finish(InventoryFormat::Ini)
        .map_err(InventoryError::general)
}

fn from_yaml(root: &Node) -> Result<Inventory, InventoryError> {
    let mut b = yaml::parse(root)?;
    b.reconcile().map_err(InventoryError::general)?;
    b.finish(InventoryFormat::Yaml)
        .map_err(InventoryError::general)
}

#[cfg(test)]
mod tests;
