use super::host_group::StatusFilter;
use crate::ids::MaintainerId;
use crate::record::{Draft, Reference, ResourceKind, Stored, UniqueKey, admits};
use crate::values::{ActiveStatus, Email, Name};
use serde::Serialize;

/// A person who maintains resources.
pub type Maintainer = Stored<MaintainerDraft>;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MaintainerDraft {
    pub name: Name,
    pub email: Email,
    pub status: ActiveStatus,
}

impl Draft for MaintainerDraft {
    type Id = MaintainerId;
    type Filter = StatusFilter<ActiveStatus>;
    const KIND: ResourceKind = ResourceKind::Maintainer;

    fn references(&self) -> Vec<Reference> {
        Vec::new()
    }

    /// Emails are unique among maintainers, ignoring case.
    fn unique_key(&self) -> Option<UniqueKey> {
        Some(UniqueKey {
            what: "email",
            value: self.email.normalized(),
        })
    }

    fn matches(&self, filter: &Self::Filter) -> bool {
        admits(&filter.status, &self.status)
    }
}
