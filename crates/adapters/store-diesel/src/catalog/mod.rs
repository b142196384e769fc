//! The Ansible catalogue (inventories, playbooks) on both backends.

mod inventories;
mod playbooks;
mod search;
