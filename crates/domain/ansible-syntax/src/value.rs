//! The variable value model shared by inventories and playbooks.
//!
//! Ansible variables are arbitrary YAML/Python data. We keep our own small enum instead of
//! `serde_json::Value` so the domain crate stays free of JSON and so a mapping keeps the
//! key order it was written in (task keys are re-emitted in their original order).

use std::collections::HashMap;
use std::fmt;

/// Key of the single-entry map that stands for a `!unsafe` string, the same shape
/// `ansible-inventory --list` prints for it.
pub const UNSAFE_KEY: &str = "__ansible_unsafe";
/// Key of the single-entry map that stands for a `!vault` encrypted string, the same
/// shape `ansible-inventory --list` prints for it.
pub const VAULT_KEY: &str = "__ansible_vault";

/// One variable value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// YAML `null` / `~` / empty, Python `None`.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer that fits in 64 bits. Larger integers are kept as their source text
    /// in [`Value::String`] (documented deviation: Python integers are unbounded).
    Int(i64),
    /// A floating point number.
    Float(f64),
    /// A string.
    String(String),
    /// A sequence (YAML list, Python list/tuple/set).
    List(Vec<Value>),
    /// A mapping with string keys, in source order.
    Map(Mapping),
}

impl Value {
    /// The string inside a plain string or a `!unsafe` string.
    ///
    /// Connection helpers use this so that `ansible_host: !unsafe "..."` still works.
    #[must_use]
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            Value::Map(m) if m.len() == 1 => match m.get(UNSAFE_KEY) {
                Some(Value::String(s)) => Some(s),
                _ => None,
            },
            _ => None,
        }
    }

    /// True for the `{"__ansible_vault": "..."}` shape produced for `!vault` values.
    #[must_use]
    pub fn is_vault(&self) -> bool {
        matches!(self, Value::Map(m) if m.len() == 1 && matches!(m.get(VAULT_KEY), Some(Value::String(_))))
    }

    /// A `!unsafe` string value (never templated by Ansible).
    #[must_use]
    pub fn unsafe_string(text: impl Into<String>) -> Value {
        let mut m = Mapping::new();
        m.insert(UNSAFE_KEY.to_owned(), Value::String(text.into()));
        Value::Map(m)
    }

    /// A `!vault` encrypted value holding the vault text (`$ANSIBLE_VAULT;...`).
    #[must_use]
    pub fn vault(ciphertext: impl Into<String>) -> Value {
        let mut m = Mapping::new();
        m.insert(VAULT_KEY.to_owned(), Value::String(ciphertext.into()));
        Value::Map(m)
    }
}

impl fmt::Display for Value {
    /// A compact, JSON-like rendering for messages and prompts.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x:?}"),
            Value::String(s) => write!(f, "{s:?}"),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Value::Map(m) => {
                f.write_str("{")?;
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k:?}: {v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

/// A string-keyed mapping that remembers insertion order and keeps keys unique.
///
/// Re-inserting an existing key replaces the value in place, which is what a Python
/// dict (and therefore Ansible) does with duplicate keys. Lookups are hashed so that
/// large mappings stay linear to build.
#[derive(Clone, Default)]
pub struct Mapping {
    entries: Vec<(String, Value)>,
    index: HashMap<String, usize>,
}

impl PartialEq for Mapping {
    /// Same entries in the same order.
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl fmt::Debug for Mapping {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.entries.iter().map(|(k, v)| (k, v)))
            .finish()
    }
}

impl Mapping {
    /// An empty mapping.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Insert or replace (keeping the original position); returns the previous value.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        if let Some(&i) = self.index.get(&key) {
            return Some(std::mem::replace(&mut self.entries[i].1, value));
        }
        self.index.insert(key.clone(), self.entries.len());
        self.entries.push((key, value));
        None
    }

    /// The value for `key`.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.index.get(key).map(|&i| &self.entries[i].1)
    }

    /// Whether `key` is present.
    #[must_use]
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Number of entries.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entries in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// Keys in insertion order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.iter().map(|(k, _)| k)
    }
}

impl FromIterator<(String, Value)> for Mapping {
    fn from_iter<T: IntoIterator<Item = (String, Value)>>(iter: T) -> Self {
        let mut m = Mapping::new();
        for (k, v) in iter {
            m.insert(k, v);
        }
        m
    }
}

impl IntoIterator for Mapping {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapping_replaces_in_place() {
        let mut m = Mapping::new();
        m.insert("a".into(), Value::Int(1));
        m.insert("b".into(), Value::Int(2));
        assert_eq!(m.insert("a".into(), Value::Int(3)), Some(Value::Int(1)));
        let keys: Vec<_> = m.keys().cloned().collect();
        assert_eq!(keys, ["a", "b"]);
        assert_eq!(m.get("a"), Some(&Value::Int(3)));
    }

    #[test]
    fn unsafe_and_vault_shapes() {
        assert_eq!(Value::unsafe_string("x").as_str(), Some("x"));
        assert!(Value::vault("$ANSIBLE_VAULT").is_vault());
        assert_eq!(Value::vault("v").as_str(), None);
    }

    #[test]
    fn display_is_json_like() {
        let v = Value::List(vec![
            Value::Null,
            Value::Bool(true),
            Value::String("a".into()),
        ]);
        assert_eq!(v.to_string(), "[null, true, \"a\"]");
    }
}
