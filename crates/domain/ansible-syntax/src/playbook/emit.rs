//! A tiny YAML emitter whose output reads back identically under YAML 1.1 (PyYAML,
//! i.e. Ansible) and YAML 1.2 (serde-saphyr) rules.
//!
//! The rule: every string is written double-quoted with JSON-style escapes, so `yes`,
//! `on`, `~`, `12:30`, `0o17`, `1e3`, `null` or `- x` can never be re-typed. Integers
//! are plain decimal; floats always carry a `.` (`1e20` becomes `100000000000000000000.0`,
//! because YAML 1.1 needs the dot) or are `.inf`/`-.inf`/`.nan`; booleans are
//! `true`/`false`; null is `null`. Mapping keys are plain only when they are simple
//! identifiers that no YAML reader types (`name`, `ansible.builtin.copy`), else quoted.
//! `!unsafe` and `!vault` values (our `{"__ansible_unsafe": …}` / `{"__ansible_vault": …}`
//! shapes) are written back with their tags.

use super::task::TaskMapping;
use crate::value::{Mapping, UNSAFE_KEY, VAULT_KEY, Value};
use crate::yaml::resolve::{Implicit, resolve_plain};

/// Double-quoted YAML scalar.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            // C0/C1 controls and DEL are not printable in YAML; U+0085 is a YAML 1.1
            // line break.
            c if (c as u32) < 0x20 || ('\u{7f}'..='\u{9f}').contains(&c) => {
                out.push_str(&format!("\\x{:02X}", c as u32));
            }
            // YAML 1.1 line/paragraph separators, the BOM and non-characters.
            '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}' => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A mapping key: plain when unambiguous, quoted otherwise.
pub(crate) fn key(k: &str) -> String {
    let simple = k
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        && !k.ends_with(['.', '-'])
        && resolve_plain(k) == Implicit::Str
        && !matches!(k, "y" | "Y" | "n" | "N");
    if simple { k.to_owned() } else { quote(k) }
}

fn float(x: f64) -> String {
    if x.is_nan() {
        return ".nan".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 {
            ".inf".to_owned()
        } else {
            "-.inf".to_owned()
        };
    }
    let s = format!("{x}");
    if s.contains('.') { s } else { format!("{s}.0") }
}

fn tagged(m: &Mapping) -> Option<String> {
    if m.len() != 1 {
        return None;
    }
    if let Some(Value::String(s)) = m.get(UNSAFE_KEY) {
        return Some(format!("!unsafe {}", quote(s)));
    }
    if let Some(Value::String(s)) = m.get(VAULT_KEY) {
        return Some(format!("!vault {}", quote(s)));
    }
    None
}

/// The one-line form of scalars, empty collections and tagged strings.
fn inline(v: &Value) -> Option<String> {
    Some(match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(x) => float(*x),
        Value::String(s) => quote(s),
        Value::List(items) if items.is_empty() => "[]".to_owned(),
        Value::Map(m) if m.is_empty() => "{}".to_owned(),
        Value::Map(m) => return tagged(m),
        Value::List(_) => return None,
    })
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// After `key:` at `indent`.
fn value_after_key(out: &mut String, v: &Value, indent: usize) {
    match inline(v) {
        Some(s) => {
            out.push(' ');
            out.push_str(&s);
            out.push('\n');
        }
        None => {
            out.push('\n');
            block(out, v, indent + 2);
        }
    }
}

/// Mapping entries at `indent`; the first line's indentation may already be written
/// (after `- `).
fn map_entries<'a>(
    out: &mut String,
    entries: impl Iterator<Item = (&'a String, &'a Value)>,
    indent: usize,
    first_done: bool,
) {
    for (i, (k, v)) in entries.enumerate() {
        if i > 0 || !first_done {
            pad(out, indent);
        }
        out.push_str(&key(k));
        out.push(':');
        value_after_key(out, v, indent);
    }
}

fn list_item(out: &mut String, item: &Value, indent: usize) {
    pad(out, indent);
    out.push('-');
    match (inline(item), item) {
        (Some(s), _) => {
            out.push(' ');
            out.push_str(&s);
            out.push('\n');
        }
        (None, Value::Map(m)) => {
            out.push(' ');
            map_entries(out, m.iter(), indent + 2, true);
        }
        (None, other) => {
            out.push('\n');
            block(out, other, indent + 2);
        }
    }
}

/// A non-empty, untagged collection in block style.
fn block(out: &mut String, v: &Value, indent: usize) {
    match v {
        Value::Map(m) => map_entries(out, m.iter(), indent, false),
        Value::List(items) => items.iter().for_each(|i| list_item(out, i, indent)),
        scalar => {
            pad(out, indent);
            out.push_str(&inline(scalar).unwrap_or_default());
            out.push('\n');
        }
    }
}

/// Render one play: `name`, `hosts`, `gather_facts`, then `extra_main` in the given
/// order, then `tasks` in order.
///
/// `extra_main` entries named `name`, `hosts`, `gather_facts` or `tasks`, and repeats of
/// an earlier extra key, are skipped (first wins) so the play never has duplicate keys.
#[must_use]
pub fn render_playbook(
    name: &str,
    hosts: &str,
    gather_facts: bool,
    extra_main: &[(String, Value)],
    tasks: &[TaskMapping],
) -> String {
    let mut out = String::from("---\n");
    out.push_str(&format!("- name: {}\n", quote(name)));
    out.push_str(&format!("  hosts: {}\n", quote(hosts)));
    out.push_str(&format!("  gather_facts: {gather_facts}\n"));
    let mut seen: Vec<&str> = vec!["name", "hosts", "gather_facts", "tasks"];
    for (k, v) in extra_main {
        if seen.contains(&k.as_str()) {
            continue;
        }
        seen.push(k);
        pad(&mut out, 2);
        out.push_str(&key(k));
        out.push(':');
        value_after_key(&mut out, v, 2);
    }
    if tasks.is_empty() {
        out.push_str("  tasks: []\n");
        return out;
    }
    out.push_str("  tasks:\n");
    for task in tasks {
        list_item(&mut out, &Value::Map(task.entries().clone()), 4);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quote("yes"), "\"yes\"");
        assert_eq!(quote("a\"b\\c\nd\te"), r#""a\"b\\c\nd\te""#);
        assert_eq!(quote("\u{7}\u{85}\u{2028}é"), "\"\\x07\\x85\\u2028é\"");
    }

    #[test]
    fn keys() {
        assert_eq!(key("name"), "name");
        assert_eq!(key("ansible.builtin.copy"), "ansible.builtin.copy");
        assert_eq!(key("become_user"), "become_user");
        for k in [
            "yes", "on", "y", "N", "null", "true", "12:30", "1e3", "a b", "", "-x", "x:", "é",
            "<<", "=",
        ] {
            assert!(key(k).starts_with('"'), "{k:?}");
        }
    }

    #[test]
    fn floats_keep_a_dot() {
        assert_eq!(float(1.0), "1.0");
        assert_eq!(float(1.5), "1.5");
        assert_eq!(float(1e20), "100000000000000000000.0");
        assert_eq!(float(-0.0), "-0.0");
        assert_eq!(float(1e-7), "0.0000001");
        assert_eq!(float(f64::NEG_INFINITY), "-.inf");
    }

    #[test]
    fn layout() {
        let mut t = Mapping::new();
        t.insert("name".into(), Value::String("x".into()));
        t.insert(
            "shell".into(),
            Value::Map(
                [("cmd".to_owned(), Value::String("ls".into()))]
                    .into_iter()
                    .collect(),
            ),
        );
        t.insert(
            "loop".into(),
            Value::List(vec![
                Value::Int(1),
                Value::List(vec![Value::Null]),
                Value::Map(Mapping::new()),
            ]),
        );
        let out = render_playbook(
            "p",
            "all",
            false,
            &[
                ("become".into(), Value::Bool(true)),
                ("name".into(), Value::Null),
            ],
            &[t.into()],
        );
        let want = "---\n- name: \"p\"\n  hosts: \"all\"\n  gather_facts: false\n  become: true\n  tasks:\n    - name: \"x\"\n      shell:\n        cmd: \"ls\"\n      loop:\n        - 1\n        -\n          - null\n        - {}\n";
        assert_eq!(out, want);
        assert!(render_playbook("p", "all", true, &[], &[]).ends_with("  tasks: []\n"));
    }
}
