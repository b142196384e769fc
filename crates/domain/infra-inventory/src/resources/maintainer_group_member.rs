use crate::ids::{MaintainerGroupId, MaintainerGroupMemberId, MaintainerId};
use crate::record::{
    Draft, RecordId, RecordRef, Reference, ResourceKind, Stored, UniqueKey, admits,
};
use serde::Serialize;

/// A maintainer's membership of a group; goes with either end when it is deleted.
pub type MaintainerGroupMember = Stored<MaintainerGroupMemberDraft>;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MaintainerGroupMemberDraft {
    pub group_id: MaintainerGroupId,
    pub maintainer_id: MaintainerId,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MaintainerGroupMemberFilter {
    pub group_id: Option<MaintainerGroupId>,
    pub maintainer_id: Option<MaintainerId>,
}

impl Draft for MaintainerGroupMemberDraft {
    type Id = MaintainerGroupMemberId;
    type Filter = MaintainerGroupMemberFilter;
    const KIND: ResourceKind = ResourceKind::MaintainerGroupMember;

    fn references(&self) -> Vec<Reference> {
        vec![
            Reference {
                field: "group_id",
                target: RecordRef {
                    kind: ResourceKind::MaintainerGroup,
                    key: self.group_id.key(),
                },
            },
            Reference {
                field: "maintainer_id",
                target: RecordRef {
                    kind: ResourceKind::Maintainer,
                    key: self.maintainer_id.key(),
                },
            },
        ]
    }

    /// A maintainer is a member of a group once.
    fn unique_key(&self) -> Option<UniqueKey> {
        Some(UniqueKey {
            what: "group_id and maintainer_id",
            value: format!("{}/{}", self.group_id, self.maintainer_id),
        })
    }

    fn matches(&self, filter: &Self::Filter) -> bool {
        admits(&filter.group_id, &self.group_id)
            && admits(&filter.maintainer_id, &self.maintainer_id)
    }
}
