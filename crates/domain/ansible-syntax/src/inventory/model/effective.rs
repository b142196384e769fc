//! What every host ends up with: its groups (direct and inherited) and its effective
//! variables.
//!
//! Hosts listed under the same groups share everything but their own variables, and a
//! big inventory is mostly such hosts (a range under a few groups), so the groups,
//! their precedence order and their merged variables are worked out once per distinct
//! set of direct groups and only copied per host. The copies are charged to the budget
//! for all hosts before the first is made.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use super::Builder;
use crate::inventory::budget::Weight;
use crate::inventory::{Group, Host, Inventory, InventoryFormat};
use crate::value::{Mapping, Value};

/// Every host's groups, direct and inherited.
pub(super) struct Memberships<'a> {
    /// The distinct sets of groups (each with `all` when reachable).
    pub(super) sets: Vec<BTreeSet<&'a str>>,
    /// Each host's set, by index into `sets`, in the order of `Builder::hosts`.
    pub(super) of_host: Vec<usize>,
}

impl Builder {
    /// Every host's groups, counted against the membership cap host by host.
    pub(super) fn memberships(&self) -> Result<Memberships<'_>, String> {
        self.budget.reset_memberships();
        let index: HashMap<&str, usize> = self
            .hosts
            .keys()
            .enumerate()
            .map(|(i, h)| (h.as_str(), i))
            .collect();
        // Sorted by group name, as the groups are visited in order.
        let mut direct: Vec<Vec<&str>> = vec![Vec::new(); self.hosts.len()];
        for (name, g) in &self.groups {
            for h in &g.hosts {
                if let Some(d) = index.get(h.as_str()).and_then(|&i| direct.get_mut(i)) {
                    d.push(name.as_str());
                }
            }
        }
        let mut memo: HashMap<Vec<&str>, usize> = HashMap::new();
        let mut sets: Vec<BTreeSet<&str>> = Vec::new();
        let mut counts: Vec<usize> = Vec::new();
        let mut of_host = Vec::with_capacity(direct.len());
        for key in direct {
            let set = match memo.entry(key) {
                Entry::Occupied(e) => *e.get(),
                Entry::Vacant(e) => {
                    let groups = self.with_ancestors(e.key().iter().copied())?;
                    counts.push(groups.len() - usize::from(groups.contains("all")));
                    sets.push(groups);
                    *e.insert(sets.len() - 1)
                }
            };
            self.budget
                .membership(counts.get(set).copied().unwrap_or_default())?;
            of_host.push(set);
        }
        Ok(Memberships { sets, of_host })
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

    /// What one set of groups gives each of its hosts: `all`'s variables, then the other
    /// groups' sorted by (depth, priority, name), later wins.
    fn inherited_vars(
        &self,
        set: &BTreeSet<&str>,
        depths: &BTreeMap<&str, usize>,
    ) -> BTreeMap<String, Value> {
        let mut sorted: Vec<(usize, i64, &str)> = set
            .iter()
            .filter(|g| **g != "all")
            .map(|g| {
                let d = depths.get(g).copied().unwrap_or(0);
                let p = self.groups.get(*g).map_or(1, |x| x.priority);
                (d, p, *g)
            })
            .collect();
        sorted.sort_unstable();
        let mut vars = BTreeMap::new();
        for g in ["all"]
            .into_iter()
            .chain(sorted.into_iter().map(|(_, _, g)| g))
        {
            if let Some(gd) = self.groups.get(g) {
                vars.extend(gd.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
        vars
    }

    /// Charges every copy `finish` will make — each host's group names, the variables
    /// it inherits and its own — before any is made. The inherited ones are counted as
    /// every group's variables added up, overridden ones included, so the count needs
    /// no merging.
    fn charge_hosts(&self, m: &Memberships<'_>) -> Result<(), String> {
        let per_set: Vec<Weight> = m
            .sets
            .iter()
            .map(|set| {
                let mut w = self
                    .groups
                    .get("all")
                    .map_or_else(Weight::default, |g| weigh(&g.vars));
                for g in set.iter().filter(|g| **g != "all") {
                    if let Some(gd) = self.groups.get(*g) {
                        w.add(weigh(&gd.vars));
                    }
                }
                w.bytes = w.bytes.saturating_add(set.iter().map(|g| g.len()).sum());
                w
            })
            .collect();
        for (data, set) in self.hosts.values().zip(&m.of_host) {
            let mut cost = weigh(&data.vars);
            cost.add(per_set.get(*set).copied().unwrap_or_default());
            self.budget.host_variables(cost)?;
        }
        Ok(())
    }

    /// The finished, read-only inventory.
    pub(crate) fn finish(self, format: InventoryFormat) -> Result<Inventory, String> {
        let hosts = {
            let depths = self.depths();
            let m = self.memberships()?;
            self.charge_hosts(&m)?;
            let shared: Vec<(BTreeSet<String>, BTreeMap<String, Value>)> = m
                .sets
                .iter()
                .map(|set| {
                    let mut names: BTreeSet<String> = set.iter().map(|g| (*g).to_owned()).collect();
                    names.insert("all".to_owned());
                    (names, self.inherited_vars(set, &depths))
                })
                .collect();
            let mut hosts = BTreeMap::new();
            for ((name, data), set) in self.hosts.iter().zip(&m.of_host) {
                let Some((groups, inherited)) = shared.get(*set) else {
                    continue;
                };
                let mut vars = inherited.clone();
                vars.extend(data.vars.iter().map(|(k, v)| (k.clone(), v.clone())));
                let host = Host {
                    name: name.clone(),
                    vars,
                    groups: groups.clone(),
                };
                hosts.insert(name.clone(), host);
            }
            hosts
        };
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
        Ok(Inventory {
            format,
            hosts,
            groups,
            warnings: self.warnings,
        })
    }
}

fn weigh(vars: &Mapping) -> Weight {
    let mut w = Weight::default();
    for (k, v) in vars.iter() {
        w.add(Weight::of_variable(k, v));
    }
    w
}
