//! Capacity and quota rules of the infrastructure area.
//!
//! Pure arithmetic and models: what a host has, what is claimed on it, what a tenant may
//! use in a host group. Stores call into this crate inside their transactions; nothing here
//! performs I/O.

mod admission;
mod amount;
mod host_capacity;
mod quota;
mod resources;
mod sum;

#[cfg(test)]
mod properties;

pub use admission::{Claim, QuotaExceeded, QuotaState};
pub use amount::{Amount, AmountError, CpuPercentage, MAX_AMOUNT};
pub use host_capacity::{CapacityRequest, HostCapacity, InsufficientCapacity};
pub use quota::{Quota, QuotaLimits};
pub use resources::{Resource, Resources};
pub use sum::{bounded, bounded_sum};
