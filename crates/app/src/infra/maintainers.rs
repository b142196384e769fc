//! Maintainers, maintainer groups, their members, and who maintains which resource.

use super::input::{optional_uuid, required, uuid};
use super::resource::{InfraResource, serialized};
use crate::http::ListQuery;
use infra_inventory::FieldError;
pub use infra_inventory::resources::{
    Maintainer, MaintainerGroup, MaintainerGroupMember, ResourceMaintainer,
};
use infra_inventory::resources::{
    MaintainerDraft, MaintainerGroupDraft, MaintainerGroupFilter, MaintainerGroupMemberDraft,
    MaintainerGroupMemberFilter, MaintainerType, ResourceMaintainerDraft, ResourceMaintainerFilter,
    ResourceType, StatusFilter,
};
use infra_inventory::values::{ActiveStatus, Email, Name, parse_text};
use serde::Deserialize;

fn status_filter(query: &ListQuery) -> Result<Option<ActiveStatus>, FieldError> {
    query
        .text("status")
        .map(|s| ActiveStatus::parse("status", Some(s)))
        .transpose()
}

#[derive(Debug, Deserialize)]
pub struct MaintainerBody {
    name: Option<String>,
    email: Option<String>,
    status: Option<String>,
}

impl InfraResource for Maintainer {
    const PATH: &'static str = "maintainers";
    const LIST_KEY: Option<&'static str> = None;
    const DELETED: &'static str = "Maintainer deleted successfully";
    type Body = MaintainerBody;

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

    fn to_json(&self) -> serde_json::Value {
        serialized(self)
    }
}

#[derive(Debug, Deserialize)]
pub struct MaintainerGroupBody {
    name: Option<String>,
    group_manager_id: Option<String>,
    description: Option<String>,
    status: Option<String>,
}

impl InfraResource for MaintainerGroup {
    const PATH: &'static str = "maintainer-groups";
    const LIST_KEY: Option<&'static str> = Some("maintainer_groups");
    const DELETED: &'static str = "Maintainer group deleted successfully";
    type Body = MaintainerGroupBody;

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

    fn to_json(&self) -> serde_json::Value {
        serialized(self)
    }
}

#[derive(Debug, Deserialize)]
pub struct MaintainerGroupMemberBody {
    group_id: Option<String>,
    maintainer_id: Option<String>,
}

impl InfraResource for MaintainerGroupMember {
    const PATH: &'static str = "maintainer-group-members";
    const LIST_KEY: Option<&'static str> = Some("maintainer_group_members");
    const DELETED: &'static str = "Maintainer group member deleted successfully";
    type Body = MaintainerGroupMemberBody;

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

    fn to_json(&self) -> serde_json::Value {
        serialized(self)
    }
}

/// A resource id is a UUID string, or for host groups and tenants an integer (a number or
/// its decimal text).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum ResourceIdInput {
    Text(String),
    Number(i64),
}

#[derive(Debug, Deserialize)]
pub struct ResourceMaintainerBody {
    resource_type: Option<String>,
    resource_id: Option<ResourceIdInput>,
    maintainer_type: Option<String>,
    maintainer_id: Option<String>,
}

impl InfraResource for ResourceMaintainer {
    const PATH: &'static str = "resource-maintainers";
    const LIST_KEY: Option<&'static str> = Some("resource_maintainers");
    const DELETED: &'static str = "Resource maintainer association deleted successfully";
    type Body = ResourceMaintainerBody;

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

    fn to_json(&self) -> serde_json::Value {
        serialized(self)
    }
}
