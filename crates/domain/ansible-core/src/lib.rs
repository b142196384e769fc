//! The Ansible area's core: the [`catalog`] of inventories and playbooks as the hub
//! stores them, and the [`jobs`] that run playbooks from it; their ports and use cases.
//!
//! Reading and writing Ansible's own text (inventory parsing, task snippets, playbook
//! rendering) is `ansible-syntax`'s; this crate builds on it so that jobs and
//! connectivity can join the catalogue here without mixing with the parsers.
//!
//! No I/O happens here: running ansible-playbook is an adapter's, behind
//! [`jobs::PlaybookRunner`], and logging in to hosts is one's, behind
//! [`connectivity::ConnectivityProbe`].

pub mod catalog;
pub mod connectivity;
pub mod jobs;
