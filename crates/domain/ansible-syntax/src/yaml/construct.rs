//! Typed nodes from composed nodes, following PyYAML's `SafeConstructor` and Ansible's
//! `AnsibleConstructor`: YAML 1.1 implicit typing, merge keys (`<<`), duplicate keys
//! (last value wins, first position kept, as in a Python dict), `!unsafe` and `!vault`.

use std::collections::HashMap;
use std::rc::Rc;

use super::YamlError;
use super::compose::{Expansion, Raw, RawKind, compose};
use super::resolve::{self, Implicit, Int};
use crate::python::num::float_repr;
use crate::value::{Mapping, Value};

const CORE: &str = "tag:yaml.org,2002:";

/// A typed YAML node with the line it started on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub(crate) line: usize,
    pub(crate) kind: Kind,
}

/// The Python object PyYAML would have produced.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    Null,
    Bool(bool),
    Int(i64),
    /// An integer beyond 64 bits, as source text.
    BigInt(String),
    Float(f64),
    Str(String),
    /// A date or datetime, as its `isoformat()`.
    Timestamp(String),
    /// An `AnsibleUnsafeText` (a `str` subclass).
    Unsafe(String),
    /// An `AnsibleVaultEncryptedUnicode` (ciphertext).
    Vault(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The text of a `str` (including unsafe strings).
    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) | Kind::Unsafe(s) => Some(s),
            _ => None,
        }
    }

    /// Entries of a mapping.
    pub(crate) fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            Kind::Map(pairs) => Some(pairs),
            _ => None,
        }
    }

    /// `mapping[key]` for a string key.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Null)
    }

    /// Python truthiness.
    pub(crate) fn truthy(&self) -> bool {
        match &self.kind {
            Kind::Null => false,
            Kind::Bool(b) => *b,
            Kind::Int(i) => *i != 0,
            Kind::Float(f) => *f != 0.0,
            Kind::Str(s) | Kind::Unsafe(s) => !s.is_empty(),
            Kind::Seq(items) => !items.is_empty(),
            Kind::Map(pairs) => !pairs.is_empty(),
            Kind::BigInt(_) | Kind::Timestamp(_) | Kind::Vault(_) => true,
        }
    }

    /// The Python type name, for messages that mirror Ansible's.
    pub(crate) fn type_name(&self) -> &'static str {
        match &self.kind {
            Kind::Null => "NoneType",
            Kind::Bool(_) => "bool",
            Kind::Int(_) | Kind::BigInt(_) => "int",
            Kind::Float(_) => "float",
            Kind::Str(_) => "str",
            Kind::Timestamp(_) => "datetime",
            Kind::Unsafe(_) => "AnsibleUnsafeText",
            Kind::Vault(_) => "AnsibleVaultEncryptedUnicode",
            Kind::Seq(_) => "list",
            Kind::Map(_) => "dict",
        }
    }

    /// A short rendering of a scalar for messages.
    pub(crate) fn describe(&self) -> String {
        match &self.kind {
            Kind::Seq(_) | Kind::Map(_) => self.type_name().to_owned(),
            _ => self.key_string(),
        }
    }

    /// The text a mapping key becomes in our string-keyed [`Mapping`]: what Python's
    /// `json` module prints for it (`1` → `"1"`, `True` → `"true"`, `None` → `"null"`).
    pub(crate) fn key_string(&self) -> String {
        match &self.kind {
            Kind::Null => "null".to_owned(),
            Kind::Bool(b) => b.to_string(),
            Kind::Int(i) => i.to_string(),
            Kind::Float(f) => float_repr(*f),
            Kind::BigInt(s)
            | Kind::Str(s)
            | Kind::Timestamp(s)
            | Kind::Unsafe(s)
            | Kind::Vault(s) => s.clone(),
            Kind::Seq(_) | Kind::Map(_) => self.type_name().to_owned(),
        }
    }

    /// Convert to our value model (`!unsafe`/`!vault` become Ansible's JSON shapes).
    pub(crate) fn to_value(&self) -> Value {
        match &self.kind {
            Kind::Null => Value::Null,
            Kind::Bool(b) => Value::Bool(*b),
            Kind::Int(i) => Value::Int(*i),
            Kind::Float(f) => Value::Float(*f),
            Kind::BigInt(s) | Kind::Str(s) | Kind::Timestamp(s) => Value::String(s.clone()),
            Kind::Unsafe(s) => Value::unsafe_string(s.clone()),
            Kind::Vault(s) => Value::vault(s.clone()),
            Kind::Seq(items) => Value::List(items.iter().map(Node::to_value).collect()),
            Kind::Map(pairs) => Value::Map(
                pairs
                    .iter()
                    .map(|(k, v)| (k.key_string(), v.to_value()))
                    .collect::<Mapping>(),
            ),
        }
    }
}

/// A hashable stand-in for a key with Python's equality: `1`, `1.0` and `True` are the
/// same key, `"1"` is not. Lets duplicate detection stay linear on huge mappings.
#[derive(Debug, PartialEq, Eq, Hash)]
enum KeyId {
    Text(String),
    Int(i64),
    FloatBits(u64),
    Null,
    Other(u8, String),
}

fn key_id(k: &Kind) -> KeyId {
    match k {
        Kind::Str(s) | Kind::Unsafe(s) => KeyId::Text(s.clone()),
        Kind::Null => KeyId::Null,
        Kind::Bool(b) => KeyId::Int(i64::from(*b)),
        Kind::Int(i) => KeyId::Int(*i),
        #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
        Kind::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e18 => KeyId::Int(*f as i64),
        Kind::Float(f) => KeyId::FloatBits(f.to_bits()),
        Kind::BigInt(s) => KeyId::Other(0, s.clone()),
        Kind::Timestamp(s) => KeyId::Other(1, s.clone()),
        Kind::Vault(s) => KeyId::Other(2, s.clone()),
        Kind::Seq(_) | Kind::Map(_) => KeyId::Other(3, String::new()),
    }
}

fn no_constructor(line: usize, tag: &str) -> YamlError {
    YamlError::at(
        line,
        format!("could not determine a constructor for the tag '{tag}'"),
    )
}

fn is_merge_key(k: &Raw) -> bool {
    match (&k.kind, k.tag.as_deref()) {
        (RawKind::Scalar { value, plain: true }, None) => value == "<<",
        (_, Some(t)) => t == "tag:yaml.org,2002:merge",
        _ => false,
    }
}

/// PyYAML's `flatten_mapping`: merged pairs first (earlier merge sources win), then
/// the mapping's own pairs.
/// Key/value pairs of a composed mapping.
type RawPairs = Vec<(Rc<Raw>, Rc<Raw>)>;

fn flatten(pairs: &[(Rc<Raw>, Rc<Raw>)], line: usize) -> Result<RawPairs, YamlError> {
    let mut merged = Vec::new();
    let mut own = Vec::new();
    for (k, v) in pairs {
        if !is_merge_key(k) {
            own.push((Rc::clone(k), Rc::clone(v)));
            continue;
        }
        match &v.kind {
            RawKind::Map(sub) => merged.extend(flatten(sub, v.line)?),
            RawKind::Seq(items) => {
                let mut subs = Vec::new();
                for item in items {
                    let RawKind::Map(sub) = &item.kind else {
                        return Err(YamlError::at(
                            item.line,
                            "while constructing a mapping: expected a mapping for merging",
                        ));
                    };
                    subs.push(flatten(sub, item.line)?);
                }
                for sub in subs.into_iter().rev() {
                    merged.extend(sub);
                }
            }
            RawKind::Scalar { .. } => {
                return Err(YamlError::at(
                    line,
                    "while constructing a mapping: expected a mapping or list of mappings for merging, but found scalar",
                ));
            }
        }
    }
    merged.extend(own);
    Ok(merged)
}

fn wrap_unsafe(node: Node) -> Node {
    let kind = match node.kind {
        Kind::Str(s) => Kind::Unsafe(s),
        Kind::Seq(items) => Kind::Seq(items.into_iter().map(wrap_unsafe).collect()),
        Kind::Map(pairs) => Kind::Map(
            pairs
                .into_iter()
                .map(|(k, v)| (wrap_unsafe(k), wrap_unsafe(v)))
                .collect(),
        ),
        other => other,
    };
    Node {
        line: node.line,
        kind,
    }
}

fn scalar(
    line: usize,
    tag: Option<&str>,
    value: &str,
    plain: bool,
    as_key: bool,
) -> Result<Kind, YamlError> {
    let err = |m: String| YamlError::at(line, m);
    let implicit = match tag {
        None if plain => resolve::resolve_plain(value),
        None | Some("!") => Implicit::Str,
        Some(t) => match t.strip_prefix(CORE) {
            Some("str") => Implicit::Str,
            Some("int") => Implicit::Int,
            Some("float") => Implicit::Float,
            Some("bool") => Implicit::Bool,
            Some("null") => Implicit::Null,
            Some("timestamp") => Implicit::Timestamp,
            Some("value") => Implicit::Value,
            Some("merge") => Implicit::Merge,
            Some("seq" | "map") => {
                return Err(err(format!(
                    "expected a {} node, but found scalar",
                    &t[CORE.len()..]
                )));
            }
            _ => match t {
                "!unsafe" => return Ok(Kind::Unsafe(value.to_owned())),
                "!vault" | "!vault-encrypted" => return Ok(Kind::Vault(value.to_owned())),
                _ => return Err(no_constructor(line, t)),
            },
        },
    };
    Ok(match implicit {
        Implicit::Null => Kind::Null,
        Implicit::Bool => Kind::Bool(resolve::construct_bool(value).map_err(err)?),
        Implicit::Int => match resolve::construct_int(value).map_err(err)? {
            Int::Small(i) => Kind::Int(i),
            Int::Big(s) => Kind::BigInt(s),
        },
        Implicit::Float => Kind::Float(resolve::construct_float(value).map_err(err)?),
        Implicit::Timestamp => Kind::Timestamp(resolve::construct_timestamp(value).map_err(err)?),
        Implicit::Str => Kind::Str(value.to_owned()),
        // `=` as a key is turned into a string by flatten_mapping; elsewhere it has no
        // constructor, exactly like `<<` outside a key.
        Implicit::Value if as_key => Kind::Str(value.to_owned()),
        Implicit::Value => return Err(no_constructor(line, "tag:yaml.org,2002:value")),
        Implicit::Merge => return Err(no_constructor(line, "tag:yaml.org,2002:merge")),
    })
}

fn construct(raw: &Raw, as_key: bool) -> Result<Node, YamlError> {
    let line = raw.line;
    let tag = raw.tag.as_deref();
    let kind = match &raw.kind {
        RawKind::Scalar { value, plain } => scalar(line, tag, value, *plain, as_key)?,
        RawKind::Seq(items) => {
            check_collection_tag(tag, "seq", line)?;
            Kind::Seq(
                items
                    .iter()
                    .map(|i| construct(i, false))
                    .collect::<Result<_, _>>()?,
            )
        }
        RawKind::Map(pairs) => {
            check_collection_tag(tag, "map", line)?;
            let mut out: Vec<(Node, Node)> = Vec::new();
            let mut seen: HashMap<KeyId, usize> = HashMap::new();
            for (k, v) in flatten(pairs, line)? {
                let key = construct(&k, true)?;
                if matches!(key.kind, Kind::Seq(_) | Kind::Map(_)) {
                    return Err(YamlError::at(
                        key.line,
                        format!(
                            "while constructing a mapping: found unacceptable key (unhashable type: '{}')",
                            key.type_name()
                        ),
                    ));
                }
                let value = construct(&v, false)?;
                let id = key_id(&key.kind);
                match seen.get(&id) {
                    Some(&i) => out[i].1 = value,
                    None => {
                        seen.insert(id, out.len());
                        out.push((key, value));
                    }
                }
            }
            Kind::Map(out)
        }
    };
    let node = Node { line, kind };
    Ok(if tag == Some("!unsafe") {
        wrap_unsafe(node)
    } else {
        node
    })
}

fn check_collection_tag(tag: Option<&str>, kind: &str, line: usize) -> Result<(), YamlError> {
    match tag {
        None | Some("!" | "!unsafe") => Ok(()),
        Some(t) if t.strip_prefix(CORE) == Some(kind) => Ok(()),
        Some("!vault" | "!vault-encrypted") => Err(YamlError::at(
            line,
            format!(
                "expected a scalar node, but found {}",
                if kind == "seq" { "sequence" } else { "mapping" }
            ),
        )),
        Some(t) => Err(no_constructor(line, t)),
    }
}

/// Load every document of a YAML stream as Ansible would, returning each document's
/// start line and root node.
pub(crate) fn load(text: &str) -> Result<Vec<(usize, Node)>, YamlError> {
    load_within(text, &mut Expansion::new("document"))
}

/// [`load`], charging the expansion to a budget shared with other texts.
pub(crate) fn load_within(
    text: &str,
    budget: &mut Expansion,
) -> Result<Vec<(usize, Node)>, YamlError> {
    compose(text, budget)?
        .iter()
        .map(|doc| Ok((doc.line, construct(&doc.root, false)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        let mut docs = load(text).expect("valid yaml");
        assert_eq!(docs.len(), 1, "{text:?}");
        docs.remove(0).1
    }

    fn val(text: &str) -> Value {
        one(text).to_value()
    }

    #[test]
    fn yaml11_scalars() {
        let v = val(
            "a: yes\nb: 'yes'\nc: 0o17\nd: 017\ne: 1e3\nf: 12:30\ng: ~\nh:\ni: 2001-12-14\nj: !!str 1\nk: !!int '7'\n",
        );
        let Value::Map(m) = v else { panic!("map") };
        assert_eq!(m.get("a"), Some(&Value::Bool(true)));
        assert_eq!(m.get("b"), Some(&Value::String("yes".into())));
        assert_eq!(m.get("c"), Some(&Value::String("0o17".into())));
        assert_eq!(m.get("d"), Some(&Value::Int(15)));
        assert_eq!(m.get("e"), Some(&Value::String("1e3".into())));
        assert_eq!(m.get("f"), Some(&Value::Int(750)));
        assert_eq!(m.get("g"), Some(&Value::Null));
        assert_eq!(m.get("h"), Some(&Value::Null));
        assert_eq!(m.get("i"), Some(&Value::String("2001-12-14".into())));
        assert_eq!(m.get("j"), Some(&Value::String("1".into())));
        assert_eq!(m.get("k"), Some(&Value::Int(7)));
    }

    #[test]
    fn merge_keys_and_duplicates() {
        let v = val(
            "base: &b {x: 1, y: 2}\nother: &o {y: 3, z: 4}\nm:\n  <<: [*b, *o]\n  x: 9\ndup: 1\ndup: 2\n",
        );
        let Value::Map(m) = v else { panic!("map") };
        let Some(Value::Map(merged)) = m.get("m") else {
            panic!("m")
        };
        assert_eq!(merged.get("x"), Some(&Value::Int(9)));
        assert_eq!(merged.get("y"), Some(&Value::Int(2)));
        assert_eq!(merged.get("z"), Some(&Value::Int(4)));
        assert_eq!(m.get("dup"), Some(&Value::Int(2)));
        let keys: Vec<_> = m.keys().cloned().collect();
        assert_eq!(keys, ["base", "other", "m", "dup"]);
    }

    #[test]
    fn python_key_equality() {
        let Value::Map(m) = val("1: a\n1.0: b\ntrue: c\n") else {
            panic!("map")
        };
        assert_eq!(m.len(), 1);
        assert_eq!(m.get("1"), Some(&Value::String("c".into())));
    }

    #[test]
    fn ansible_tags() {
        let Value::Map(m) = val(
            "a: !unsafe '{{ x }}'\nb: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162\nc: !unsafe [x, 1]\n",
        ) else {
            panic!("map")
        };
        assert_eq!(m.get("a"), Some(&Value::unsafe_string("{{ x }}")));
        assert_eq!(
            m.get("b"),
            Some(&Value::vault("$ANSIBLE_VAULT;1.1;AES256\n6162\n"))
        );
        assert_eq!(
            m.get("c"),
            Some(&Value::List(vec![Value::unsafe_string("x"), Value::Int(1)]))
        );
    }

    #[test]
    fn construction_errors_have_lines() {
        for (text, line) in [
            ("a: 1\nb: =\n", 2),
            ("a:\n  b: !foo x\n", 2),
            ("a: <<\n", 1),
            ("a:\n  <<: 1\n", 2),
            ("? [a]\n: 1\n", 1),
            ("a: 2001-13-01\n", 1),
            ("a: !!int x\n", 1),
            ("a: !vault [1]\n", 1),
            ("a: *nope\n", 1),
            ("a: [\n", 1),
        ] {
            let err = load(text).expect_err(text);
            assert_eq!(err.line, Some(line), "{text:?}: {err}");
        }
    }

    #[test]
    fn recursive_alias_and_bombs_are_rejected() {
        assert!(load("a: &a [*a]\n").is_err());
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..9 {
            let prev = i - 1;
            bomb.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
        }
        let err = load(&bomb).expect_err("bomb");
        assert!(
            err.message
                .contains("document expands to more than 200000 YAML nodes"),
            "{err}"
        );
        // Few nodes, many bytes: each alias of the string becomes its own copy.
        let copies = vec!["*s"; 500].join(", ");
        let text = format!("a: &s \"{}\"\nb: [{copies}]\n", "x".repeat(40_000));
        let err = load(&text).expect_err("string bomb");
        assert!(
            err.message
                .contains("more than 16777216 bytes of YAML scalars"),
            "{err}"
        );
    }

    #[test]
    fn a_shared_budget_adds_up_across_texts() {
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..5 {
            let prev = i - 1;
            bomb.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
        }
        assert!(load(&bomb).is_ok(), "one fan-out fits a document");
        let mut budget = Expansion::new("playbook");
        assert!(load_within(&bomb, &mut budget).is_ok());
        let err = load_within(&bomb, &mut budget).expect_err("two do not");
        assert!(
            err.message
                .starts_with("playbook expands to more than 200000 YAML nodes"),
            "{err}"
        );
    }

    #[test]
    fn documents_and_empty_input() {
        assert!(load("").expect("empty").is_empty());
        assert_eq!(load("# c\n").expect("comment").len(), 0);
        let docs = load("---\n").expect("one");
        assert_eq!(docs.len(), 1);
        assert!(docs[0].1.is_null());
        assert_eq!(load("a: 1\n---\nb: 2\n").expect("two").len(), 2);
    }
}
