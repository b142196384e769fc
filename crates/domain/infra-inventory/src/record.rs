//! What every stored resource has in common, so that one store engine, one service and one
//! set of HTTP handlers serve all of them.

use chrono::{DateTime, Utc};
use serde::{Serialize, Serializer};
use std::fmt;
use std::hash::Hash;
use uuid::Uuid;

/// The kinds of resource in the inventory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResourceKind {
    Maintainer,
    MaintainerGroup,
    MaintainerGroupMember,
    ResourceMaintainer,
    Host,
    HostGroup,
    Tenant,
    VirtualMachine,
    VmSpecification,
    K8sCluster,
    HostGroupTenantQuota,
}

impl ResourceKind {
    pub fn singular(self) -> &'static str {
        match self {
            ResourceKind::Maintainer => "maintainer",
            ResourceKind::MaintainerGroup => "maintainer group",
            ResourceKind::MaintainerGroupMember => "maintainer group member",
            ResourceKind::ResourceMaintainer => "resource maintainer",
            ResourceKind::Host => "host",
            ResourceKind::HostGroup => "host group",
            ResourceKind::Tenant => "tenant",
            ResourceKind::VirtualMachine => "virtual machine",
            ResourceKind::VmSpecification => "VM specification",
            ResourceKind::K8sCluster => "k8s cluster",
            ResourceKind::HostGroupTenantQuota => "host group tenant quota",
        }
    }

    pub fn plural(self) -> String {
        format!("{}s", self.singular())
    }

    /// Association rows go with either end when it is deleted; every other reference
    /// restricts the delete.
    pub fn is_association(self) -> bool {
        matches!(
            self,
            ResourceKind::MaintainerGroupMember | ResourceKind::ResourceMaintainer
        )
    }
}

/// A record's id as the store sees it: UUID for most kinds, an integer for host groups and
/// tenants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordKey {
    Uuid(Uuid),
    Int(i64),
}

impl fmt::Display for RecordKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordKey::Uuid(u) => u.fmt(f),
            RecordKey::Int(i) => i.fmt(f),
        }
    }
}

impl Serialize for RecordKey {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            RecordKey::Uuid(u) => u.serialize(serializer),
            RecordKey::Int(i) => serializer.serialize_i64(*i),
        }
    }
}

/// A pointer at one record of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordRef {
    pub kind: ResourceKind,
    pub key: RecordKey,
}

/// An outgoing reference of a record: the wire field that holds it and what it points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference {
    pub field: &'static str,
    pub target: RecordRef,
}

/// How many rows of a kind still refer to a record whose delete was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Referrer {
    pub kind: ResourceKind,
    pub count: u64,
}

impl Referrer {
    /// "2 virtual machines and 1 k8s cluster"
    pub fn describe(referrers: &[Referrer]) -> String {
        let parts: Vec<String> = referrers
            .iter()
            .map(|r| {
                let noun = if r.count == 1 {
                    r.kind.singular().to_owned()
                } else {
                    r.kind.plural()
                };
                format!("{} {noun}", r.count)
            })
            .collect();
        match parts.split_last() {
            None => "nothing".to_owned(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        }
    }
}

/// A value that must be unique among the records of one kind, and the name of the key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UniqueKey {
    pub what: &'static str,
    pub value: String,
}

/// An id newtype of a record.
pub trait RecordId:
    Copy + Eq + Ord + Hash + fmt::Debug + fmt::Display + Send + Sync + 'static
{
    fn key(self) -> RecordKey;
    /// The id of a new record: a fresh UUIDv7, or `next` for integer ids (the store's
    /// sequence).
    fn generate(next: i64) -> Self;
}

/// A stored resource of the inventory.
pub trait Record: Clone + fmt::Debug + Send + Sync + 'static {
    type Id: RecordId;
    /// A validated create or update request: everything but id and timestamps.
    type Draft: Clone + fmt::Debug + Send + Sync + 'static;
    /// The list filters: reference fields and status.
    type Filter: Default + Clone + fmt::Debug + Send + Sync + 'static;
    const KIND: ResourceKind;

    fn id(&self) -> Self::Id;

    /// The references a draft holds; the store refuses the write if one points at nothing.
    fn references(draft: &Self::Draft) -> Vec<Reference>;

    /// The value that must be unique among records of this kind, if any.
    fn unique_key(_draft: &Self::Draft) -> Option<UniqueKey> {
        None
    }

    /// Whether the record passes the list filter.
    fn matches(&self, filter: &Self::Filter) -> bool;

    fn record_ref(id: Self::Id) -> RecordRef {
        RecordRef {
            kind: Self::KIND,
            key: id.key(),
        }
    }
}

/// The fields of a resource that is stored as given: everything a client sends, validated.
/// [`Stored`] adds the id and timestamps and makes it a [`Record`].
pub trait Draft: Clone + fmt::Debug + Serialize + Send + Sync + 'static {
    type Id: RecordId + Serialize;
    type Filter: Default + Clone + fmt::Debug + Send + Sync + 'static;
    const KIND: ResourceKind;

    fn references(&self) -> Vec<Reference>;

    fn unique_key(&self) -> Option<UniqueKey> {
        None
    }

    fn matches(&self, filter: &Self::Filter) -> bool;
}

/// A resource as stored: id, the client's fields, and when it was created and last updated.
/// Serializes flat, in the seed's field order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stored<D: Draft> {
    pub id: D::Id,
    #[serde(flatten)]
    pub fields: D,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl<D: Draft> Record for Stored<D> {
    type Id = D::Id;
    type Draft = D;
    type Filter = D::Filter;
    const KIND: ResourceKind = D::KIND;

    fn id(&self) -> Self::Id {
        self.id
    }

    fn references(draft: &D) -> Vec<Reference> {
        draft.references()
    }

    fn unique_key(draft: &D) -> Option<UniqueKey> {
        draft.unique_key()
    }

    fn matches(&self, filter: &D::Filter) -> bool {
        self.fields.matches(filter)
    }
}

/// Whether an optional filter admits a value.
pub fn admits<T: PartialEq>(filter: &Option<T>, value: &T) -> bool {
    filter.as_ref().is_none_or(|wanted| wanted == value)
}

/// Whether an optional filter admits an optional value (a filter never admits absence).
pub fn admits_some<T: PartialEq>(filter: &Option<T>, value: &Option<T>) -> bool {
    filter
        .as_ref()
        .is_none_or(|wanted| value.as_ref() == Some(wanted))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn referrers_read_as_a_sentence() {
        let r = |kind, count| Referrer { kind, count };
        assert_eq!(
            Referrer::describe(&[r(ResourceKind::VirtualMachine, 1)]),
            "1 virtual machine"
        );
        assert_eq!(
            Referrer::describe(&[
                r(ResourceKind::VirtualMachine, 2),
                r(ResourceKind::K8sCluster, 1)
            ]),
            "2 virtual machines and 1 k8s cluster"
        );
    }
}
