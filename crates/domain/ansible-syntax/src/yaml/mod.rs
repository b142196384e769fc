//! A YAML loader that behaves like Ansible's (PyYAML `SafeLoader` plus Ansible's
//! `!unsafe`/`!vault` tags), built on the event parser serde-saphyr ships
//! (`serde_saphyr::granit_parser`). We need the event level because serde-saphyr's
//! typed deserialisation follows YAML 1.2 scalar rules and loses source lines, while
//! Ansible reads YAML 1.1 and we want errors that point at a line.

mod compose;
mod construct;
pub(crate) mod resolve;

pub(crate) use compose::{Expansion, MAX_NODES, MAX_SCALAR_BYTES};
pub(crate) use construct::{Kind, Node, load, load_within};

use std::fmt;

/// A YAML syntax or construction error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct YamlError {
    /// 1-based line, when known.
    pub(crate) line: Option<usize>,
    /// What went wrong.
    pub(crate) message: String,
}

impl YamlError {
    pub(crate) fn at(line: usize, message: impl Into<String>) -> Self {
        Self {
            line: Some(line),
            message: message.into(),
        }
    }
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}
