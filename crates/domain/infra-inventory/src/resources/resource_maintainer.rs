use crate::error::FieldError;
use crate::ids::ResourceMaintainerId;
use crate::record::{
    Draft, RecordKey, RecordRef, Reference, ResourceKind, Stored, UniqueKey, admits,
};
use serde::Serialize;
use uuid::Uuid;

/// Who maintains which resource: a polymorphic association between any maintainable
/// resource and a maintainer or a maintainer group. Goes with either end when it is deleted.
pub type ResourceMaintainer = Stored<ResourceMaintainerDraft>;

/// The kinds of resource that can be maintained, spelled as on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ResourceType {
    Baremetal,
    BaremetalGroup,
    Tenant,
    VirtualMachine,
    K8sCluster,
}

impl ResourceType {
    pub const WORDS: &'static [&'static str] = &[
        "Baremetal",
        "BaremetalGroup",
        "Tenant",
        "VirtualMachine",
        "K8sCluster",
    ];

    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        Ok(match raw {
            "Baremetal" => ResourceType::Baremetal,
            "BaremetalGroup" => ResourceType::BaremetalGroup,
            "Tenant" => ResourceType::Tenant,
            "VirtualMachine" => ResourceType::VirtualMachine,
            "K8sCluster" => ResourceType::K8sCluster,
            _ => {
                return Err(FieldError::new(
                    field,
                    format!("must be one of: {}", Self::WORDS.join(", ")),
                ));
            }
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ResourceType::Baremetal => "Baremetal",
            ResourceType::BaremetalGroup => "BaremetalGroup",
            ResourceType::Tenant => "Tenant",
            ResourceType::VirtualMachine => "VirtualMachine",
            ResourceType::K8sCluster => "K8sCluster",
        }
    }

    pub fn kind(self) -> ResourceKind {
        match self {
            ResourceType::Baremetal => ResourceKind::Host,
            ResourceType::BaremetalGroup => ResourceKind::HostGroup,
            ResourceType::Tenant => ResourceKind::Tenant,
            ResourceType::VirtualMachine => ResourceKind::VirtualMachine,
            ResourceType::K8sCluster => ResourceKind::K8sCluster,
        }
    }

    /// The resource type whose rows point at records of `kind`, if any.
    pub fn of_kind(kind: ResourceKind) -> Option<Self> {
        [
            Self::Baremetal,
            Self::BaremetalGroup,
            Self::Tenant,
            Self::VirtualMachine,
            Self::K8sCluster,
        ]
        .into_iter()
        .find(|t| t.kind() == kind)
    }

    /// Parses a resource id of this type: an integer for host groups and tenants (given as a
    /// number or its decimal text), a UUID otherwise.
    pub fn parse_key(self, field: &str, raw: &str) -> Result<RecordKey, FieldError> {
        match self {
            ResourceType::BaremetalGroup | ResourceType::Tenant => {
                raw.trim().parse::<i64>().map(RecordKey::Int).map_err(|_| {
                    FieldError::new(
                        field,
                        format!("must be the integer id of a {}", self.kind().singular()),
                    )
                })
            }
            _ => Uuid::parse_str(raw.trim())
                .map(RecordKey::Uuid)
                .map_err(|_| {
                    FieldError::new(
                        field,
                        format!("must be the UUID of a {}", self.kind().singular()),
                    )
                }),
        }
    }
}

/// Whether the maintainer is a person or a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MaintainerType {
    Individual,
    Group,
}

impl MaintainerType {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        match raw {
            "individual" => Ok(MaintainerType::Individual),
            "group" => Ok(MaintainerType::Group),
            _ => Err(FieldError::new(field, "must be one of: individual, group")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MaintainerType::Individual => "individual",
            MaintainerType::Group => "group",
        }
    }

    pub fn kind(self) -> ResourceKind {
        match self {
            MaintainerType::Individual => ResourceKind::Maintainer,
            MaintainerType::Group => ResourceKind::MaintainerGroup,
        }
    }

    pub fn of_kind(kind: ResourceKind) -> Option<Self> {
        match kind {
            ResourceKind::Maintainer => Some(MaintainerType::Individual),
            ResourceKind::MaintainerGroup => Some(MaintainerType::Group),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceMaintainerDraft {
    pub resource_type: ResourceType,
    /// A UUID, or an integer for host groups and tenants.
    pub resource_id: RecordKey,
    pub maintainer_type: MaintainerType,
    pub maintainer_id: Uuid,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResourceMaintainerFilter {
    pub resource_type: Option<ResourceType>,
    pub resource_id: Option<String>,
    pub maintainer_type: Option<MaintainerType>,
    pub maintainer_id: Option<Uuid>,
}

impl ResourceMaintainerDraft {
    pub fn resource(&self) -> RecordRef {
        RecordRef {
            kind: self.resource_type.kind(),
            key: self.resource_id,
        }
    }

    pub fn maintainer(&self) -> RecordRef {
        RecordRef {
            kind: self.maintainer_type.kind(),
            key: RecordKey::Uuid(self.maintainer_id),
        }
    }
}

impl Draft for ResourceMaintainerDraft {
    type Id = ResourceMaintainerId;
    type Filter = ResourceMaintainerFilter;
    const KIND: ResourceKind = ResourceKind::ResourceMaintainer;

    fn references(&self) -> Vec<Reference> {
        vec![
            Reference {
                field: "resource_id",
                target: self.resource(),
            },
            Reference {
                field: "maintainer_id",
                target: self.maintainer(),
            },
        ]
    }

    /// The same maintainer is assigned to the same resource once.
    fn unique_key(&self) -> Option<UniqueKey> {
        Some(UniqueKey {
            what: "resource and maintainer",
            value: format!(
                "{}/{}/{}/{}",
                self.resource_type.as_str(),
                self.resource_id,
                self.maintainer_type.as_str(),
                self.maintainer_id
            ),
        })
    }

    fn matches(&self, filter: &Self::Filter) -> bool {
        admits(&filter.resource_type, &self.resource_type)
            && filter
                .resource_id
                .as_ref()
                .is_none_or(|id| *id == self.resource_id.to_string())
            && admits(&filter.maintainer_type, &self.maintainer_type)
            && admits(&filter.maintainer_id, &self.maintainer_id)
    }
}
