//! The storage port of the inventory. Every adapter (memory, SQLite, PostgreSQL) implements
//! [`Repository`] for every resource and passes the suite in the `contract` module.

use crate::error::StoreError;
use crate::ids::{HostGroupId, QuotaId, TenantId};
use crate::page::{Page, PageRequest};
use crate::record::Record;
use crate::resources::{
    Host, HostGroup, HostGroupTenantQuota, K8sCluster, Maintainer, MaintainerGroup,
    MaintainerGroupMember, QuotaFilter, ResourceMaintainer, Tenant, VirtualMachine,
    VmSpecification,
};
pub use crate::usage::QuotaUsage;
use crate::usage::QuotaWithUsage;

/// Create, read, list, update and delete records of one kind. Each call is atomic.
///
/// Errors common to every method: [`StoreError::Unavailable`] when the store itself fails.
pub trait Repository<R: Record>: Send + Sync {
    /// Stores a new record, assigning its id and both timestamps.
    ///
    /// Errors: [`StoreError::MissingReference`] naming the first reference of the draft that
    /// points at no row; [`StoreError::Duplicate`] when the draft's unique key is taken;
    /// [`StoreError::InsufficientCapacity`] when a host's capacity does not fit;
    /// [`StoreError::Invalid`] naming `total_cpu`, `total_memory` or `total_storage` when a
    /// host would grow its group's total past 2^53 − 1
    /// ([`group_may_hold`](crate::rules::group_may_hold)); the rules of [`InventoryStore`]
    /// for VMs.
    fn create(&self, draft: &R::Draft) -> Result<R, StoreError>;

    /// The record with this id, or `None`.
    fn get(&self, id: R::Id) -> Result<Option<R>, StoreError>;

    /// One page of the records that pass `filter`, in creation order, and how many pass it.
    fn list(&self, filter: &R::Filter, page: PageRequest) -> Result<Page<R>, StoreError>;

    /// Replaces the record's fields, keeping `created_at` and advancing `updated_at`.
    /// `Ok(None)` when there is no record with this id.
    ///
    /// Errors: as [`Repository::create`], where the record's own unique key does not count as
    /// taken; [`StoreError::Conflict`] when a host with VMs would change its group, and the
    /// rules of [`InventoryStore`] for specifications, quotas and k8s clusters.
    fn update(&self, id: R::Id, draft: &R::Draft) -> Result<Option<R>, StoreError>;

    /// Removes the record and the association rows (maintainer group members,
    /// resource-maintainers) that point at it. `Ok(false)` when there is no such record.
    ///
    /// Errors: [`StoreError::InUse`] with the count of each other kind of row that still
    /// refers to the record; nothing is removed then.
    fn delete(&self, id: R::Id) -> Result<bool, StoreError>;
}

/// Reads of capacity in use.
pub trait UsageReader: Send + Sync {
    /// The usage of each (host group, tenant) pair, in the order given.
    ///
    /// Errors: [`StoreError::Unavailable`] only.
    fn quota_usage(&self, pairs: &[(HostGroupId, TenantId)])
    -> Result<Vec<QuotaUsage>, StoreError>;

    /// The quota with this id and its usage, read together (one statement on a database),
    /// or `None`. The figures are those [`UsageReader::quota_usage`] gives for its pair.
    ///
    /// Errors: [`StoreError::Unavailable`] only.
    fn quota_with_usage(&self, id: QuotaId) -> Result<Option<QuotaWithUsage>, StoreError>;

    /// One page of the quotas that pass `filter`, each with its usage, read together; paged
    /// and counted as [`Repository::list`] pages and counts quotas.
    ///
    /// Errors: [`StoreError::Unavailable`] only.
    fn quotas_with_usage(
        &self,
        filter: &QuotaFilter,
        page: PageRequest,
    ) -> Result<Page<QuotaWithUsage>, StoreError>;
}

/// A store of the whole inventory: every resource's repository, usage, and a liveness probe.
///
/// Placement rules hold on every write of this store: creating or updating a VM claims its
/// specification's resources on its host ([`StoreError::InsufficientCapacity`]) and, when the
/// host is in a group, in the tenant's quota there ([`StoreError::QuotaNotGranted`],
/// [`StoreError::QuotaExceeded`]); a changed claim is admitted where it fits or does not grow.
/// A specification in use cannot grow, and a quota cannot be removed (or moved to another
/// group or tenant) while the tenant has VMs in the group ([`StoreError::Conflict`]).
///
/// Tenancy rules hold on every write too, decided in the write's transaction so that no
/// concurrent write can slip between check and write: a VM's k8s cluster belongs to the VM's
/// tenant ([`StoreError::Invalid`] naming `k8s_cluster_id`), and a k8s cluster with VMs keeps
/// its tenant ([`StoreError::Conflict`]). The wording of every such refusal is in
/// [`rules`](crate::rules).
pub trait InventoryStore:
    Repository<Maintainer>
    + Repository<MaintainerGroup>
    + Repository<MaintainerGroupMember>
    + Repository<ResourceMaintainer>
    + Repository<Host>
    + Repository<HostGroup>
    + Repository<Tenant>
    + Repository<VirtualMachine>
    + Repository<VmSpecification>
    + Repository<K8sCluster>
    + Repository<HostGroupTenantQuota>
    + UsageReader
    + Clone
    + 'static
{
    /// Whether the store answers; for readiness probes.
    fn ping(&self) -> Result<(), StoreError>;
}
