//! HTTP tests of the whole application, each on SQLite and on PostgreSQL with a store of its
//! own. One test binary for the crate; one module per concern.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod ai_support;
mod prom_text;
mod support;

mod ai_conversations;
mod ai_failures;
mod ai_messages;
mod ai_model_pool;
mod ai_suggestions;

mod ansible_inventories;
mod ansible_job_behaviour;
mod ansible_job_bounds;
mod ansible_job_runs;
mod ansible_job_ssh;
mod ansible_jobs;
mod ansible_playbooks;
mod auth_and_plumbing;
mod capacity;
mod contract;
mod crud;
mod docs_browser;
mod errors;
mod group_bound;
mod hardening;
mod legacy_sums;
mod list_params;
mod lists;
mod metrics;
mod outage;
mod references;
mod seed_required;
mod ssh_limits;
mod ssh_test;
