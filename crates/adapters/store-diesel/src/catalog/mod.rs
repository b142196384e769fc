//! The Ansible catalogue (inventories, playbooks) on both backends.

mod error;
pub(crate) mod fold;
mod inventories;
mod playbooks;
mod search;
