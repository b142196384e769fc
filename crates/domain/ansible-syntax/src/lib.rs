//! Ansible-compatible text as pure data, proven against Ansible itself.
//!
//! * [`inventory`] parses INI and YAML inventories the way `ansible-inventory` does
//!   (same hosts, group membership and effective variables), so the hub can show and
//!   test what Ansible would use without running Ansible.
//! * [`playbook`] validates single task snippets and renders a one-play playbook whose
//!   YAML means the same thing to Ansible's YAML 1.1 loader as it does to us.
//!
//! Underneath sit faithful re-implementations of the Python and PyYAML behaviours those depend on
//! (literals, `shlex`, YAML 1.1 resolution). No I/O happens here; the catalogue that
//! stores inventories and playbooks is `ansible-core`'s.

pub mod inventory;
pub mod playbook;
mod python;
mod value;
mod value_serde;
mod yaml;

pub use value::{Mapping, UNSAFE_KEY, VAULT_KEY, Value};

#[cfg(test)]
mod tests;
