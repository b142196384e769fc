//! Task snippets and one-play playbooks.
//!
//! Tasks are read with the same YAML 1.1 loader as inventories, so a task means to us
//! what it means to Ansible (`become: yes` is `true`, `mode: 0644` is 420, `ver: 1e3`
//! is a string). Rendering writes every string double-quoted with JSON-style escapes,
//! which every YAML 1.1 and 1.2 reader reads back as exactly that string, and writes
//! numbers, booleans and null in forms both read the same way — see [`render_playbook`].

mod emit;
mod error;
mod task;

pub use emit::render_playbook;
pub use error::PlaybookError;
pub use task::{TaskMapping, parse_task};
