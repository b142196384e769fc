//! Caps on the total work of one inventory parse.
//!
//! A few bytes of inventory can ask for a lot: `h[0:9999]` is 10,000 hosts, listing it
//! under 1,000 groups is ten million memberships, and a variable on `all` is copied
//! into every host's effective variables. Capping unique hosts alone let a 17 KB upload
//! take 18 s and 1.7 GB. So every quantity that can grow faster than the text is
//! counted as it is built, and parsing stops at the first one past its cap, with a
//! message naming it.
//!
//! The caps sit far above real inventories (thousands of hosts, a few groups and a
//! few dozen variables each) and low enough that any text within the catalogue's
//! 512 KiB limit is accepted or refused in well under a second and a few hundred MB.

use std::cell::Cell;

use crate::value::Value;

/// Distinct hosts in one inventory.
pub const MAX_HOSTS: usize = 100_000;

/// Host names written or expanded from ranges, repeats included: listing the same
/// range again adds no host but costs the same work.
pub const MAX_HOST_ENTRIES: usize = 500_000;

/// Group memberships: a host in a group, directly or through `children`, `all` not
/// counted. Twenty groups for each of 10,000 hosts fit.
pub const MAX_MEMBERSHIPS: usize = 200_000;

/// `children` entries (group or host under a group), repeats included.
pub const MAX_CHILD_LINKS: usize = 100_000;

/// Parent links followed while checking children for loops and collecting every host's
/// inherited groups (once per distinct set of direct groups). Real hierarchies need a
/// few per link and per set; a long chain with many links at its bottom would need
/// chain length × links.
pub const MAX_GROUP_WALK: usize = 500_000;

/// Variable assignments, repeats included; a list or dict value counts one more per
/// element (nested ones too), since a range copies it into every host.
pub const MAX_VARIABLES: usize = 500_000;

/// Effective variables summed over hosts (each host's own and inherited ones, counted
/// like [`MAX_VARIABLES`]): every host gets its own copy of its groups' variables.
/// 10,000 hosts with 100 each fit; at the cap the copies take about 150 MB.
pub const MAX_HOST_VARIABLES: usize = 1_000_000;

/// Bytes of names, keys and string values copied into the result: host entries,
/// each host's group names, and its own and inherited variables. Bounds what long
/// names or values multiplied by many hosts would keep.
pub const MAX_INVENTORY_BYTES: usize = 64 * 1024 * 1024;

/// Elements and string bytes of a variable, key included.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Weight {
    pub(crate) nodes: usize,
    pub(crate) bytes: usize,
}

impl Weight {
    /// One `key: value` assignment.
    pub(crate) fn of_variable(key: &str, value: &Value) -> Self {
        let mut w = Self {
            nodes: 0,
            bytes: key.len(),
        };
        w.add_value(value);
        w
    }

    fn add_value(&mut self, value: &Value) {
        self.nodes += 1;
        match value {
            Value::String(s) => self.bytes += s.len(),
            Value::List(items) => items.iter().for_each(|v| self.add_value(v)),
            Value::Map(m) => {
                for (k, v) in m.iter() {
                    self.bytes += k.len();
                    self.add_value(v);
                }
            }
            Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) => {}
        }
    }

    pub(crate) fn add(&mut self, other: Self) {
        self.nodes = self.nodes.saturating_add(other.nodes);
        self.bytes = self.bytes.saturating_add(other.bytes);
    }
}

/// What one parse has used so far. Counters are cells so read-only graph walks can be
/// charged too.
#[derive(Debug, Default)]
pub(crate) struct Budget {
    host_entries: Cell<usize>,
    memberships: Cell<usize>,
    child_links: Cell<usize>,
    group_walk: Cell<usize>,
    variables: Cell<usize>,
    host_variables: Cell<usize>,
    bytes: Cell<usize>,
}

fn charge(counter: &Cell<usize>, n: usize, cap: usize, what: &str) -> Result<(), String> {
    let total = counter.get().saturating_add(n);
    counter.set(total);
    if total > cap {
        return Err(format!("inventory has more than {cap} {what}"));
    }
    Ok(())
}

impl Budget {
    /// A host listed in a group. The group's name counts too: the host keeps a copy
    /// of it, and every lookup of the pair reads both.
    pub(crate) fn host_entry(&self, host: &str, group: &str) -> Result<(), String> {
        charge(
            &self.host_entries,
            1,
            MAX_HOST_ENTRIES,
            "host entries (names listed or expanded from ranges, repeats included)",
        )?;
        self.bytes(host.len().saturating_add(group.len()))
    }

    pub(crate) fn membership(&self, n: usize) -> Result<(), String> {
        charge(
            &self.memberships,
            n,
            MAX_MEMBERSHIPS,
            "group memberships (a host in a group, directly or through children)",
        )
    }

    /// Memberships are recounted whenever they are computed (their set changes when
    /// `ungrouped` is settled), not added up across computations.
    pub(crate) fn reset_memberships(&self) {
        self.memberships.set(0);
    }

    pub(crate) fn child_link(&self) -> Result<(), String> {
        charge(
            &self.child_links,
            1,
            MAX_CHILD_LINKS,
            "children entries (repeats included)",
        )
    }

    pub(crate) fn group_walk(&self, steps: usize) -> Result<(), String> {
        charge(
            &self.group_walk,
            steps,
            MAX_GROUP_WALK,
            "steps through the group hierarchy (checking children for loops and collecting inherited groups)",
        )
    }

    pub(crate) fn variable(&self, w: Weight) -> Result<(), String> {
        charge(
            &self.variables,
            w.nodes,
            MAX_VARIABLES,
            "variable assignments (repeats included, each element of a list or dict value counting one)",
        )?;
        self.bytes(w.bytes)
    }

    /// One host's effective variables, before they are copied.
    pub(crate) fn host_variables(&self, w: Weight) -> Result<(), String> {
        charge(
            &self.host_variables,
            w.nodes,
            MAX_HOST_VARIABLES,
            "variables over all hosts (each host's own and inherited, each element of a list or dict value counting one)",
        )?;
        self.bytes(w.bytes)
    }

    pub(crate) fn bytes(&self, n: usize) -> Result<(), String> {
        charge(
            &self.bytes,
            n,
            MAX_INVENTORY_BYTES,
            "bytes of host names, group names and variables once expanded for every host",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Mapping;

    #[test]
    fn weight_counts_elements_and_string_bytes() {
        assert_eq!(
            Weight::of_variable("k", &Value::Int(1)),
            Weight { nodes: 1, bytes: 1 }
        );
        let mut m = Mapping::new();
        m.insert("ab".into(), Value::String("xyz".into()));
        let v = Value::List(vec![Value::Null, Value::Map(m)]);
        assert_eq!(
            Weight::of_variable("key", &v),
            Weight { nodes: 4, bytes: 8 }
        );
    }

    #[test]
    fn the_error_names_the_cap_that_was_passed() {
        let b = Budget::default();
        assert_eq!(b.membership(MAX_MEMBERSHIPS), Ok(()));
        let e = b.membership(1).expect_err("over the cap");
        assert!(e.contains("more than 200000 group memberships"), "{e}");
        b.reset_memberships();
        assert_eq!(b.membership(1), Ok(()));
        let e = b.bytes(MAX_INVENTORY_BYTES + 1).expect_err("over the cap");
        assert!(
            e.contains(&format!("more than {MAX_INVENTORY_BYTES} bytes")),
            "{e}"
        );
    }
}
