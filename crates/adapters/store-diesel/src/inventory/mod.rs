//! The infrastructure inventory (crate `infra_inventory`) on both backends.
//!
//! One module per table: its row types, how a draft becomes column values, how a row becomes
//! a record, and its list filter, as an implementation of [`table::StoredTable`]. The
//! repository over such a table is written once (`repository.rs`); hosts, whose capacity is
//! derived from their VMs, write theirs out (`host.rs`).

mod decode;
mod error;
mod group_totals;
mod host;
mod host_read;
mod k8s_cluster;
mod maintainer;
mod maintainer_group;
mod maintainer_group_member;
mod named;
mod placement;
mod quota;
pub(crate) mod refs;
mod repository;
mod resource_maintainer;
mod sums;
pub(crate) mod table;
mod tenancy;
mod usage;
mod virtual_machine;
mod vm_specification;

use crate::store::DieselStore;
use infra_inventory::StoreError;
use infra_inventory::ports::InventoryStore;

impl InventoryStore for DieselStore {
    fn ping(&self) -> Result<(), StoreError> {
        self.readiness().map_err(|e| StoreError::Unavailable(e.0))
    }
}

/// An id as its table's primary key column holds it: UUIDs as text, integers as they are.
pub(crate) trait DbKey {
    type Key;
    fn db_key(self) -> Self::Key;
}

macro_rules! db_keys {
    ($key:ty: $($id:ty),*) => {$(
        impl DbKey for $id {
            type Key = $key;
            fn db_key(self) -> $key {
                self.0.into()
            }
        }
    )*};
}

use infra_inventory::ids::*;
db_keys!(String: MaintainerId, MaintainerGroupId, MaintainerGroupMemberId, ResourceMaintainerId, HostId,
    VirtualMachineId, VmSpecificationId, K8sClusterId, QuotaId);
db_keys!(i64: HostGroupId, TenantId);
