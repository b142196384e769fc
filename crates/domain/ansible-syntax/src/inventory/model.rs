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
//!
//! Everything that can grow faster than the text is charged to a [`Budget`] as it is
//! built, so an inventory past a cap fails at that point, not after building it.

mod effective;

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};

use super::budget::{Budget, MAX_HOSTS, Weight};
use crate::python::num::{IntError, int_of_value};
use crate::value::{Mapping, Value};

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
    budget: Budget,
}

impl Builder {
    pub(crate) fn new() -> Self {
        let mut b = Self {
            groups: BTreeMap::new(),
            group_order: Vec::new(),
            hosts: BTreeMap::new(),
            warnings: Vec::new(),
            budget: Budget::default(),
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
        self.budget.host_entry(name, group)?;
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
        self.add_host_to_group(group, name)
    }

    fn add_host_to_group(&mut self, group: &str, host: &str) -> Result<(), String> {
        if let Some(g) = self.groups.get_mut(group)
            && !g.hosts.contains(host)
        {
            // Direct memberships only: a lower bound of what `memberships` counts,
            // caught here so a fan-out stops while it is being written.
            if group != "all" {
                self.budget.membership(1)?;
            }
            g.hosts.insert(host.to_owned());
        }
        Ok(())
    }

    /// `InventoryData.set_variable`: groups are looked up before hosts. Takes the
    /// value by reference so it is charged before it is copied.
    pub(crate) fn set_variable(
        &mut self,
        entity: &str,
        key: &str,
        value: &Value,
    ) -> Result<(), String> {
        self.budget.variable(Weight::of_variable(key, value))?;
        if let Some(g) = self.groups.get_mut(entity) {
            if key == "ansible_group_priority" {
                g.priority = match int_of_value(value) {
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
                g.vars.insert(key.to_owned(), value.clone());
            }
            return Ok(());
        }
        match self.hosts.get_mut(entity) {
            Some(h) => {
                h.vars.insert(key.to_owned(), value.clone());
                Ok(())
            }
            None => Err(format!("Could not identify group or host named {entity}")),
        }
    }

    /// The given groups and all their ancestors (breadth-first over parents).
    fn with_ancestors<'a>(
        &'a self,
        start: impl IntoIterator<Item = &'a str>,
    ) -> Result<BTreeSet<&'a str>, String> {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut queue: VecDeque<&str> = start.into_iter().collect();
        while let Some(g) = queue.pop_front() {
            self.budget.group_walk(1)?;
            if let Some((name, data)) = self.groups.get_key_value(g)
                && seen.insert(name.as_str())
            {
                queue.extend(data.parents.iter().map(String::as_str));
            }
        }
        Ok(seen)
    }

    /// Whether `candidate` is an ancestor of `group` (stops as soon as it is found).
    fn is_ancestor(&self, group: &str, candidate: &str) -> Result<bool, String> {
        let mut seen: HashSet<&str> = HashSet::new();
        let mut stack: Vec<&str> = self
            .groups
            .get(group)
            .map(|g| g.parents.iter().map(String::as_str).collect())
            .unwrap_or_default();
        while let Some(g) = stack.pop() {
            self.budget.group_walk(1)?;
            if g == candidate {
                return Ok(true);
            }
            if seen.insert(g)
                && let Some(data) = self.groups.get(g)
            {
                stack.extend(data.parents.iter().map(String::as_str));
            }
        }
        Ok(false)
    }

    /// `InventoryData.add_child`: a group or a host becomes a child of `parent`.
    pub(crate) fn add_child(&mut self, parent: &str, child: &str) -> Result<(), String> {
        if !self.groups.contains_key(parent) {
            return Err(format!("{parent} is not a known group"));
        }
        self.budget.child_link()?;
        if self.groups.contains_key(child) {
            self.add_child_group(parent, child)
        } else if self.hosts.contains_key(child) {
            self.add_host_to_group(parent, child)
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
        if has_children && self.is_ancestor(parent, child)? {
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
        let m = self.memberships()?;
        // Decided once per distinct set of groups, then applied to its hosts.
        let moves: Vec<Option<Ungrouped>> = m
            .sets
            .iter()
            .map(|mine| {
                if mine.contains("ungrouped") {
                    mine.iter()
                        .any(|g| *g != "all" && *g != "ungrouped")
                        .then_some(Ungrouped::Leave)
                } else {
                    (mine.is_empty() || (mine.len() == 1 && mine.contains("all")))
                        .then_some(Ungrouped::Join)
                }
            })
            .collect();
        for (host, &set) in self.hosts.keys().zip(&m.of_host) {
            match moves.get(set).copied().flatten() {
                Some(Ungrouped::Leave) => leave.push(host.clone()),
                Some(Ungrouped::Join) => join.push(host.clone()),
                None => {}
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
}

/// What `reconcile` does with a host's `ungrouped` membership.
#[derive(Debug, Clone, Copy)]
enum Ungrouped {
    Leave,
    Join,
}
