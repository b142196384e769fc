//! A VM's k8s cluster belongs to the VM's tenant; a cluster with VMs keeps its tenant. Both
//! are decided under the store's mutex, in the same critical section as the write.

use super::MemoryStore;
use super::stored::now;
use super::tables::Tables;
use crate::error::StoreError;
use crate::ids::K8sClusterId;
use crate::page::{Page, PageRequest};
use crate::ports::Repository;
use crate::record::{Record, RecordId, Stored};
use crate::resources::{
    K8sCluster, K8sClusterDraft, K8sClusterFilter, VirtualMachine, VirtualMachineDraft,
};
use crate::rules::{cluster_may_change_tenant, vm_may_join_cluster};

impl Tables {
    /// The tenancy rule of the cluster a VM draft names, if it names one.
    pub(super) fn check_vm_cluster(&self, draft: &VirtualMachineDraft) -> Result<(), StoreError> {
        let Some(cluster) = draft.k8s_cluster_id else {
            return Ok(());
        };
        let owner = self.get::<K8sCluster>(cluster).map(|c| c.fields.tenant_id);
        vm_may_join_cluster(cluster, owner, draft.tenant_id)
    }

    fn nodes_of(&self, cluster: K8sClusterId) -> u64 {
        self.all::<VirtualMachine>()
            .filter(|vm| vm.fields.k8s_cluster_id == Some(cluster))
            .count() as u64
    }
}

impl Repository<K8sCluster> for MemoryStore {
    fn create(&self, draft: &K8sClusterDraft) -> Result<K8sCluster, StoreError> {
        self.create_stored(draft)
    }

    fn get(&self, id: K8sClusterId) -> Result<Option<K8sCluster>, StoreError> {
        Ok(self.lock()?.get::<K8sCluster>(id).cloned())
    }

    fn list(
        &self,
        filter: &K8sClusterFilter,
        page: PageRequest,
    ) -> Result<Page<K8sCluster>, StoreError> {
        Ok(self.lock()?.page::<K8sCluster>(page, |c| c.matches(filter)))
    }

    fn update(
        &self,
        id: K8sClusterId,
        draft: &K8sClusterDraft,
    ) -> Result<Option<K8sCluster>, StoreError> {
        let mut tables = self.lock()?;
        let Some(current) = tables.get::<K8sCluster>(id).cloned() else {
            return Ok(None);
        };
        tables.check_write::<K8sCluster>(draft, Some(id.key()))?;
        cluster_may_change_tenant(
            id,
            current.fields.tenant_id,
            draft.tenant_id,
            tables.nodes_of(id),
        )?;
        let cluster = Stored {
            id,
            fields: draft.clone(),
            created_at: current.created_at,
            updated_at: now().max(current.created_at),
        };
        tables.put(cluster.clone(), draft);
        Ok(Some(cluster))
    }

    fn delete(&self, id: K8sClusterId) -> Result<bool, StoreError> {
        self.lock()?.remove(K8sCluster::record_ref(id))
    }
}
