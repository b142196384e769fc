//! Bare-metal hosts and host groups. A host's `available_*` is derived from its total, its
//! reservation and the VMs on it; responses add `reserved_*` and `allocated_*`.

use super::input::required;
use super::resource::{FilterKind, FilterParam, IdKind, InfraResource, words};
use crate::http::ListQuery;
use capacity_quota::{CapacityRequest, Resources};
use infra_inventory::FieldError;
use infra_inventory::ids::HostGroupId;
use infra_inventory::resources::{Host, HostDraft, HostFilter, Location};
use infra_inventory::values::{HostStatus, Name, parse_amount, parse_optional_name};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `available_*` (or `reserved_*`) come as a triple or not at all; the server derives the rest.
#[derive(Debug, Deserialize, ToSchema)]
pub struct HostBody {
    #[schema(required = true, max_length = 255)]
    name: Option<String>,
    #[schema(schema_with = words::host)]
    status: Option<String>,
    #[schema(required = true, minimum = 0)]
    total_cpu: Option<i64>,
    #[schema(required = true, minimum = 0)]
    total_memory: Option<i64>,
    #[schema(required = true, minimum = 0)]
    total_storage: Option<i64>,
    available_cpu: Option<i64>,
    available_memory: Option<i64>,
    available_storage: Option<i64>,
    reserved_cpu: Option<i64>,
    reserved_memory: Option<i64>,
    reserved_storage: Option<i64>,
    group_id: Option<i64>,
    region: Option<String>,
    dc: Option<String>,
    room: Option<String>,
    rack: Option<String>,
    external_system_id: Option<String>,
}

/// Three amounts that come together or not at all, e.g. `available_cpu`, `_memory`, `_storage`.
fn triple(prefix: &str, values: [Option<i64>; 3]) -> Result<Option<Resources>, FieldError> {
    let names = ["cpu", "memory", "storage"].map(|r| format!("{prefix}_{r}"));
    match values {
        [None, None, None] => Ok(None),
        [Some(cpu), Some(memory), Some(storage)] => Ok(Some(Resources::new(
            parse_amount(&names[0], cpu)?,
            parse_amount(&names[1], memory)?,
            parse_amount(&names[2], storage)?,
        ))),
        _ => {
            let missing = values
                .iter()
                .zip(&names)
                .find(|(v, _)| v.is_none())
                .map_or("", |(_, n)| n.as_str());
            Err(FieldError::new(
                missing,
                format!("{} go together: send all three or none", names.join(", ")),
            ))
        }
    }
}

impl InfraResource for Host {
    const PATH: &'static str = "hosts";
    const LIST_KEY: Option<&'static str> = Some("hosts");
    const DELETED: &'static str = "Baremetal deleted successfully";
    const NAME: &'static str = "Host";
    const ID: IdKind = IdKind::Uuid;
    const FILTERS: &'static [FilterParam] = &[
        FilterParam {
            name: "group_id",
            kind: FilterKind::Integer,
        },
        FilterParam {
            name: "status",
            kind: FilterKind::Words(HostStatus::WORDS),
        },
    ];
    type Body = HostBody;
    type Out = HostOut;

    fn draft(b: HostBody) -> Result<HostDraft, FieldError> {
        let total = Resources::new(
            parse_amount("total_cpu", required("total_cpu", b.total_cpu)?)?,
            parse_amount("total_memory", required("total_memory", b.total_memory)?)?,
            parse_amount("total_storage", required("total_storage", b.total_storage)?)?,
        );
        let available = triple(
            "available",
            [b.available_cpu, b.available_memory, b.available_storage],
        )?;
        let reserved = triple(
            "reserved",
            [b.reserved_cpu, b.reserved_memory, b.reserved_storage],
        )?;
        let capacity = match (available, reserved) {
            (Some(_), Some(_)) => {
                return Err(FieldError::new(
                    "available_cpu",
                    "send available_* or reserved_*, not both",
                ));
            }
            (Some(a), None) => CapacityRequest::Available(a),
            (None, Some(r)) => CapacityRequest::Reserved(r),
            (None, None) => CapacityRequest::Unchanged,
        };
        Ok(HostDraft {
            name: Name::parse("name", &required("name", b.name)?)?,
            status: HostStatus::parse("status", b.status.as_deref())?,
            total,
            capacity,
            group_id: b.group_id.map(HostGroupId),
            location: Location {
                region: parse_optional_name("region", b.region)?,
                dc: parse_optional_name("dc", b.dc)?,
                room: parse_optional_name("room", b.room)?,
                rack: parse_optional_name("rack", b.rack)?,
                external_system_id: parse_optional_name(
                    "external_system_id",
                    b.external_system_id,
                )?,
            },
        })
    }

    fn filter(query: &ListQuery) -> Result<HostFilter, FieldError> {
        Ok(HostFilter {
            group_id: query
                .parsed::<i64>("group_id", "an integer")?
                .map(HostGroupId),
            status: query
                .text("status")
                .map(|s| HostStatus::parse("status", Some(s)))
                .transpose()?,
        })
    }
}

/// The seed's host body, plus what makes `available_*` explainable.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Host)]
pub struct HostOut {
    id: String,
    name: String,
    #[schema(schema_with = words::host)]
    status: &'static str,
    total_cpu: i64,
    total_memory: i64,
    total_storage: i64,
    available_cpu: i64,
    available_memory: i64,
    available_storage: i64,
    group_id: Option<i64>,
    region: Option<String>,
    dc: Option<String>,
    room: Option<String>,
    rack: Option<String>,
    external_system_id: Option<String>,
    reserved_cpu: i64,
    reserved_memory: i64,
    reserved_storage: i64,
    allocated_cpu: i64,
    allocated_memory: i64,
    allocated_storage: i64,
    created_at: chrono::DateTime<chrono::Utc>,
    updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<&Host> for HostOut {
    fn from(h: &Host) -> Self {
        let c = &h.capacity;
        let available = c.available();
        HostOut {
            id: h.id.to_string(),
            name: h.name.to_string(),
            status: h.status.as_str(),
            total_cpu: c.total.cpu,
            total_memory: c.total.memory,
            total_storage: c.total.storage,
            available_cpu: available.cpu,
            available_memory: available.memory,
            available_storage: available.storage,
            group_id: h.group_id.map(|g| g.0),
            region: h.location.region.clone(),
            dc: h.location.dc.clone(),
            room: h.location.room.clone(),
            rack: h.location.rack.clone(),
            external_system_id: h.location.external_system_id.clone(),
            reserved_cpu: c.reserved.cpu,
            reserved_memory: c.reserved.memory,
            reserved_storage: c.reserved.storage,
            allocated_cpu: c.allocated.cpu,
            allocated_memory: c.allocated.memory,
            allocated_storage: c.allocated.storage,
            created_at: h.created_at,
            updated_at: h.updated_at,
        }
    }
}
