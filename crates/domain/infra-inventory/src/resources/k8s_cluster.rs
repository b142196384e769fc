use crate::ids::{K8sClusterId, TenantId};
use crate::record::{Draft, RecordId, RecordRef, Reference, ResourceKind, Stored, admits};
use crate::values::{ClusterStatus, Name};
use serde::Serialize;

/// A k8s cluster owned by a tenant.
pub type K8sCluster = Stored<K8sClusterDraft>;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct K8sClusterDraft {
    pub name: Name,
    pub tenant_id: TenantId,
    pub description: Option<String>,
    pub status: ClusterStatus,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct K8sClusterFilter {
    pub tenant_id: Option<TenantId>,
    pub status: Option<ClusterStatus>,
}

impl Draft for K8sClusterDraft {
    type Id = K8sClusterId;
    type Filter = K8sClusterFilter;
    const KIND: ResourceKind = ResourceKind::K8sCluster;

    fn references(&self) -> Vec<Reference> {
        vec![Reference {
            field: "tenant_id",
            target: RecordRef {
                kind: ResourceKind::Tenant,
                key: self.tenant_id.key(),
            },
        }]
    }

    fn matches(&self, filter: &Self::Filter) -> bool {
        admits(&filter.tenant_id, &self.tenant_id) && admits(&filter.status, &self.status)
    }
}
