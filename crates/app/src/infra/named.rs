//! Host groups and tenants: name, description and status, nothing else.

use super::input::required;
use super::resource::{InfraResource, serialized};
use crate::http::ListQuery;
use infra_inventory::FieldError;
pub use infra_inventory::resources::{HostGroup, Tenant};
use infra_inventory::resources::{HostGroupDraft, StatusFilter, TenantDraft};
use infra_inventory::values::{ActiveStatus, Name, parse_text};
use serde::Deserialize;

/// The body of host groups and tenants alike.
#[derive(Debug, Deserialize)]
pub struct NamedBody {
    name: Option<String>,
    description: Option<String>,
    status: Option<String>,
}

macro_rules! named_resource {
    ($record:ident, $draft:ident, $path:literal, $list_key:literal, $deleted:literal) => {
        impl InfraResource for $record {
            const PATH: &'static str = $path;
            const LIST_KEY: Option<&'static str> = Some($list_key);
            const DELETED: &'static str = $deleted;
            type Body = NamedBody;

            fn draft(b: NamedBody) -> Result<$draft, FieldError> {
                Ok($draft {
                    name: Name::parse("name", &required("name", b.name)?)?,
                    description: parse_text("description", b.description)?,
                    status: ActiveStatus::parse("status", b.status.as_deref())?,
                })
            }

            fn filter(query: &ListQuery) -> Result<StatusFilter<ActiveStatus>, FieldError> {
                let status = query
                    .text("status")
                    .map(|s| ActiveStatus::parse("status", Some(s)));
                Ok(StatusFilter {
                    status: status.transpose()?,
                })
            }

            fn to_json(&self) -> serde_json::Value {
                serialized(self)
            }
        }
    };
}

named_resource!(
    HostGroup,
    HostGroupDraft,
    "host-groups",
    "host_groups",
    "Baremetal group deleted successfully"
);
named_resource!(
    Tenant,
    TenantDraft,
    "tenants",
    "tenants",
    "Tenant deleted successfully"
);
