//! SSH connectivity tests (DESIGN §3.5): which hosts of an inventory answer, which refuse,
//! which time out, and why.
//!
//! The [`ConnectivityProbe`] I/O port logs in to one host; the [`ProbeExecutor`] port runs a
//! request's probes concurrently on threads the application owns, fairly between requests,
//! within the request's deadline ([`TestLimits`]) and until it is canceled ([`CancelFlag`]);
//! the
//! [`KnownHostRepository`] keeps the host keys trusted on first use. The
//! [`ConnectivityService`] expands inventories into hosts (the parser's effective
//! variables), runs the probes, trusts new keys, and folds host results into each
//! inventory's `status` / `sshStatus`, recorded through
//! [`SshTestRecorder`](crate::catalog::SshTestRecorder). [`render_known_hosts`] writes the
//! trusted keys as an OpenSSH known_hosts file.

mod error;
mod executor;
mod host_key;
mod ports;
mod probe;
mod report;
mod service;
mod targets;

#[cfg(feature = "memory")]
pub mod memory;

#[cfg(feature = "contract")]
pub mod contract;

#[cfg(test)]
mod limits_tests;
#[cfg(test)]
mod service_tests;

pub use error::ConnectivityError;
pub use executor::{
    CancelFlag, ProbeBatch, ProbeExecutor, ProbeTask, TaskResult, TestLimits, Unprobed,
};
pub use host_key::{
    HostKey, KnownHost, KnownHostId, NewKnownHost, known_hosts_name, render_known_hosts,
};
pub use ports::KnownHostRepository;
pub use probe::{ConnectivityProbe, Credentials, ProbeFailure, ProbeOutcome, ProbeTarget};
pub use report::{HostReport, InventoryReport, fold};
pub use service::{ConnectivityService, ConnectivityTests};
pub use targets::{Plan, PlannedHost, ProbeDefaults, plan_hosts};

/// The known-host contract on the in-memory store.
#[cfg(all(test, feature = "contract"))]
mod memory_contract {
    crate::known_hosts_contract_tests!(((), super::memory::MemoryKnownHosts::new()));
}
