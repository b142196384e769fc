use crate::ids::{MaintainerGroupId, MaintainerId};
use crate::record::{
    Draft, RecordId, RecordRef, Reference, ResourceKind, Stored, admits, admits_some,
};
use crate::values::{ActiveStatus, Name};
use serde::Serialize;

/// A team of maintainers, optionally led by one of them.
pub type MaintainerGroup = Stored<MaintainerGroupDraft>;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MaintainerGroupDraft {
    pub name: Name,
    pub group_manager_id: Option<MaintainerId>,
    pub description: Option<String>,
    pub status: ActiveStatus,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MaintainerGroupFilter {
    pub group_manager_id: Option<MaintainerId>,
    pub status: Option<ActiveStatus>,
}

impl Draft for MaintainerGroupDraft {
    type Id = MaintainerGroupId;
    type Filter = MaintainerGroupFilter;
    const KIND: ResourceKind = ResourceKind::MaintainerGroup;

    fn references(&self) -> Vec<Reference> {
        self.group_manager_id
            .map(|id| Reference {
                field: "group_manager_id",
                target: RecordRef {
                    kind: ResourceKind::Maintainer,
                    key: id.key(),
                },
            })
            .into_iter()
            .collect()
    }

    fn matches(&self, filter: &Self::Filter) -> bool {
        admits_some(&filter.group_manager_id, &self.group_manager_id)
            && admits(&filter.status, &self.status)
    }
}
