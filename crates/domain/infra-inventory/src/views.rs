//! What the use cases hand back for records of each kind: the record itself, or the record
//! with what the store derives about it. A quota comes with its tenant's usage in its group,
//! so every reader (HTTP or an embedding service) gets the same figures the admission policy
//! decides on.

use crate::error::StoreError;
use crate::page::{Page, PageRequest};
use crate::ports::{Repository, UsageReader};
use crate::record::Record;
use crate::resources::{
    Host, HostGroup, HostGroupTenantQuota, K8sCluster, Maintainer, MaintainerGroup,
    MaintainerGroupMember, ResourceMaintainer, Tenant, VirtualMachine, VmSpecification,
};
pub use crate::usage::QuotaWithUsage;

/// How the use cases present records of a kind.
pub trait ReadModel: Record {
    type View: Send + 'static;

    /// The views of `records`, one each and in their order, read from `store` in one batch.
    ///
    /// Errors: [`StoreError::Unavailable`] only.
    fn views<S: UsageReader>(store: &S, records: Vec<Self>) -> Result<Vec<Self::View>, StoreError>;

    /// The view of the record with this id, or `None`, in one read of the store: the record
    /// and what is derived about it are of one moment.
    ///
    /// Errors: [`StoreError::Unavailable`] only.
    fn get_view<S: Repository<Self> + UsageReader>(
        store: &S,
        id: Self::Id,
    ) -> Result<Option<Self::View>, StoreError>;

    /// One page of views of the records that pass `filter`, as [`Repository::list`] pages
    /// and counts them, in one read of the store.
    ///
    /// Errors: [`StoreError::Unavailable`] only.
    fn list_views<S: Repository<Self> + UsageReader>(
        store: &S,
        filter: &Self::Filter,
        page: PageRequest,
    ) -> Result<Page<Self::View>, StoreError>;

    /// The key of the record a view shows: where the keyset page after it starts.
    fn key_of(view: &Self::View) -> crate::RecordKey;
}

/// Kinds whose records are their own view.
macro_rules! plain_views {
    ($($kind:ty),* $(,)?) => {$(
        impl ReadModel for $kind {
            type View = Self;

            fn views<S: UsageReader>(_store: &S, records: Vec<Self>) -> Result<Vec<Self>, StoreError> {
                Ok(records)
            }

            fn get_view<S: Repository<Self> + UsageReader>(
                store: &S,
                id: Self::Id,
            ) -> Result<Option<Self>, StoreError> {
                store.get(id)
            }

            fn list_views<S: Repository<Self> + UsageReader>(
                store: &S,
                filter: &Self::Filter,
                page: PageRequest,
            ) -> Result<Page<Self>, StoreError> {
                store.list(filter, page)
            }

            fn key_of(view: &Self) -> crate::RecordKey {
                crate::RecordId::key(crate::Record::id(view))
            }
        }
    )*};
}

plain_views!(
    Maintainer,
    MaintainerGroup,
    MaintainerGroupMember,
    ResourceMaintainer,
    Host,
    HostGroup,
    Tenant,
    VirtualMachine,
    VmSpecification,
    K8sCluster,
);

impl ReadModel for HostGroupTenantQuota {
    type View = QuotaWithUsage;

    fn views<S: UsageReader>(
        store: &S,
        quotas: Vec<Self>,
    ) -> Result<Vec<QuotaWithUsage>, StoreError> {
        let pairs: Vec<_> = quotas
            .iter()
            .map(|q| (q.fields.group_id, q.fields.tenant_id))
            .collect();
        let usage = store.quota_usage(&pairs)?;
        // The port answers one usage per pair; pairing a short answer would drop quotas.
        if usage.len() != quotas.len() {
            return Err(StoreError::Unavailable(format!(
                "usage of {} quota(s) came back for {}",
                usage.len(),
                quotas.len()
            )));
        }
        Ok(quotas
            .into_iter()
            .zip(usage)
            .map(|(quota, usage)| QuotaWithUsage { quota, usage })
            .collect())
    }

    fn get_view<S: Repository<Self> + UsageReader>(
        store: &S,
        id: Self::Id,
    ) -> Result<Option<QuotaWithUsage>, StoreError> {
        store.quota_with_usage(id)
    }

    fn list_views<S: Repository<Self> + UsageReader>(
        store: &S,
        filter: &Self::Filter,
        page: PageRequest,
    ) -> Result<Page<QuotaWithUsage>, StoreError> {
        store.quotas_with_usage(filter, page)
    }

    fn key_of(view: &QuotaWithUsage) -> crate::RecordKey {
        crate::RecordId::key(Record::id(&view.quota))
    }
}

#[cfg(all(test, feature = "memory"))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::InventoryService;
    use crate::contract::fixtures::{placement, vm};
    use crate::memory::MemoryStore;
    use crate::page::PageRequest;
    use capacity_quota::Resources;

    #[test]
    fn quotas_come_back_with_their_usage_from_every_read() {
        let service = InventoryService::new(MemoryStore::new());
        let p = placement(service.store(), 8, 2);
        let _vm: VirtualMachine = service
            .create::<VirtualMachine>(vm(p.tenant, p.host, p.spec))
            .unwrap();
        let used = Resources {
            cpu: 2,
            memory: 1024,
            storage: 10,
        };

        let one = service.get::<HostGroupTenantQuota>(p.quota).unwrap();
        assert_eq!((one.quota.id, one.usage.used), (p.quota, used));
        assert_eq!(one.usage.group_total_cpu, 8);
        assert_eq!(one.state().cpu_limit_cores(), 8.0);

        let page = PageRequest {
            page: 1,
            per_page: 10,
            after: None,
        };
        let listed = service
            .list::<HostGroupTenantQuota>(&Default::default(), page)
            .unwrap();
        assert_eq!(listed.items, vec![one.clone()]);
        assert_eq!(service.tenant_usage(p.tenant).unwrap(), vec![one]);
    }
}
