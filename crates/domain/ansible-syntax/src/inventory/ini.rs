//! The INI inventory format, ported from Ansible's `ini` inventory plugin.
//!
//! Behaviour worth knowing (all verified against `ansible-inventory`):
//! * lines before any section header are hosts of `ungrouped`;
//! * host lines are split with `shlex` (quotes removed, `#` starts a comment even
//!   inside a word) and every `key=value` value — in host lines and in `[g:vars]` —
//!   goes through Python's `ast.literal_eval`: `1` is an int, `True` a bool, `'a b'` a
//!   string, `yes` stays the string `yes`;
//! * `[g:vars]` lines are split at the first `=` without `shlex`, so `x=foo # c` is the
//!   string `foo # c` while `x=1 # c` is the int 1 (Python ignores the comment);
//! * a `[g:children]` entry or a `[g:vars]` section naming a group that is never
//!   declared by a `[g]` or `[g:children]` header is an error (reported at the end,
//!   with the line of the first reference).

use std::collections::BTreeMap;

use super::error::InventoryError;
use super::hostpattern;
use super::model::Builder;
use crate::python::literal::parse_value;
use crate::python::shlex;
use crate::python::text::{is_space, is_word, splitlines, strip};
use crate::value::{Mapping, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Hosts,
    Children,
    Vars,
}

/// A group referenced before it was declared (Ansible's `pending_declarations`).
#[derive(Debug)]
struct Pending {
    /// Insertion order: the first unresolved one is reported.
    seq: usize,
    line: usize,
    state: State,
    parents: Vec<String>,
}

/// `^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:\#.*)?$`
fn match_section(line: &str) -> Option<(&str, Option<&str>)> {
    let rest = line.strip_prefix('[')?;
    let name_len = rest
        .find(|c: char| c == ':' || c == ']' || is_space(c))
        .unwrap_or(rest.len());
    if name_len == 0 {
        return None;
    }
    let name = &rest[..name_len];
    let mut r = &rest[name_len..];
    let mut state = None;
    if let Some(after) = r.strip_prefix(':') {
        let word_len = after.find(|c: char| !is_word(c)).unwrap_or(after.len());
        if word_len == 0 {
            return None;
        }
        state = Some(&after[..word_len]);
        r = &after[word_len..];
    }
    let r = r.strip_prefix(']')?.trim_start_matches(is_space);
    (r.is_empty() || r.starts_with('#')).then_some((name, state))
}

/// `^([^:\]\s]+)\s*(?:\#.*)?$`, including the regex's backtracking onto a `#` that is
/// part of the name run (`foo#x bar` is the group `foo`).
fn match_group_name(line: &str) -> Option<&str> {
    let run_len = line
        .find(|c: char| c == ':' || c == ']' || is_space(c))
        .unwrap_or(line.len());
    let tail_ok = |r: &str| {
        let r = r.trim_start_matches(is_space);
        r.is_empty() || r.starts_with('#')
    };
    if run_len > 0 && tail_ok(&line[run_len..]) {
        return Some(&line[..run_len]);
    }
    line[..run_len]
        .char_indices()
        .rev()
        .find(|(i, c)| *i > 0 && *c == '#')
        .map(|(i, _)| &line[..i])
}

struct IniParser {
    b: Builder,
    pending: BTreeMap<String, Pending>,
    seq: usize,
    line: usize,
}

impl IniParser {
    fn err(&self, message: impl Into<String>) -> InventoryError {
        InventoryError::at(self.line, message)
    }

    fn add_pending(&mut self, name: &str, state: State, parents: Vec<String>) {
        self.seq += 1;
        let decl = Pending {
            seq: self.seq,
            line: self.line,
            state,
            parents,
        };
        self.pending.insert(name.to_owned(), decl);
    }

    fn section(
        &mut self,
        name: &str,
        state: Option<&str>,
    ) -> Result<(String, State), InventoryError> {
        let state = match state.unwrap_or("hosts") {
            "hosts" => State::Hosts,
            "children" => State::Children,
            "vars" => State::Vars,
            other => {
                return Err(self.err(format!(
                    "Section [{name}:{other}] has unknown type: {other}"
                )));
            }
        };
        if !self.b.has_group(name) {
            if state == State::Vars && !self.pending.contains_key(name) {
                self.add_pending(name, state, Vec::new());
            }
            self.b.add_group(name).map_err(|m| self.err(m))?;
        }
        if state != State::Vars
            && let Some(decl) = self.pending.get(name)
        {
            match decl.state {
                State::Children => self.add_pending_children(name, 0)?,
                _ => {
                    self.pending.remove(name);
                }
            }
        }
        Ok((name.to_owned(), state))
    }

    fn add_pending_children(&mut self, group: &str, depth: usize) -> Result<(), InventoryError> {
        let Some(decl) = self.pending.get(group) else {
            return Ok(());
        };
        for parent in decl.parents.clone() {
            self.b.add_child(&parent, group).map_err(|m| self.err(m))?;
            let parent_pending = self
                .pending
                .get(&parent)
                .is_some_and(|d| d.state == State::Children);
            if parent_pending && depth < 64 {
                self.add_pending_children(&parent, depth + 1)?;
            }
        }
        self.pending.remove(group);
        Ok(())
    }

    fn host_line(&mut self, line: &str, group: &str) -> Result<(), InventoryError> {
        let tokens = shlex::split(line).map_err(|e| {
            self.err(format!(
                "Error parsing host definition '{line}': {}",
                e.message()
            ))
        })?;
        let Some(pattern) = tokens.first() else {
            return Err(self.err("list index out of range"));
        };
        let (hosts, port) = hostpattern::expand(pattern).map_err(|m| self.err(m))?;
        if strip(pattern).ends_with(':') && port.is_none() {
            return Err(self.err(format!(
                "Invalid host pattern '{pattern}' supplied, ending in ':' is not allowed, this character is reserved to provide a port."
            )));
        }
        if hosts.iter().any(|h| strip(h) == "---") {
            return Err(self.err(format!(
                "Invalid host pattern '{pattern}' supplied, '---' is normally a sign this is a YAML file."
            )));
        }
        let mut vars = Mapping::new();
        for token in &tokens[1..] {
            let Some((k, v)) = token.split_once('=') else {
                return Err(self.err(format!(
                    "Expected key=value host variable assignment, got: {token}"
                )));
            };
            vars.insert(k.to_owned(), self.value(v)?);
        }
        for host in &hosts {
            self.b
                .add_host(host, group, port.as_deref())
                .map_err(|m| self.err(m))?;
            for (k, v) in vars.iter() {
                self.b.set_variable(host, k, v).map_err(|m| self.err(m))?;
            }
        }
        Ok(())
    }

    fn value(&self, raw: &str) -> Result<Value, InventoryError> {
        parse_value(raw).map_err(|e| self.err(format!("unhashable type: '{}'", e.0)))
    }

    fn vars_line(&mut self, line: &str, group: &str) -> Result<(), InventoryError> {
        let Some((k, v)) = line.split_once('=') else {
            return Err(self.err(format!("Expected key=value, got: {line}")));
        };
        let value = self.value(strip(v))?;
        self.b
            .set_variable(group, strip(k), &value)
            .map_err(|m| self.err(m))
    }

    fn children_line(&mut self, line: &str, group: &str) -> Result<(), InventoryError> {
        let Some(child) = match_group_name(line) else {
            return Err(self.err(format!("Expected group name, got: {line}")));
        };
        if self.b.has_group(child) {
            return self.b.add_child(group, child).map_err(|m| self.err(m));
        }
        match self.pending.get_mut(child) {
            Some(decl) => decl.parents.push(group.to_owned()),
            None => self.add_pending(child, State::Children, vec![group.to_owned()]),
        }
        Ok(())
    }
}

/// Parse an INI inventory into a builder (not yet reconciled).
pub(crate) fn parse(text: &str) -> Result<Builder, InventoryError> {
    let mut p = IniParser {
        b: Builder::new(),
        pending: BTreeMap::new(),
        seq: 0,
        line: 0,
    };
    let mut group = "ungrouped".to_owned();
    let mut state = State::Hosts;
    for (index, raw) in splitlines(text).into_iter().enumerate() {
        p.line = index + 1;
        let line = strip(raw);
        if line.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if let Some((name, st)) = match_section(line) {
            (group, state) = p.section(name, st)?;
            continue;
        }
        if line.starts_with('[') && line.ends_with(']') {
            return Err(p.err(format!(
                "Invalid section entry: '{line}'. Please make sure that there are no spaces in the section entry, and that there are no other invalid characters"
            )));
        }
        match state {
            State::Hosts => p.host_line(line, &group)?,
            State::Vars => p.vars_line(line, &group)?,
            State::Children => p.children_line(line, &group)?,
        }
    }
    if let Some((name, decl)) = p.pending.iter().min_by_key(|(_, d)| d.seq) {
        return Err(match decl.state {
            State::Vars => InventoryError::at(
                decl.line,
                format!("Section [{name}:vars] not valid for undefined group: {name}"),
            ),
            _ => InventoryError::at(
                decl.line,
                format!(
                    "Section [{}:children] includes undefined group: {}",
                    decl.parents.last().map_or("", String::as_str),
                    name
                ),
            ),
        });
    }
    Ok(p.b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_headers() {
        assert_eq!(match_section("[web]"), Some(("web", None)));
        assert_eq!(
            match_section("[web:vars]  # c"),
            Some(("web", Some("vars")))
        );
        assert_eq!(match_section("[[web]"), Some(("[web", None)));
        assert_eq!(match_section("[web:]"), None);
        assert_eq!(match_section("[web :vars]"), None);
        assert_eq!(match_section("[web] ; c"), None);
        assert_eq!(match_section("[]"), None);
        assert_eq!(match_section("[web:x-y]"), None);
    }

    #[test]
    fn group_name_lines() {
        assert_eq!(match_group_name("web"), Some("web"));
        assert_eq!(match_group_name("web  # c"), Some("web"));
        assert_eq!(match_group_name("web#x"), Some("web#x"));
        assert_eq!(match_group_name("web#x y"), Some("web"));
        assert_eq!(match_group_name("a#b:c"), Some("a"));
        assert_eq!(match_group_name("web db"), None);
        assert_eq!(match_group_name("web:x"), None);
    }
}
