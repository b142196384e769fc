//! One expansion budget for a whole playbook.
//!
//! Each task snippet is a YAML document, and one document may expand (through aliases)
//! to [`MAX_PLAYBOOK_NODES`] nodes. Checked per task, forty tasks of ~300 bytes each
//! expanded to 4.4 million nodes and rendered to 124 MB on every read. Charging every
//! task and every main value of a playbook to one budget keeps the whole playbook
//! within what one document may be.

use super::error::PlaybookError;
use super::task::{TaskMapping, task_from_docs};
use crate::value::Value;
use crate::yaml::{Expansion, MAX_NODES, MAX_SCALAR_BYTES, YamlError, load_within};

/// YAML nodes one playbook may expand to, over all its tasks and main values, aliases
/// counted at their full size. Real tasks are tens of nodes: 200 of them use a few
/// percent of it.
pub const MAX_PLAYBOOK_NODES: usize = MAX_NODES;

/// Bytes of YAML scalars one playbook may expand to, counted like
/// [`MAX_PLAYBOOK_NODES`].
pub const MAX_PLAYBOOK_SCALAR_BYTES: usize = MAX_SCALAR_BYTES;

/// Parses the tasks of one playbook, and counts its main values, against one shared
/// expansion budget.
#[derive(Debug, Clone)]
pub struct PlaybookBudget {
    expansion: Expansion,
}

impl Default for PlaybookBudget {
    fn default() -> Self {
        Self::new()
    }
}

impl PlaybookBudget {
    /// A fresh budget for one playbook.
    #[must_use]
    pub fn new() -> Self {
        Self {
            expansion: Expansion::new("playbook (all its tasks and main values together)"),
        }
    }

    /// [`super::parse_task`], charging the task's expansion to this playbook.
    pub fn parse_task(
        &mut self,
        index: usize,
        content: &str,
    ) -> Result<TaskMapping, PlaybookError> {
        let docs = load_within(content, &mut self.expansion).map_err(|e| PlaybookError {
            task: index,
            line: e.line,
            message: e.message,
        })?;
        task_from_docs(index, &docs)
    }

    /// Charges one main (play-level) value. They arrive already built, so this only
    /// counts them; the message is the cap's.
    pub fn charge_value(&mut self, value: &Value) -> Result<(), String> {
        let (nodes, bytes) = size(value);
        self.expansion
            .charge(nodes, bytes, None)
            .map_err(|e: YamlError| e.message)
    }
}

/// Nodes and scalar bytes of a value, counted the way the YAML loader counts them.
fn size(value: &Value) -> (usize, usize) {
    match value {
        Value::String(s) => (1, s.len()),
        Value::List(items) => items.iter().map(size).fold((1, 0), add),
        Value::Map(m) => m
            .iter()
            .map(|(k, v)| add((1, k.len()), size(v)))
            .fold((1, 0), add),
        Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) => (1, 0),
    }
}

fn add(a: (usize, usize), b: (usize, usize)) -> (usize, usize) {
    (a.0.saturating_add(b.0), a.1.saturating_add(b.1))
}
