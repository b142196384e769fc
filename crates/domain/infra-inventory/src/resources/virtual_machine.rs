use crate::ids::{HostId, K8sClusterId, TenantId, VirtualMachineId, VmSpecificationId};
use crate::record::{
    Draft, RecordId, RecordRef, Reference, ResourceKind, Stored, admits, admits_some,
};
use crate::values::{Name, VmStatus};
use serde::Serialize;

/// A virtual machine of a tenant, placed on a host, sized by a specification, optionally a
/// node of one of the tenant's k8s clusters.
pub type VirtualMachine = Stored<VirtualMachineDraft>;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VirtualMachineDraft {
    pub name: Name,
    pub tenant_id: TenantId,
    pub host_id: HostId,
    pub specification_id: VmSpecificationId,
    pub k8s_cluster_id: Option<K8sClusterId>,
    pub status: VmStatus,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct VirtualMachineFilter {
    pub tenant_id: Option<TenantId>,
    pub host_id: Option<HostId>,
    pub specification_id: Option<VmSpecificationId>,
    pub k8s_cluster_id: Option<K8sClusterId>,
    pub status: Option<VmStatus>,
}

impl Draft for VirtualMachineDraft {
    type Id = VirtualMachineId;
    type Filter = VirtualMachineFilter;
    const KIND: ResourceKind = ResourceKind::VirtualMachine;

    fn references(&self) -> Vec<Reference> {
        let mut refs = vec![
            Reference {
                field: "tenant_id",
                target: RecordRef {
                    kind: ResourceKind::Tenant,
                    key: self.tenant_id.key(),
                },
            },
            Reference {
                field: "host_id",
                target: RecordRef {
                    kind: ResourceKind::Host,
                    key: self.host_id.key(),
                },
            },
            Reference {
                field: "specification_id",
                target: RecordRef {
                    kind: ResourceKind::VmSpecification,
                    key: self.specification_id.key(),
                },
            },
        ];
        if let Some(cluster) = self.k8s_cluster_id {
            refs.push(Reference {
                field: "k8s_cluster_id",
                target: RecordRef {
                    kind: ResourceKind::K8sCluster,
                    key: cluster.key(),
                },
            });
        }
        refs
    }

    fn matches(&self, filter: &Self::Filter) -> bool {
        admits(&filter.tenant_id, &self.tenant_id)
            && admits(&filter.host_id, &self.host_id)
            && admits(&filter.specification_id, &self.specification_id)
            && admits_some(&filter.k8s_cluster_id, &self.k8s_cluster_id)
            && admits(&filter.status, &self.status)
    }
}
