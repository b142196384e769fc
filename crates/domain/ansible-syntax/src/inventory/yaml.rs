//! The YAML inventory format, ported from Ansible's `yaml` inventory plugin:
//! top-level keys are groups; a group maps to `hosts`, `vars` and `children`
//! (each a mapping, or a single name as a string), hosts map to null or to their
//! variables, and host names may use ranges and `:port`.
//!
//! As in Ansible, unexpected keys and non-mapping group bodies are skipped with a
//! warning rather than rejected, while wrong `hosts`/`vars`/`children` types are errors.

use super::error::InventoryError;
use super::hostpattern;
use super::model::Builder;
use crate::value::Value;
use crate::yaml::{Kind, Node};

const SECTIONS: [&str; 3] = ["vars", "children", "hosts"];

fn is_group_body(n: &Node) -> bool {
    matches!(n.kind, Kind::Map(_) | Kind::Null)
}

fn class_name(n: &Node) -> String {
    format!("<class '{}'>", n.type_name())
}

/// Parse a loaded YAML document into a builder (not yet reconciled).
pub(crate) fn parse(root: &Node) -> Result<Builder, InventoryError> {
    if !root.truthy() {
        return Err(InventoryError::at(root.line, "Parsed empty YAML file"));
    }
    let Some(pairs) = root.as_map() else {
        return Err(InventoryError::at(
            root.line,
            format!(
                "YAML inventory has invalid structure, it should be a dictionary, got: {}",
                class_name(root)
            ),
        ));
    };
    if root.get("plugin").is_some_and(Node::truthy) {
        return Err(InventoryError::at(
            root.line,
            "Plugin configuration YAML file, not YAML inventory",
        ));
    }
    let mut b = Builder::new();
    for (key, body) in pairs {
        parse_group(&mut b, key, body)?;
    }
    Ok(b)
}

/// `_parse_group`; returns the group name (or the raw key when it was skipped and is
/// not a string, in which case `None`).
fn parse_group(b: &mut Builder, key: &Node, body: &Node) -> Result<Option<String>, InventoryError> {
    if !is_group_body(body) {
        b.warnings.push(format!(
            "Skipping '{}' as this is not a valid group definition",
            key.describe()
        ));
        return Ok(key.as_str().map(str::to_owned));
    }
    let err = |m: String| {
        InventoryError::at(
            key.line,
            format!("Unable to add group {}: {m}", key.describe()),
        )
    };
    if !key.truthy() {
        return Err(err(format!(
            "Invalid empty/false group name provided: {}",
            key.describe()
        )));
    }
    let Some(name) = key.as_str() else {
        return Err(err(format!(
            "Invalid group name supplied, expected a string but got {} for {}",
            class_name(key),
            key.describe()
        )));
    };
    b.add_group(name).map_err(err)?;
    let Some(entries) = body.as_map() else {
        return Ok(Some(name.to_owned()));
    };

    // A section given as a plain string means {string: None}.
    let mut overrides: Vec<(&str, Node)> = Vec::new();
    for section in SECTIONS {
        if let Some(v) = body.get(section) {
            if v.as_str().is_some() {
                let key_node = Node {
                    line: v.line,
                    kind: v.kind.clone(),
                };
                overrides.push((
                    section,
                    Node {
                        line: v.line,
                        kind: Kind::Map(vec![(
                            key_node,
                            Node {
                                line: v.line,
                                kind: Kind::Null,
                            },
                        )]),
                    },
                ));
            } else if !is_group_body(v) {
                return Err(InventoryError::at(
                    v.line,
                    format!(
                        "Invalid \"{section}\" entry for \"{name}\" group, requires a dictionary, found \"{}\" instead.",
                        class_name(v)
                    ),
                ));
            }
        }
    }

    for (k, original) in entries {
        let section = k.as_str().filter(|s| SECTIONS.contains(s));
        let value = section
            .and_then(|s| overrides.iter().find(|(o, _)| *o == s).map(|(_, n)| n))
            .unwrap_or(original);
        let Some(items) = value.as_map() else {
            if !value.is_null() {
                b.warnings.push(format!(
                    "Skipping key ({}) in group ({name}) as it is not a mapping, it is a {}",
                    k.describe(),
                    class_name(value)
                ));
            }
            continue;
        };
        match section {
            Some("vars") => {
                for (var, v) in items {
                    b.set_variable(name, &var.key_string(), &v.to_value())
                        .map_err(|m| InventoryError::at(var.line, m))?;
                }
            }
            Some("children") => {
                for (sub, sub_body) in items {
                    let child = parse_group(b, sub, sub_body)?;
                    let result = match child {
                        Some(child) => b.add_child(name, &child),
                        None => Err(format!("{} is not a known host nor group", sub.describe())),
                    };
                    result.map_err(|m| InventoryError::at(sub.line, m))?;
                }
            }
            Some(_) => {
                for (pattern, vars) in items {
                    add_hosts(b, name, pattern, vars)?;
                }
            }
            None => b.warnings.push(format!(
                "Skipping unexpected key ({}) in group ({name}), only \"vars\", \"children\" and \"hosts\" are valid",
                k.describe()
            )),
        }
    }
    Ok(Some(name.to_owned()))
}

fn add_hosts(
    b: &mut Builder,
    group: &str,
    pattern: &Node,
    vars: &Node,
) -> Result<(), InventoryError> {
    let at = |m: String| InventoryError::at(pattern.line, m);
    let Some(text) = pattern.as_str() else {
        return Err(at(format!(
            "Host pattern {} must be a string. Enclose integers/floats in quotation marks.",
            pattern.describe()
        )));
    };
    let (hosts, port) = hostpattern::expand(text).map_err(at)?;
    let entries: &[(Node, Node)] = if vars.truthy() {
        vars.as_map().ok_or_else(|| {
            InventoryError::at(
                vars.line,
                format!(
                    "Invalid data from file, expected dictionary and got:\n\n{}",
                    vars.to_value()
                ),
            )
        })?
    } else {
        &[]
    };
    // Converted once, not once per host of a range.
    let vars: Vec<(usize, String, Value)> = entries
        .iter()
        .map(|(k, v)| (k.line, k.key_string(), v.to_value()))
        .collect();
    for host in &hosts {
        b.add_host(host, group, port.as_deref()).map_err(at)?;
        for (line, k, v) in &vars {
            b.set_variable(host, k, v)
                .map_err(|m| InventoryError::at(*line, m))?;
        }
    }
    Ok(())
}
