//! An in-memory inventory that follows the rules of Ansible's `InventoryData`,
//! `Group` and `Host` classes, so both parsers produce what `ansible-inventory` would:
//!
//! * variables set on a host whose name is also a group go to the group
//!   (`InventoryData.set_variable` looks groups up first);
//! * a port from `host:port` only applies when the host is first created;
//! * `ansible_group_priority` sets the group's priority and is not a variable;
//! * after parsing, groups without parents become children of `all`, and hosts that
//!   are in no group except `all` go to `ungrouped` (`reconcile_inventory`);
//! * a host's effective variables are `all`'s, then its other groups' sorted by
//!   (depth, priority, name), then its own — later wins.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

use super::{Group, Host, Inventory, InventoryFormat};
use crate::python::num::{IntError, int_of_value};
use crate::value::{Mapping, Value};

/// Upper bound on the hosts of one inventory; protects against huge ranges.
pub(crate) const MAX_HOSTS: usize = 100_000;

#[derive(Debug, Default)]
struct GroupData {
    hosts: BTreeSet<String>,
    children: BTreeSet<String>,
    parents: BTreeSet<String>,
    vars: Mapping,
    priority: i64,
}

#[derive(Debug, Default)]
struct HostData {
    vars: Mapping,
}

/// The inventory under construction.
#[derive(Debug)]
pub(crate) struct Builder {
    groups: BTreeMap<String, GroupData>,
    group_order: Vec<String>,
    hosts: BTreeMap<String, HostData>,
    pub(crate) warnings: Vec<String>,
}

impl Builder {
    pub(crate) fn new() -> Self {
        let mut b = Self {
            groups: BTreeMap::new(),
            group_order: Vec::new(),
            hosts: BTreeMap::new(),
            warnings: Vec::new(),
        };
        b.insert_group("all");
        b.insert_group("ungrouped");
        b.link("all", "ungrouped");
        b
    }

    fn insert_group(&mut self, name: &str) {
        if !self.groups.contains_key(name) {
            self.groups.insert(
                name.to_owned(),
                GroupData {
                    priority: 1,
                    ..GroupData::default()
                },
            );
            self.group_order.push(name.to_owned());
        }
    }

    fn link(&mut self, parent: &str, child: &str) {
        if let Some(p) = self.groups.get_mut(parent) {
            p.children.insert(child.to_owned());
        }
        if let Some(c) = self.groups.get_mut(child) {
            c.parents.insert(parent.to_owned());
        }
    }

    pub(crate) fn has_group(&self, name: &str) -> bool {
        self.groups.contains_key(name)
    }

    /// `InventoryData.add_group`.
    pub(crate) fn add_group(&mut self, name: &str) -> Result<(), String> {
        if name.is_empty() {
            return Err(format!("Invalid empty/false group name provided: {name}"));
        }
        self.insert_group(name);
        Ok(())
    }

    /// `InventoryData.add_host` with a group (always given by the file parsers).
    pub(crate) fn add_host(
        &mut self,
        name: &str,
        group: &str,
        port: Option<&str>,
    ) -> Result<(), String> {
        if name.is_empty() {
            return Err("Invalid empty host name provided: ".to_owned());
        }
        if !self.groups.contains_key(group) {
            return Err(format!("Could not find group {group} in inventory"));
        }
        if !self.hosts.contains_key(name) {
            if self.hosts.len() >= MAX_HOSTS {
                return Err(format!("inventory has more than {MAX_HOSTS} hosts"));
            }
            let mut host = HostData::default();
            // Host.__init__: `if port:` — a port of 0 is ignored.
            if let Some(p) = port.filter(|p| p.chars().any(|c| c != '0')) {
                let value = p
                    .parse::<i64>()
                    .map_or_else(|_| Value::String(p.to_owned()), Value::Int);
                host.vars.insert("ansible_port".to_owned(), value);
            }
            self.hosts.insert(name.to_owned(), host);
        }
        self.add_host_to_group(group, name);
        Ok(())
    }

    fn add_host_to_group(&mut self, group: &str, host: &str) {
        if let Some(g) = self.groups.get_mut(group)
            && !g.hosts.contains(host)
        {
            g.hosts.insert(host.to_owned());
        }
    }

    /// `InventoryData.set_variable`: groups are looked up before hosts.
    pub(crate) fn set_variable(
        &mut self,
        entity: &str,
        key: String,
        value: Value,
    ) -> Result<(), String> {
        if let Some(g) = self.groups.get_mut(entity) {
            if key == "ansible_group_priority" {
                g.priority = match int_of_value(&value) {
                    Ok(p) => i64::try_from(p)
                        .map_err(|_| "ansible_group_priority is out of range".to_owned())?,
                    Err(IntError::Overflow) => {
                        return Err("ansible_group_priority is out of range".to_owned());
                    }
                    Err(IntError::Invalid) => {
                        return Err(format!("invalid literal for int() with base 10: {value}"));
                    }
                };
            } else {
                g.vars.insert(key, value);
            }
            return Ok(());
        }
        match self.hosts.get_mut(entity) {
            Some(h) => {
                h.vars.insert(key, value);
                Ok(())
            }
            None => Err(format!("Could not identify group or host named {entity}")),
        }
    }

    /// The given groups and all their ancestors (breadth-first over parents).
    fn with_ancestors<'a>(&'a self, start: impl IntoIterator<Item = &'a str>) -> BTreeSet<&'a str> {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut queue: VecDeque<&str> = start.into_iter().collect();
        while let Some(g) = queue.pop_front() {
            if let Some((name, data)) = self.groups.get_key_value(g)
                && seen.insert(name.as_str())
            {
                queue.extend(data.parents.iter().map(String::as_str));
            }
        }
        seen
    }

    /// Whether `candidate` is an ancestor of `group` (stops as soon as it is found).
    fn is_ancestor(&self, group: &str, candidate: &str) -> bool {
        let mut seen: HashSet<&str> = HashSet::new();
        let mut stack: Vec<&str> = self
            .groups
            .get(group)
            .map(|g| g.parents.iter().map(String::as_str).collect())
            .unwrap_or_default();
        while let Some(g) = stack.pop() {
            if g == candidate {
                return true;
            }
            if seen.insert(g)
                && let Some(data) = self.groups.get(g)
            {
                stack.extend(data.parents.iter().map(String::as_str));
            }
        }
        false
    }

    /// `InventoryData.add_child`: a group or a host becomes a child of `parent`.
    pub(crate) fn add_child(&mut self, parent: &str, child: &str) -> Result<(), String> {
        if !self.groups.contains_key(parent) {
            return Err(format!("{parent} is not a known group"));
        }
        if self.groups.contains_key(child) {
            self.add_child_group(parent, child)
        } else if self.hosts.contains_key(child) {
            self.add_host_to_group(parent, child);
            Ok(())
        } else {
            Err(format!("{child} is not a known host nor group"))
        }
    }

    /// `Group.add_child_group`, including its loop detection.
    fn add_child_group(&mut self, parent: &str, child: &str) -> Result<(), String> {
        if parent == child {
            return Err("can't add group to itself".to_owned());
        }
        if self
            .groups
            .get(parent)
            .is_some_and(|g| g.children.contains(child))
        {
            return Ok(());
        }
        // A group without children cannot be anyone's ancestor: skip the walk.
        let has_children = self
            .groups
            .get(child)
            .is_some_and(|c| !c.children.is_empty());
        if has_children && self.is_ancestor(parent, child) {
            return Err(format!(
                "Adding group '{child}' as child to '{parent}' creates a recursive dependency loop."
            ));
        }
        if let Some(p) = self.groups.get_mut(parent) {
            p.children.insert(child.to_owned());
        }
        if let Some(c) = self.groups.get_mut(child) {
            c.parents.insert(parent.to_owned());
        }
        Ok(())
    }

    /// Direct groups of every host.
    fn direct_groups(&self) -> BTreeMap<&str, BTreeSet<&str>> {
        let mut map: BTreeMap<&str, BTreeSet<&str>> = self
            .hosts
            .keys()
            .map(|h| (h.as_str(), BTreeSet::new()))
            .collect();
        for (gname, g) in &self.groups {
            for h in &g.hosts {
                map.entry(h.as_str()).or_default().insert(gname.as_str());
            }
        }
        map
    }

    /// Every host's groups (direct groups plus their ancestors), computed once per
    /// distinct set of direct groups.
    fn memberships(&self) -> BTreeMap<&str, BTreeSet<&str>> {
        let mut memo: HashMap<Vec<&str>, BTreeSet<&str>> = HashMap::new();
        self.direct_groups()
            .into_iter()
            .map(|(host, direct)| {
                let key: Vec<&str> = direct.into_iter().collect();
                let all = memo
                    .entry(key.clone())
                    .or_insert_with(|| self.with_ancestors(key))
                    .clone();
                (host, all)
            })
            .collect()
    }

    /// `InventoryData.reconcile_inventory`.
    pub(crate) fn reconcile(&mut self) -> Result<(), String> {
        let order = self.group_order.clone();
        for g in &order {
            if g != "all" && self.groups.get(g).is_some_and(|d| d.parents.is_empty()) {
                self.add_child_group("all", g)?;
            }
        }
        let mut leave = Vec::new();
        let mut join = Vec::new();
        for (host, mine) in self.memberships() {
            if mine.contains("ungrouped") {
                if mine.iter().any(|g| *g != "all" && *g != "ungrouped") {
                    leave.push(host.to_owned());
                }
            } else if mine.is_empty() || (mine.len() == 1 && mine.contains("all")) {
                join.push(host.to_owned());
            }
        }
        if let Some(u) = self.groups.get_mut("ungrouped") {
            for host in leave {
                u.hosts.remove(&host);
            }
            u.hosts.extend(join);
        }
        for name in self.hosts.keys() {
            if self.groups.contains_key(name) {
                self.warnings
                    .push(format!("Found both group and host with same name: {name}"));
            }
        }
        Ok(())
    }

    /// Longest path from `all`, which is what `Group.depth` ends up as.
    fn depths(&self) -> BTreeMap<&str, usize> {
        let mut indegree: BTreeMap<&str, usize> = self
            .groups
            .iter()
            .map(|(n, g)| (n.as_str(), g.parents.len()))
            .collect();
        let mut depth: BTreeMap<&str, usize> =
            self.groups.keys().map(|n| (n.as_str(), 0)).collect();
        let mut queue: VecDeque<&str> = indegree
            .iter()
            .filter(|(_, d)| **d == 0)
            .map(|(n, _)| *n)
            .collect();
        while let Some(g) = queue.pop_front() {
            let here = depth.get(g).copied().unwrap_or(0);
            for child in self
                .groups
                .get(g)
                .map(|d| d.children.iter().collect::<Vec<_>>())
                .unwrap_or_default()
            {
                if let Some(d) = depth.get_mut(child.as_str()) {
                    *d = (*d).max(here + 1);
                }
                if let Some(n) = indegree.get_mut(child.as_str()) {
                    *n = n.saturating_sub(1);
                    if *n == 0 {
                        queue.push_back(child.as_str());
                    }
                }
            }
        }
        depth
    }

    /// The finished, read-only inventory.
    pub(crate) fn finish(self, format: InventoryFormat) -> Inventory {
        let depths = self.depths();
        let memberships = self.memberships();
        let empty = Mapping::new();
        let all_vars = self.groups.get("all").map_or(&empty, |g| &g.vars);
        let mut hosts = BTreeMap::new();
        for (name, data) in &self.hosts {
            let groups: BTreeSet<String> = memberships
                .get(name.as_str())
                .map(|d| d.iter().map(|g| (*g).to_owned()).collect())
                .unwrap_or_default();
            let mut sorted: Vec<(usize, i64, &str)> = groups
                .iter()
                .filter(|g| *g != "all")
                .map(|g| {
                    let d = depths.get(g.as_str()).copied().unwrap_or(0);
                    let p = self.groups.get(g).map_or(1, |x| x.priority);
                    (d, p, g.as_str())
                })
                .collect();
            sorted.sort();
            let mut vars: BTreeMap<String, Value> = all_vars
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            for (_, _, g) in sorted {
                if let Some(gd) = self.groups.get(g) {
                    vars.extend(gd.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
            }
            vars.extend(data.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
            let mut groups = groups;
            groups.insert("all".to_owned());
            hosts.insert(
                name.clone(),
                Host {
                    name: name.clone(),
                    vars,
                    groups,
                },
            );
        }
        let groups = self
            .groups
            .into_iter()
            .map(|(name, g)| {
                let group = Group {
                    name: name.clone(),
                    hosts: g.hosts.into_iter().collect(),
                    children: g.children.into_iter().collect(),
                    vars: g.vars.into_iter().collect(),
                    priority: g.priority,
                };
                (name, group)
            })
            .collect();
        Inventory {
            format,
            hosts,
            groups,
            warnings: self.warnings,
        }
    }
}
