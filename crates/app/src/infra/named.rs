//! Host groups and tenants: name, description and status, nothing else.

use super::input::required;
use super::resource::{FilterKind, FilterParam, IdKind, InfraResource, words};
use crate::http::ListQuery;
use chrono::{DateTime, Utc};
use infra_inventory::FieldError;
use infra_inventory::resources::{HostGroup, HostGroupDraft, StatusFilter, Tenant, TenantDraft};
use infra_inventory::values::{ActiveStatus, Name, parse_text};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The body of host groups and tenants alike.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NamedBody {
    #[schema(required = true, max_length = 255)]
    name: Option<String>,
    description: Option<String>,
    #[schema(schema_with = words::active)]
    status: Option<String>,
}

/// A host group or a tenant as the client reads it; ids are integers.
#[derive(Debug, Serialize, ToSchema)]
pub struct NamedOut {
    id: i64,
    name: String,
    description: Option<String>,
    #[schema(schema_with = words::active)]
    status: &'static str,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

macro_rules! named_resource {
    ($record:ident, $draft:ident, $path:literal, $list_key:literal, $deleted:literal) => {
        impl InfraResource for $record {
            const PATH: &'static str = $path;
            const LIST_KEY: Option<&'static str> = Some($list_key);
            const DELETED: &'static str = $deleted;
            const NAME: &'static str = stringify!($record);
            const ID: IdKind = IdKind::Integer;
            const FILTERS: &'static [FilterParam] = &[FilterParam {
                name: "status",
                kind: FilterKind::Words(ActiveStatus::WORDS),
            }];
            type Body = NamedBody;
            type Out = NamedOut;

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
        }

        impl From<&$record> for NamedOut {
            fn from(r: &$record) -> Self {
                NamedOut {
                    id: r.id.0,
                    name: r.fields.name.to_string(),
                    description: r.fields.description.clone(),
                    status: r.fields.status.as_str(),
                    created_at: r.created_at,
                    updated_at: r.updated_at,
                }
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
