//! Maintainers, maintainer groups, their members, and who maintains which resource.

use super::input::{optional_uuid, required, uuid};
use super::resource::{FilterKind, FilterParam, IdKind, InfraResource, words};
use crate::http::ListQuery;
use chrono::{DateTime, Utc};
use infra_inventory::resources::{
    Maintainer, MaintainerDraft, MaintainerGroup, MaintainerGroupDraft, MaintainerGroupFilter,
    MaintainerGroupMember, MaintainerGroupMemberDraft, MaintainerGroupMemberFilter, MaintainerType,
    ResourceMaintainer, ResourceMaintainerDraft, ResourceMaintainerFilter, ResourceType,
    StatusFilter,
};
use infra_inventory::values::{ActiveStatus, Email, Name, parse_text};
use infra_inventory::{FieldError, RecordKey};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

fn status_filter(query: &ListQuery) -> Result<Option<ActiveStatus>, FieldError> {
    query
        .text("status")
        .map(|s| ActiveStatus::parse("status", Some(s)))
        .transpose()
}

const STATUS: FilterParam = FilterParam {
    name: "status",
    kind: FilterKind::Words(ActiveStatus::WORDS),
};

#[derive(Debug, Deserialize, ToSchema)]
pub struct MaintainerBody {
    #[schema(required = true, max_length = 255)]
    name: Option<String>,
    #[schema(required = true, format = Email)]
    email: Option<String>,
    #[schema(schema_with = words::active)]
    status: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Maintainer)]
pub struct MaintainerOut {
    id: String,
    name: String,
    email: String,
    #[schema(schema_with = words::active)]
    status: &'static str,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl InfraResource for Maintainer {
    const PATH: &'static str = "maintainers";
    const LIST_KEY: Option<&'static str> = None;
    const DELETED: &'static str = "Maintainer deleted successfully";
    const NAME: &'static str = "Maintainer";
    const ID: IdKind = IdKind::Uuid;
    const FILTERS: &'static [FilterParam] = &[STATUS];
    type Body = MaintainerBody;
    type Out = MaintainerOut;

    fn draft(b: MaintainerBody) -> Result<MaintainerDraft, FieldError> {
        Ok(MaintainerDraft {
            name: Name::parse("name", &required("name", b.name)?)?,
            email: Email::parse("email", &required("email", b.email)?)?,
            status: ActiveStatus::parse("status", b.status.as_deref())?,
        })
    }

    fn filter(query: &ListQuery) -> Result<StatusFilter<ActiveStatus>, FieldError> {
        Ok(StatusFilter {
            status: status_filter(query)?,
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MaintainerGroupBody {
    #[schema(required = true, max_length = 255)]
    name: Option<String>,
    #[schema(format = Uuid)]
    group_manager_id: Option<String>,
    description: Option<String>,
    #[schema(schema_with = words::active)]
    status: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = MaintainerGroup)]
pub struct MaintainerGroupOut {
    id: String,
    name: String,
    group_manager_id: Option<String>,
    description: Option<String>,
    #[schema(schema_with = words::active)]
    status: &'static str,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl InfraResource for MaintainerGroup {
    const PATH: &'static str = "maintainer-groups";
    const LIST_KEY: Option<&'static str> = Some("maintainer_groups");
    const DELETED: &'static str = "Maintainer group deleted successfully";
    const NAME: &'static str = "MaintainerGroup";
    const ID: IdKind = IdKind::Uuid;
    const FILTERS: &'static [FilterParam] = &[
        FilterParam {
            name: "group_manager_id",
            kind: FilterKind::Uuid,
        },
        STATUS,
    ];
    type Body = MaintainerGroupBody;
    type Out = MaintainerGroupOut;

    fn draft(b: MaintainerGroupBody) -> Result<MaintainerGroupDraft, FieldError> {
        Ok(MaintainerGroupDraft {
            name: Name::parse("name", &required("name", b.name)?)?,
            group_manager_id: optional_uuid("group_manager_id", b.group_manager_id)?,
            description: parse_text("description", b.description)?,
            status: ActiveStatus::parse("status", b.status.as_deref())?,
        })
    }

    fn filter(query: &ListQuery) -> Result<MaintainerGroupFilter, FieldError> {
        Ok(MaintainerGroupFilter {
            group_manager_id: query.parsed("group_manager_id", "a UUID")?,
            status: status_filter(query)?,
        })
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MaintainerGroupMemberBody {
    #[schema(required = true, format = Uuid)]
    group_id: Option<String>,
    #[schema(required = true, format = Uuid)]
    maintainer_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = MaintainerGroupMember)]
pub struct MaintainerGroupMemberOut {
    id: String,
    group_id: String,
    maintainer_id: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl InfraResource for MaintainerGroupMember {
    const PATH: &'static str = "maintainer-group-members";
    const LIST_KEY: Option<&'static str> = Some("maintainer_group_members");
    const DELETED: &'static str = "Maintainer group member deleted successfully";
    const NAME: &'static str = "MaintainerGroupMember";
    const ID: IdKind = IdKind::Uuid;
    const FILTERS: &'static [FilterParam] = &[
        FilterParam {
            name: "group_id",
            kind: FilterKind::Uuid,
        },
        FilterParam {
            name: "maintainer_id",
            kind: FilterKind::Uuid,
        },
    ];
    type Body = MaintainerGroupMemberBody;
    type Out = MaintainerGroupMemberOut;

    fn draft(b: MaintainerGroupMemberBody) -> Result<MaintainerGroupMemberDraft, FieldError> {
        Ok(MaintainerGroupMemberDraft {
            group_id: uuid("group_id", &required("group_id", b.group_id)?)?,
            maintainer_id: uuid(
                "maintainer_id",
                &required("maintainer_id", b.maintainer_id)?,
            )?,
        })
    }

    fn filter(query: &ListQuery) -> Result<MaintainerGroupMemberFilter, FieldError> {
        Ok(MaintainerGroupMemberFilter {
            group_id: query.parsed("group_id", "a UUID")?,
            maintainer_id: query.parsed("maintainer_id", "a UUID")?,
        })
    }
}

/// A resource id is a UUID string, or for host groups and tenants an integer (a number or
/// its decimal text).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ResourceIdInput {
    Text(String),
    Number(i64),
}

/// The id as it was stored: a UUID string or an integer.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum ResourceIdOut {
    Uuid(String),
    Integer(i64),
}

fn maintainer_type_schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    words::schema(&["individual", "group"])
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResourceMaintainerBody {
    #[schema(required = true, schema_with = words::resource_type)]
    resource_type: Option<String>,
    #[schema(required = true)]
    resource_id: Option<ResourceIdInput>,
    #[schema(required = true, schema_with = maintainer_type_schema)]
    maintainer_type: Option<String>,
    #[schema(required = true, format = Uuid)]
    maintainer_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ResourceMaintainer)]
pub struct ResourceMaintainerOut {
    id: String,
    #[schema(schema_with = words::resource_type)]
    resource_type: &'static str,
    resource_id: ResourceIdOut,
    #[schema(schema_with = maintainer_type_schema)]
    maintainer_type: &'static str,
    maintainer_id: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl InfraResource for ResourceMaintainer {
    const PATH: &'static str = "resource-maintainers";
    const LIST_KEY: Option<&'static str> = Some("resource_maintainers");
    const DELETED: &'static str = "Resource maintainer association deleted successfully";
    const NAME: &'static str = "ResourceMaintainer";
    const ID: IdKind = IdKind::Uuid;
    const FILTERS: &'static [FilterParam] = &[
        FilterParam {
            name: "resource_type",
            kind: FilterKind::Words(ResourceType::WORDS),
        },
        FilterParam {
            name: "resource_id",
            kind: FilterKind::Text,
        },
        FilterParam {
            name: "maintainer_type",
            kind: FilterKind::Words(&["individual", "group"]),
        },
        FilterParam {
            name: "maintainer_id",
            kind: FilterKind::Uuid,
        },
    ];
    type Body = ResourceMaintainerBody;
    type Out = ResourceMaintainerOut;

    fn draft(b: ResourceMaintainerBody) -> Result<ResourceMaintainerDraft, FieldError> {
        let resource_type = ResourceType::parse(
            "resource_type",
            &required("resource_type", b.resource_type)?,
        )?;
        let raw_id = match required("resource_id", b.resource_id)? {
            ResourceIdInput::Text(text) => text,
            ResourceIdInput::Number(n) => n.to_string(),
        };
        Ok(ResourceMaintainerDraft {
            resource_type,
            resource_id: resource_type.parse_key("resource_id", &raw_id)?,
            maintainer_type: MaintainerType::parse(
                "maintainer_type",
                &required("maintainer_type", b.maintainer_type)?,
            )?,
            maintainer_id: uuid(
                "maintainer_id",
                &required("maintainer_id", b.maintainer_id)?,
            )?,
        })
    }

    fn filter(query: &ListQuery) -> Result<ResourceMaintainerFilter, FieldError> {
        Ok(ResourceMaintainerFilter {
            resource_type: query
                .text("resource_type")
                .map(|t| ResourceType::parse("resource_type", t))
                .transpose()?,
            // Stored ids are canonical: lower-case UUIDs, decimal integers.
            resource_id: query.text("resource_id").map(|id| {
                let id = id.trim();
                uuid::Uuid::parse_str(id)
                    .map(|u| u.to_string())
                    .unwrap_or_else(|_| id.to_owned())
            }),
            maintainer_type: query
                .text("maintainer_type")
                .map(|t| MaintainerType::parse("maintainer_type", t))
                .transpose()?,
            maintainer_id: query.parsed("maintainer_id", "a UUID")?,
        })
    }
}

impl From<&Maintainer> for MaintainerOut {
    fn from(r: &Maintainer) -> Self {
        let f = &r.fields;
        MaintainerOut {
            id: r.id.to_string(),
            name: f.name.to_string(),
            email: f.email.as_str().to_owned(),
            status: f.status.as_str(),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

impl From<&MaintainerGroup> for MaintainerGroupOut {
    fn from(r: &MaintainerGroup) -> Self {
        let f = &r.fields;
        MaintainerGroupOut {
            id: r.id.to_string(),
            name: f.name.to_string(),
            group_manager_id: f.group_manager_id.map(|id| id.to_string()),
            description: f.description.clone(),
            status: f.status.as_str(),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

impl From<&MaintainerGroupMember> for MaintainerGroupMemberOut {
    fn from(r: &MaintainerGroupMember) -> Self {
        MaintainerGroupMemberOut {
            id: r.id.to_string(),
            group_id: r.fields.group_id.to_string(),
            maintainer_id: r.fields.maintainer_id.to_string(),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

impl From<&ResourceMaintainer> for ResourceMaintainerOut {
    fn from(r: &ResourceMaintainer) -> Self {
        let f = &r.fields;
        ResourceMaintainerOut {
            id: r.id.to_string(),
            resource_type: f.resource_type.as_str(),
            resource_id: match f.resource_id {
                RecordKey::Uuid(u) => ResourceIdOut::Uuid(u.to_string()),
                RecordKey::Int(i) => ResourceIdOut::Integer(i),
            },
            maintainer_type: f.maintainer_type.as_str(),
            maintainer_id: f.maintainer_id.to_string(),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}
