//! Task snippets and one-play playbooks.
//!
//! Tasks are read with the same YAML 1.1 loader as inventories, so a task means to us
//! what it means to Ansible (`become: yes` is `true`, `mode: 0644` is 420, `ver: 1e3`
//! is a string). Rendering writes every string double-quoted with JSON-style escapes,
//! which every YAML 1.1 and 1.2 reader reads back as exactly that string, and writes
//! numbers, booleans and null in forms both read the same way — see [`render_playbook`].
//!
//! Size is bounded per playbook, not per task: [`PlaybookBudget`] holds all tasks and
//! main values of one playbook to one YAML expansion budget, and [`render_playbook`]
//! refuses to write more than [`MAX_RENDERED_BYTES`].

mod budget;
mod document;
mod emit;
mod error;
mod task;

pub use budget::{MAX_PLAYBOOK_NODES, MAX_PLAYBOOK_SCALAR_BYTES, PlaybookBudget};
pub use document::parse_document;
pub use emit::{MAX_RENDERED_BYTES, RenderTooLarge, render_playbook, render_task};
pub use error::PlaybookError;
pub use task::{TaskMapping, parse_task};
