//! Jobs: playbooks run in order against one inventory, through a durable queue, cancelable,
//! with live output, each exactly once.
//!
//! The model and its rules are here ([`Job`] and its lifecycle, what a recap means, the
//! output cap); the ports say what a queue store and a playbook runner must do; the
//! [`JobService`] runs a job from claim to end. Adapters (the SQL queue, the ansible-playbook
//! process) live elsewhere; the `memory` feature brings a store and a scripted runner.

mod error;
mod extra_vars;
mod id;
mod job;
mod output;
mod ports;
mod recap;
mod request;
mod service;
mod snapshot;
mod status;
mod view;
mod wakeup;

#[cfg(feature = "memory")]
pub mod memory;

#[cfg(feature = "contract")]
pub mod contract;

pub use error::{JobError, JobStoreError};
pub use extra_vars::{ExtraVars, MAX_EXTRA_VARS_BYTES};
pub use id::{JobId, WorkerId};
pub use job::{CancelEffect, Job, Lease, NewJob, Notice, PlaybookRun};
pub use output::{
    Appended, OutputChunk, OutputRead, admit, ends_line, notice_line, truncation_marker,
};
pub use ports::{
    CancelToken, Clock, JobQuery, JobRepository, JobStore, OutputSink, PlaybookRunner, PreparedRun,
    Renewal, RunFailure, SystemClock,
};
pub use recap::{
    HostStats, HostStatsByHost, JobEnd, PlaybookResult, SERVER_STOPPED, catalog_status,
};
pub use request::{ExecuteRequest, Inventories, MAX_PLAYBOOKS_PER_JOB, only_inventory};
pub use service::{JobService, JobSettings, ReapReport, RunEnd, RunReport};
pub use snapshot::{JobSnapshot, PlaybookSnapshot};
pub use status::{IllegalTransition, JobStatus, PlaybookRunStatus};
pub use view::{JobDetail, JobSummary, OUTPUT_TAIL_BYTES, OutputTail};
pub use wakeup::Wakeup;

/// The job store contract on the in-memory store.
#[cfg(all(test, feature = "contract"))]
mod memory_contract {
    crate::jobs_contract_tests!(((), super::memory::MemoryJobs::new()));
}
