//! The eleven resources of the inventory, one file each: fields, filter, references.

mod host;
mod host_group;
mod k8s_cluster;
mod maintainer;
mod maintainer_group;
mod maintainer_group_member;
mod quota;
mod resource_maintainer;
mod tenant;
mod virtual_machine;
mod vm_specification;

pub use host::{Host, HostDraft, HostFilter, Location};
pub use host_group::{HostGroup, HostGroupDraft, StatusFilter};
pub use k8s_cluster::{K8sCluster, K8sClusterDraft, K8sClusterFilter};
pub use maintainer::{Maintainer, MaintainerDraft};
pub use maintainer_group::{MaintainerGroup, MaintainerGroupDraft, MaintainerGroupFilter};
pub use maintainer_group_member::{
    MaintainerGroupMember, MaintainerGroupMemberDraft, MaintainerGroupMemberFilter,
};
pub use quota::{HostGroupTenantQuota, QuotaDraft, QuotaFilter};
pub use resource_maintainer::{
    MaintainerType, ResourceMaintainer, ResourceMaintainerDraft, ResourceMaintainerFilter,
    ResourceType,
};
pub use tenant::{Tenant, TenantDraft};
pub use virtual_machine::{VirtualMachine, VirtualMachineDraft, VirtualMachineFilter};
pub use vm_specification::{NoFilter, VmSpecification, VmSpecificationDraft};
