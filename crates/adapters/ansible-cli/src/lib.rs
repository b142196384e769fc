//! The playbook runner port ([`ansible_core::jobs::PlaybookRunner`]) on the
//! `ansible-playbook` process. Nothing else in the hub knows how Ansible is started.
//!
//! A run gets a directory of its own (0700, files 0600) holding the inventory, the playbook,
//! the extra variables and a small callback plugin that writes the recap as JSON; the
//! program starts without a shell, in a process group of its own, with an environment
//! built from scratch; its output is decoded and batched onto the sink; a cancel or a
//! timeout kills the whole group and reaps it before the run returns. Every process of a
//! run carries its job's id in its environment, so that what a server killed outright left
//! behind is found and ended by the next server on the machine (`strays`).

mod command;
mod config;
mod extra_vars;
mod job_dir;
mod output;
mod plugin_check;
mod process_group;
mod recap;
mod runner;
mod strays;
mod syntax_check;
mod watch;

pub use config::AnsibleCliConfig;
pub use plugin_check::check_job_run;
pub use runner::AnsiblePlaybookRunner;
pub use syntax_check::AnsibleSyntaxCheck;

#[cfg(test)]
mod tests;
