//! Ansible inventories and playbooks as pure data.
//!
//! * [`inventory`] parses INI and YAML inventories the way `ansible-inventory` does
//!   (same hosts, group membership and effective variables), so the hub can show and
//!   test what Ansible would use without running Ansible.
//! * [`playbook`] validates single task snippets and renders a one-play playbook whose
//!   YAML means the same thing to Ansible's YAML 1.1 loader as it does to us.
//!
//! No I/O happens here.

pub mod catalog;
pub mod inventory;
pub mod playbook;
mod python;
mod value;
mod yaml;

pub use value::{Mapping, UNSAFE_KEY, VAULT_KEY, Value};

#[cfg(test)]
mod tests;
