//! The infrastructure inventory: maintainers and maintainer groups, who maintains which
//! resource, bare-metal hosts and host groups, tenants, VM specifications, virtual machines,
//! k8s clusters and host-group tenant quotas.
//!
//! Pure domain: models and their validation ([`resources`], [`values`]), the storage port
//! ([`ports::Repository`]) with its error contract, and the use cases ([`InventoryService`]).
//! The `memory` feature adds an in-memory adapter; `contract` adds the suite every adapter of
//! the port must pass.

pub mod error;
pub mod ids;
pub mod page;
pub mod ports;
pub mod record;
pub mod resources;
pub mod rules;
pub mod service;
pub mod usage;
pub mod values;
pub mod views;

#[cfg(feature = "memory")]
pub mod memory;

#[cfg(feature = "contract")]
pub mod contract;

pub use error::{FieldError, InventoryError, StoreError};
pub use page::{Page, PageRequest};
pub use record::{
    Draft, Record, RecordId, RecordKey, RecordRef, Reference, Referrer, ResourceKind, Stored,
    UniqueKey,
};
pub use service::InventoryService;
pub use views::{QuotaWithUsage, ReadModel};

/// The repository contract on this crate's own in-memory adapter.
#[cfg(all(test, feature = "contract"))]
mod memory_contract {
    crate::inventory_contract_tests!(((), crate::memory::MemoryStore::new()));
}

#[cfg(all(test, feature = "contract"))]
mod placement_properties;
