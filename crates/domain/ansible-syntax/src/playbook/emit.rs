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

use std::fmt;

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

/// Upper bound on a rendered playbook. Without aliases a playbook's text grows at
/// most with its nesting (each level one indentation step), yet a few hundred bytes of
/// nested flow lists render to tens of KB; 4 MiB is four request bodies' worth.
pub const MAX_RENDERED_BYTES: usize = 4 * 1024 * 1024;

/// A rendered playbook would be larger than [`MAX_RENDERED_BYTES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderTooLarge;

impl fmt::Display for RenderTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the rendered playbook would be larger than {MAX_RENDERED_BYTES} bytes"
        )
    }
}

impl std::error::Error for RenderTooLarge {}

/// The output so far; every write checks the size, so rendering stops within one
/// scalar of the cap instead of building the whole text first.
struct Emitter {
    out: String,
}

type Emitted = Result<(), RenderTooLarge>;

impl Emitter {
    fn push(&mut self, s: &str) -> Emitted {
        self.out.push_str(s);
        if self.out.len() > MAX_RENDERED_BYTES {
            return Err(RenderTooLarge);
        }
        Ok(())
    }

    fn pad(&mut self, indent: usize) -> Emitted {
        if self.out.len().saturating_add(indent) > MAX_RENDERED_BYTES {
            return Err(RenderTooLarge);
        }
        self.out.extend(std::iter::repeat_n(' ', indent));
        Ok(())
    }

    /// After `key:` at `indent`.
    fn value_after_key(&mut self, v: &Value, indent: usize) -> Emitted {
        match inline(v) {
            Some(s) => {
                self.push(" ")?;
                self.push(&s)?;
                self.push("\n")
            }
            None => {
                self.push("\n")?;
                self.block(v, indent + 2)
            }
        }
    }

    /// Mapping entries at `indent`; the first line's indentation may already be
    /// written (after `- `).
    fn map_entries<'a>(
        &mut self,
        entries: impl Iterator<Item = (&'a String, &'a Value)>,
        indent: usize,
        first_done: bool,
    ) -> Emitted {
        for (i, (k, v)) in entries.enumerate() {
            if i > 0 || !first_done {
                self.pad(indent)?;
            }
            self.push(&key(k))?;
            self.push(":")?;
            self.value_after_key(v, indent)?;
        }
        Ok(())
    }

    fn list_item(&mut self, item: &Value, indent: usize) -> Emitted {
        self.pad(indent)?;
        self.push("-")?;
        match (inline(item), item) {
            (Some(s), _) => {
                self.push(" ")?;
                self.push(&s)?;
                self.push("\n")
            }
            (None, Value::Map(m)) => {
                self.push(" ")?;
                self.map_entries(m.iter(), indent + 2, true)
            }
            (None, other) => {
                self.push("\n")?;
                self.block(other, indent + 2)
            }
        }
    }

    /// A non-empty, untagged collection in block style.
    fn block(&mut self, v: &Value, indent: usize) -> Emitted {
        match v {
            Value::Map(m) => self.map_entries(m.iter(), indent, false),
            Value::List(items) => items.iter().try_for_each(|i| self.list_item(i, indent)),
            scalar => {
                self.pad(indent)?;
                self.push(&inline(scalar).unwrap_or_default())?;
                self.push("\n")
            }
        }
    }

    fn play(
        &mut self,
        name: &str,
        hosts: &str,
        gather_facts: bool,
        extra_main: &[(String, Value)],
        tasks: &[TaskMapping],
    ) -> Emitted {
        self.push("---\n")?;
        self.push(&format!("- name: {}\n", quote(name)))?;
        self.push(&format!("  hosts: {}\n", quote(hosts)))?;
        self.push(&format!("  gather_facts: {gather_facts}\n"))?;
        let mut seen: Vec<&str> = vec!["name", "hosts", "gather_facts", "tasks"];
        for (k, v) in extra_main {
            if seen.contains(&k.as_str()) {
                continue;
            }
            seen.push(k);
            self.pad(2)?;
            self.push(&key(k))?;
            self.push(":")?;
            self.value_after_key(v, 2)?;
        }
        if tasks.is_empty() {
            return self.push("  tasks: []\n");
        }
        self.push("  tasks:\n")?;
        tasks
            .iter()
            .try_for_each(|t| self.list_item(&Value::Map(t.entries().clone()), 4))
    }
}

/// Render one play: `name`, `hosts`, `gather_facts`, then `extra_main` in the given
/// order, then `tasks` in order.
///
/// `extra_main` entries named `name`, `hosts`, `gather_facts` or `tasks`, and repeats of
/// an earlier extra key, are skipped (first wins) so the play never has duplicate keys.
///
/// Fails once the text passes [`MAX_RENDERED_BYTES`], so no stored playbook can make
/// a read build an arbitrarily large text.
pub fn render_playbook(
    name: &str,
    hosts: &str,
    gather_facts: bool,
    extra_main: &[(String, Value)],
    tasks: &[TaskMapping],
) -> Result<String, RenderTooLarge> {
    let mut e = Emitter { out: String::new() };
    e.play(name, hosts, gather_facts, extra_main, tasks)?;
    Ok(e.out)
}

/// Render one task as a snippet: its entries as a block mapping at the left margin, the
/// form [`super::parse_task`] reads back to the same task (as the catalogue stores tasks).
pub fn render_task(task: &TaskMapping) -> Result<String, RenderTooLarge> {
    let mut e = Emitter { out: String::new() };
    e.map_entries(task.entries().iter(), 0, false)?;
    Ok(e.out)
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
        assert_eq!(out.as_deref(), Ok(want));
        let empty = render_playbook("p", "all", true, &[], &[]);
        assert!(empty.is_ok_and(|t| t.ends_with("  tasks: []\n")));
    }

    #[test]
    fn rendering_stops_at_the_cap() {
        let line = Value::String("x".repeat(1000));
        let task = |n: usize| {
            let mut m = Mapping::new();
            m.insert("debug".into(), Value::List(vec![line.clone(); n]));
            TaskMapping::new(m)
        };
        // Each item renders as 1,000 bytes plus `        - ""` and a newline.
        let fits = MAX_RENDERED_BYTES / 1013 - 1;
        let ok = render_playbook("p", "all", false, &[], &[task(fits)]);
        assert!(ok.is_ok_and(|t| t.len() <= MAX_RENDERED_BYTES));
        let e = render_playbook("p", "all", false, &[], &[task(fits), task(fits)]);
        assert_eq!(e, Err(RenderTooLarge));
        assert_eq!(
            RenderTooLarge.to_string(),
            "the rendered playbook would be larger than 4194304 bytes"
        );
    }
}
