//! The Ansible catalogue (inventories, playbooks) on both backends.

mod error;
mod inventories;
mod playbooks;
mod search;
