//! The use cases of the inventory: validated drafts in, records or domain errors out.

use crate::error::{FieldError, InventoryError};
use crate::ids::TenantId;
use crate::page::{Page, PageRequest};
use crate::ports::{QuotaUsage, Repository, UsageReader};
use crate::record::{Record, RecordId};
use crate::resources::{
    Host, HostGroup, HostGroupTenantQuota, K8sCluster, Maintainer, MaintainerGroup,
    MaintainerGroupMember, QuotaFilter, ResourceMaintainer, Tenant, VirtualMachine,
    VirtualMachineFilter, VmSpecification,
};

/// Rules of a resource that span rows and are checked before a write. Most resources have
/// none beyond what the store enforces (references, unique keys, restricting deletes).
pub trait Rules<S>: Record {
    /// Checks a create (`id` is `None`) or an update of record `id`.
    fn check(
        _store: &S,
        _id: Option<Self::Id>,
        _draft: &Self::Draft,
    ) -> Result<(), InventoryError> {
        Ok(())
    }
}

impl<S> Rules<S> for Maintainer {}
impl<S> Rules<S> for MaintainerGroup {}
impl<S> Rules<S> for MaintainerGroupMember {}
impl<S> Rules<S> for ResourceMaintainer {}
impl<S> Rules<S> for Host {}
impl<S> Rules<S> for HostGroup {}
impl<S> Rules<S> for Tenant {}
impl<S> Rules<S> for VmSpecification {}
impl<S> Rules<S> for HostGroupTenantQuota {}

/// A VM's k8s cluster must belong to the VM's tenant.
impl<S: Repository<K8sCluster>> Rules<S> for VirtualMachine {
    fn check(store: &S, _id: Option<Self::Id>, draft: &Self::Draft) -> Result<(), InventoryError> {
        let Some(cluster_id) = draft.k8s_cluster_id else {
            return Ok(());
        };
        // A missing cluster is the store's INVALID_REFERENCE; only a present one is compared.
        match store
            .get(cluster_id)
            .map_err(|e| InventoryError::Internal(e.to_string()))?
        {
            Some(cluster) if cluster.fields.tenant_id != draft.tenant_id => Err(FieldError::new(
                "k8s_cluster_id",
                format!(
                    "k8s cluster {cluster_id} belongs to tenant {}, not to tenant {}",
                    cluster.fields.tenant_id, draft.tenant_id
                ),
            )
            .into()),
            _ => Ok(()),
        }
    }
}

/// A k8s cluster cannot move to another tenant while VMs of its old tenant are its nodes.
impl<S: Repository<K8sCluster> + Repository<VirtualMachine>> Rules<S> for K8sCluster {
    fn check(store: &S, id: Option<Self::Id>, draft: &Self::Draft) -> Result<(), InventoryError> {
        let Some(id) = id else { return Ok(()) };
        let internal = |e: crate::StoreError| InventoryError::Internal(e.to_string());
        let current: Option<K8sCluster> = store.get(id).map_err(internal)?;
        match current {
            Some(cluster) if cluster.fields.tenant_id != draft.tenant_id => {
                let filter = VirtualMachineFilter {
                    k8s_cluster_id: Some(id),
                    ..Default::default()
                };
                let page = PageRequest {
                    page: 1,
                    per_page: 1,
                };
                let nodes: Page<VirtualMachine> = store.list(&filter, page).map_err(internal)?;
                if nodes.total > 0 {
                    return Err(InventoryError::InUse(format!(
                        "k8s cluster {id} cannot move to tenant {}: {} virtual machine(s) of tenant {} are its nodes",
                        draft.tenant_id, nodes.total, cluster.fields.tenant_id
                    )));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// The inventory's use cases over a store `S`.
#[derive(Debug, Clone)]
pub struct InventoryService<S> {
    store: S,
}

impl<S> InventoryService<S> {
    pub fn new(store: S) -> Self {
        Self { store }
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    pub fn create<R>(&self, draft: R::Draft) -> Result<R, InventoryError>
    where
        R: Rules<S>,
        S: Repository<R>,
    {
        R::check(&self.store, None, &draft)?;
        self.store
            .create(&draft)
            .map_err(|e| store_error::<R>(None, e))
    }

    pub fn get<R>(&self, id: R::Id) -> Result<R, InventoryError>
    where
        R: Record,
        S: Repository<R>,
    {
        self.store
            .get(id)
            .map_err(|e| store_error::<R>(Some(id), e))?
            .ok_or_else(|| not_found::<R>(id))
    }

    pub fn list<R>(&self, filter: &R::Filter, page: PageRequest) -> Result<Page<R>, InventoryError>
    where
        R: Record,
        S: Repository<R>,
    {
        self.store
            .list(filter, page)
            .map_err(|e| store_error::<R>(None, e))
    }

    pub fn update<R>(&self, id: R::Id, draft: R::Draft) -> Result<R, InventoryError>
    where
        R: Rules<S>,
        S: Repository<R>,
    {
        R::check(&self.store, Some(id), &draft)?;
        self.store
            .update(id, &draft)
            .map_err(|e| store_error::<R>(Some(id), e))?
            .ok_or_else(|| not_found::<R>(id))
    }

    pub fn delete<R>(&self, id: R::Id) -> Result<(), InventoryError>
    where
        R: Record,
        S: Repository<R>,
    {
        if self
            .store
            .delete(id)
            .map_err(|e| store_error::<R>(Some(id), e))?
        {
            Ok(())
        } else {
            Err(not_found::<R>(id))
        }
    }
}

impl<S> InventoryService<S>
where
    S: Repository<Tenant> + Repository<HostGroupTenantQuota> + UsageReader,
{
    /// Every quota of a tenant with what the tenant's VMs hold in its group now.
    pub fn tenant_usage(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<(HostGroupTenantQuota, QuotaUsage)>, InventoryError> {
        self.get::<Tenant>(tenant)?;
        let filter = QuotaFilter {
            tenant_id: Some(tenant),
            ..QuotaFilter::default()
        };
        let mut quotas: Vec<HostGroupTenantQuota> = Vec::new();
        for page in 1.. {
            let found = self.list::<HostGroupTenantQuota>(
                &filter,
                PageRequest {
                    page,
                    per_page: 1000,
                },
            )?;
            let done =
                found.items.is_empty() || quotas.len() + found.items.len() >= found.total as usize;
            quotas.extend(found.items);
            if done {
                break;
            }
        }
        self.quota_usage(quotas)
    }

    /// Pairs each quota with its usage, in one store call.
    pub fn quota_usage(
        &self,
        quotas: Vec<HostGroupTenantQuota>,
    ) -> Result<Vec<(HostGroupTenantQuota, QuotaUsage)>, InventoryError> {
        let pairs: Vec<_> = quotas
            .iter()
            .map(|q| (q.fields.group_id, q.fields.tenant_id))
            .collect();
        let usage = self
            .store
            .quota_usage(&pairs)
            .map_err(|e| InventoryError::Internal(e.to_string()))?;
        Ok(quotas.into_iter().zip(usage).collect())
    }
}

fn not_found<R: Record>(id: R::Id) -> InventoryError {
    InventoryError::NotFound {
        kind: R::KIND,
        key: id.to_string(),
    }
}

fn store_error<R: Record>(id: Option<R::Id>, err: crate::StoreError) -> InventoryError {
    let subject = crate::RecordRef {
        kind: R::KIND,
        key: id.map(RecordId::key).unwrap_or(crate::RecordKey::Int(0)),
    };
    InventoryError::from_store(subject, err)
}
