use super::host_group::StatusFilter;
use crate::ids::TenantId;
use crate::record::{Draft, Reference, ResourceKind, Stored, admits};
use crate::values::{ActiveStatus, Name};
use serde::Serialize;

/// A tenant that owns VMs and k8s clusters. Integer ids.
pub type Tenant = Stored<TenantDraft>;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TenantDraft {
    pub name: Name,
    pub description: Option<String>,
    pub status: ActiveStatus,
}

impl Draft for TenantDraft {
    type Id = TenantId;
    type Filter = StatusFilter<ActiveStatus>;
    const KIND: ResourceKind = ResourceKind::Tenant;

    fn references(&self) -> Vec<Reference> {
        Vec::new()
    }

    fn matches(&self, filter: &Self::Filter) -> bool {
        admits(&filter.status, &self.status)
    }
}
