use crate::ids::{HostGroupId, HostId};
use crate::record::{Record, RecordId, RecordRef, Reference, ResourceKind, admits, admits_some};
use crate::values::{HostStatus, Name};
use capacity_quota::{CapacityRequest, HostCapacity, Resources};
use chrono::{DateTime, Utc};

/// A bare-metal host (the seed's Baremetal). Its available capacity is derived: see
/// [`HostCapacity`].
#[derive(Debug, Clone, PartialEq)]
pub struct Host {
    pub id: HostId,
    pub name: Name,
    pub status: HostStatus,
    pub capacity: HostCapacity,
    pub group_id: Option<HostGroupId>,
    pub location: Location,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Where a host stands, and its id in the system it was imported from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    pub region: Option<String>,
    pub dc: Option<String>,
    pub room: Option<String>,
    pub rack: Option<String>,
    pub external_system_id: Option<String>,
}

/// A validated host write. `capacity` says how the reservation is to be set; the store
/// resolves it against the VMs on the host inside its transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct HostDraft {
    pub name: Name,
    pub status: HostStatus,
    pub total: Resources,
    pub capacity: CapacityRequest,
    pub group_id: Option<HostGroupId>,
    pub location: Location,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct HostFilter {
    pub group_id: Option<HostGroupId>,
    pub status: Option<HostStatus>,
}

impl HostDraft {
    /// The host this draft describes, given what it reserved before and what VMs hold.
    pub fn resolve(
        &self,
        id: HostId,
        previous_reserved: Resources,
        allocated: Resources,
        created_at: DateTime<Utc>,
        updated_at: DateTime<Utc>,
    ) -> Result<Host, capacity_quota::InsufficientCapacity> {
        let capacity =
            HostCapacity::rewrite(self.total, self.capacity, previous_reserved, allocated)?;
        Ok(Host {
            id,
            name: self.name.clone(),
            status: self.status,
            capacity,
            group_id: self.group_id,
            location: self.location.clone(),
            created_at,
            updated_at,
        })
    }
}

impl Record for Host {
    type Id = HostId;
    type Draft = HostDraft;
    type Filter = HostFilter;
    const KIND: ResourceKind = ResourceKind::Host;

    fn id(&self) -> HostId {
        self.id
    }

    fn references(draft: &HostDraft) -> Vec<Reference> {
        draft
            .group_id
            .map(|g| Reference {
                field: "group_id",
                target: RecordRef {
                    kind: ResourceKind::HostGroup,
                    key: g.key(),
                },
            })
            .into_iter()
            .collect()
    }

    fn matches(&self, filter: &HostFilter) -> bool {
        admits_some(&filter.group_id, &self.group_id) && admits(&filter.status, &self.status)
    }
}
