use crate::ids::HostGroupId;
use crate::record::{Draft, Reference, ResourceKind, Stored, admits};
use crate::values::{ActiveStatus, Name};
use serde::Serialize;

/// A group of bare-metal hosts (the seed's BaremetalGroup). Integer ids.
pub type HostGroup = Stored<HostGroupDraft>;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HostGroupDraft {
    pub name: Name,
    pub description: Option<String>,
    pub status: ActiveStatus,
}

/// A filter on status alone.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusFilter<S> {
    pub status: Option<S>,
}

impl<S> Default for StatusFilter<S> {
    fn default() -> Self {
        Self { status: None }
    }
}

impl Draft for HostGroupDraft {
    type Id = HostGroupId;
    type Filter = StatusFilter<ActiveStatus>;
    const KIND: ResourceKind = ResourceKind::HostGroup;

    fn references(&self) -> Vec<Reference> {
        Vec::new()
    }

    fn matches(&self, filter: &Self::Filter) -> bool {
        admits(&filter.status, &self.status)
    }
}
