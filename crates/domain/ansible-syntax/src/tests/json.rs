//! Comparing our results with `ansible-inventory --list` JSON.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;

use crate::Value;
use crate::inventory::Inventory;

/// Our value as the JSON Ansible would print for it.
pub(crate) fn to_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::String(s) => Json::String(s.clone()),
        Value::List(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(m) => Json::Object(m.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
    }
}

/// `v` with every unsafe marker (`{"__ansible_unsafe": x}`) replaced by what it marks.
/// ansible-core 2.19 reports trust differently (its data tagging): a bare loader's strings
/// all come back marked, and so does text decoded from a Python bytes literal. There only
/// the values are compared; the marking itself is compared on 2.18, the oldest supported.
pub(crate) fn strip_unsafe(v: &Json) -> Json {
    match v {
        Json::Object(m) if m.len() == 1 && m.contains_key(crate::UNSAFE_KEY) => {
            strip_unsafe(&m[crate::UNSAFE_KEY])
        }
        Json::Object(m) => Json::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), strip_unsafe(v)))
                .collect(),
        ),
        Json::Array(items) => Json::Array(items.iter().map(strip_unsafe).collect()),
        other => other.clone(),
    }
}

/// `ansible.constants.INTERNAL_STATIC_VARS`: `ansible-inventory` strips these from
/// its output, so we drop them before comparing.
const INTERNAL_STATIC_VARS: [&str; 31] = [
    "ansible_async_path",
    "ansible_collection_name",
    "ansible_config_file",
    "ansible_dependent_role_names",
    "ansible_diff_mode",
    "ansible_facts",
    "ansible_forks",
    "ansible_inventory_sources",
    "ansible_limit",
    "ansible_play_batch",
    "ansible_play_hosts",
    "ansible_play_hosts_all",
    "ansible_play_role_names",
    "ansible_playbook_python",
    "ansible_role_name",
    "ansible_role_names",
    "ansible_run_tags",
    "ansible_skip_tags",
    "ansible_verbosity",
    "ansible_version",
    "inventory_dir",
    "inventory_file",
    "inventory_hostname",
    "inventory_hostname_short",
    "groups",
    "group_names",
    "omit",
    "hostvars",
    "playbook_dir",
    "play_hosts",
    "role_name",
];
const MORE_INTERNAL: [&str; 2] = ["role_names", "role_path"];

fn internal(name: &str) -> bool {
    INTERNAL_STATIC_VARS.contains(&name) || MORE_INTERNAL.contains(&name)
}

/// The connection variables the brief singles out; reported separately on mismatch.
pub(crate) const CONNECTION_VARS: [&str; 8] = [
    "ansible_host",
    "ansible_port",
    "ansible_user",
    "ansible_password",
    "ansible_ssh_host",
    "ansible_ssh_port",
    "ansible_ssh_user",
    "ansible_ssh_pass",
];

fn names(v: Option<&Json>) -> BTreeSet<String> {
    v.and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Json::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Every difference between our inventory and `ansible-inventory --list` output.
/// The differences between our inventory and ansible's listing of it. With `values_only`
/// (ansible-core 2.19 and later) unsafe markers are left out on both sides.
pub(crate) fn compare(ours: &Inventory, listed: &Json, values_only: bool) -> Vec<String> {
    let stripped;
    let listed = if values_only {
        stripped = strip_unsafe(listed);
        &stripped
    } else {
        listed
    };
    let mut diffs = Vec::new();
    let Some(top) = listed.as_object() else {
        return vec!["ansible output is not an object".to_owned()];
    };
    let groups: BTreeMap<&str, (BTreeSet<String>, BTreeSet<String>)> = top
        .iter()
        .filter(|(k, _)| *k != "_meta")
        .map(|(k, v)| {
            (
                k.as_str(),
                (names(v.get("hosts")), names(v.get("children"))),
            )
        })
        .collect();

    // Group structure (empty groups are omitted by ansible; `all` never lists hosts).
    for (name, group) in ours.groups() {
        let (hosts, children) = groups.get(name.as_str()).cloned().unwrap_or_default();
        if name != "all" && group.hosts != hosts {
            diffs.push(format!(
                "group {name}: hosts ours {:?} ansible {hosts:?}",
                group.hosts
            ));
        }
        if group.children != children {
            diffs.push(format!(
                "group {name}: children ours {:?} ansible {children:?}",
                group.children
            ));
        }
    }
    for name in groups.keys() {
        if ours.group(name).is_none() {
            diffs.push(format!("group {name} missing in ours"));
        }
    }

    // Hosts and their (transitive) membership.
    fn members(
        g: &str,
        groups: &BTreeMap<&str, (BTreeSet<String>, BTreeSet<String>)>,
        depth: usize,
    ) -> BTreeSet<String> {
        let Some((hosts, children)) = groups.get(g) else {
            return BTreeSet::new();
        };
        let mut all = hosts.clone();
        if depth < 64 {
            for c in children {
                all.extend(members(c, groups, depth + 1));
            }
        }
        all
    }
    let mut membership: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for g in groups.keys() {
        for h in members(g, &groups, 0) {
            membership.entry(h).or_default().insert((*g).to_owned());
        }
    }
    for set in membership.values_mut() {
        set.insert("all".to_owned());
    }
    let their_hosts: BTreeSet<&String> = membership.keys().collect();
    let our_hosts: BTreeSet<&String> = ours.hosts().keys().collect();
    if their_hosts != our_hosts {
        diffs.push(format!("hosts: ours {our_hosts:?} ansible {their_hosts:?}"));
    }
    let hostvars = listed.pointer("/_meta/hostvars").and_then(Json::as_object);
    for (name, host) in ours.hosts() {
        if let Some(theirs) = membership.get(name)
            && *theirs != host.groups
        {
            diffs.push(format!(
                "host {name}: groups ours {:?} ansible {theirs:?}",
                host.groups
            ));
        }
        let theirs: BTreeMap<String, Json> = hostvars
            .and_then(|hv| hv.get(name))
            .and_then(Json::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        let mine: BTreeMap<String, Json> = host
            .vars
            .iter()
            .filter(|(k, _)| !internal(k))
            .map(|(k, v)| {
                let v = to_json(v);
                (k.clone(), if values_only { strip_unsafe(&v) } else { v })
            })
            .collect();
        for var in CONNECTION_VARS {
            if mine.get(var) != theirs.get(var) {
                diffs.push(format!(
                    "host {name}: connection var {var}: ours {:?} ansible {:?}",
                    mine.get(var),
                    theirs.get(var)
                ));
            }
        }
        if mine != theirs {
            let keys: BTreeSet<&String> = mine.keys().chain(theirs.keys()).collect();
            for k in keys {
                if mine.get(k) != theirs.get(k) && !CONNECTION_VARS.contains(&k.as_str()) {
                    diffs.push(format!(
                        "host {name}: var {k}: ours {:?} ansible {:?}",
                        mine.get(k),
                        theirs.get(k)
                    ));
                }
            }
        }
    }
    diffs
}
