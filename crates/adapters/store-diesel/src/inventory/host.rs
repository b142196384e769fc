//! Hosts store `total_*` and `reserved_*`; what VMs hold is summed from their specifications
//! whenever a host is read, so `available_*` can never drift from the VMs.

use super::DbKey;
use super::decode;
use super::group_totals::host_fits_group;
use super::host_read::HostWithAllocation;
use super::sums::{
    SplitParts, host_allocation, joined_resources, read_resources, split_resources, split_sum_sql,
};
use crate::connection::{AnyConnection, Db};
use crate::dialect::db_run;
use crate::error::TxError;
use crate::inventory::refs::{check_references, delete_error, delete_record, write_error};
use crate::page::{Total, Window, load_page, row_count};
use crate::schema::{hosts, virtual_machines, vm_specifications};
use crate::store::DieselStore;
use capacity_quota::{HostCapacity, Resources};
use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;
use infra_inventory::ids::{HostGroupId, HostId};
use infra_inventory::ports::Repository;
use infra_inventory::resources::{Host, HostDraft, HostFilter, Location};
use infra_inventory::values::{HostStatus, Name};
use infra_inventory::{Page, PageRequest, Record, RecordId, StoreError};
use std::collections::HashMap;

#[derive(Queryable, Selectable)]
#[diesel(table_name = hosts)]
struct Row {
    id: String,
    name: String,
    status: String,
    total_cpu: i64,
    total_memory: i64,
    total_storage: i64,
    reserved_cpu: i64,
    reserved_memory: i64,
    reserved_storage: i64,
    group_id: Option<i64>,
    region: Option<String>,
    dc: Option<String>,
    room: Option<String>,
    rack: Option<String>,
    external_system_id: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = hosts, treat_none_as_null = true)]
struct Values<'a> {
    name: &'a str,
    status: &'a str,
    total_cpu: i64,
    total_memory: i64,
    total_storage: i64,
    reserved_cpu: i64,
    reserved_memory: i64,
    reserved_storage: i64,
    group_id: Option<i64>,
    region: Option<&'a str>,
    dc: Option<&'a str>,
    room: Option<&'a str>,
    rack: Option<&'a str>,
    external_system_id: Option<&'a str>,
    updated_at: NaiveDateTime,
}

fn values(h: &Host) -> Values<'_> {
    let (total, reserved) = (h.capacity.total, h.capacity.reserved);
    Values {
        name: h.name.as_str(),
        status: h.status.as_str(),
        total_cpu: total.cpu,
        total_memory: total.memory,
        total_storage: total.storage,
        reserved_cpu: reserved.cpu,
        reserved_memory: reserved.memory,
        reserved_storage: reserved.storage,
        group_id: h.group_id.map(|g| g.0),
        region: h.location.region.as_deref(),
        dc: h.location.dc.as_deref(),
        room: h.location.room.as_deref(),
        rack: h.location.rack.as_deref(),
        external_system_id: h.location.external_system_id.as_deref(),
        updated_at: h.updated_at.naive_utc(),
    }
}

impl Row {
    fn reserved(&self) -> Resources {
        Resources {
            cpu: self.reserved_cpu,
            memory: self.reserved_memory,
            storage: self.reserved_storage,
        }
    }

    fn capacity(&self, allocated: Resources) -> HostCapacity {
        HostCapacity {
            total: Resources {
                cpu: self.total_cpu,
                memory: self.total_memory,
                storage: self.total_storage,
            },
            reserved: self.reserved(),
            allocated,
        }
    }
}

fn record(row: Row, allocated: Resources) -> Result<Host, StoreError> {
    const T: &str = "hosts";
    Ok(Host {
        id: decode::id(T, &row.id)?,
        name: decode::field(T, Name::parse("name", &row.name))?,
        status: decode::field(T, HostStatus::parse("status", Some(&row.status)))?,
        capacity: row.capacity(allocated),
        group_id: row.group_id.map(HostGroupId),
        location: Location {
            region: row.region,
            dc: row.dc,
            room: row.room,
            rack: row.rack,
            external_system_id: row.external_system_id,
        },
        created_at: decode::utc(row.created_at),
        updated_at: decode::utc(row.updated_at),
    })
}

fn filtered(f: &HostFilter) -> hosts::BoxedQuery<'static, Db> {
    let mut q = hosts::table.into_boxed();
    if let Some(group) = f.group_id {
        q = q.filter(hosts::group_id.eq(group.0));
    }
    if let Some(status) = f.status {
        q = q.filter(hosts::status.eq(status.as_str()));
    }
    q
}

/// What the VMs on each of `hosts` claim, in one grouped query, summed as `sums` says.
fn allocations(
    conn: &mut AnyConnection,
    hosts: &[String],
) -> QueryResult<HashMap<String, Resources>> {
    let rows: Vec<(String, SplitParts)> = virtual_machines::table
        .inner_join(vm_specifications::table)
        .filter(virtual_machines::host_id.eq_any(hosts))
        .group_by(virtual_machines::host_id)
        .select((
            virtual_machines::host_id,
            split_resources(
                split_sum_sql!("vm_specifications.required_cpu"),
                split_sum_sql!("vm_specifications.required_memory"),
                split_sum_sql!("vm_specifications.required_storage"),
            ),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(host, parts)| (host, joined_resources(parts)))
        .collect())
}

pub(crate) fn allocated_on(conn: &mut AnyConnection, host: &str) -> QueryResult<Resources> {
    // A host without VMs has no group in the sum: it holds nothing.
    Ok(allocations(conn, &[host.to_owned()])?
        .remove(host)
        .unwrap_or(Resources::ZERO))
}

/// A host as a claim sees it: capacity with what VMs hold now, and its group.
pub(crate) struct ClaimedHost {
    pub(crate) capacity: HostCapacity,
    pub(crate) group: Option<HostGroupId>,
}

/// Locks the host row and reads its capacity for a claim; `None` when there is no such host.
pub(crate) fn lock_for_claim(
    conn: &mut AnyConnection,
    id: &str,
) -> QueryResult<Option<ClaimedHost>> {
    let Some(row) = lock_host(conn, id)? else {
        return Ok(None);
    };
    let allocated = allocated_on(conn, id)?;
    Ok(Some(ClaimedHost {
        capacity: row.capacity(allocated),
        group: row.group_id.map(HostGroupId),
    }))
}

/// The host row, locked against concurrent writers until the transaction ends (PostgreSQL;
/// SQLite's write transaction holds the database lock already).
fn lock_host(conn: &mut AnyConnection, id: &str) -> QueryResult<Option<Row>> {
    // `as_select` is typed for one backend, so each arm builds its own.
    let query = hosts::table.find(id.to_owned());
    db_run!(conn,
        postgres(pg) => query.select(Row::as_select()).for_update().first(pg).optional(),
        sqlite(lite) => query.select(Row::as_select()).first(lite).optional(),
    )
}

impl Repository<Host> for DieselStore {
    fn create(&self, draft: &HostDraft) -> Result<Host, StoreError> {
        let id = HostId::generate(0);
        self.write(|conn| {
            check_references(conn, &Host::references(draft))?;
            let at = decode::now();
            let host = draft.resolve(id, Resources::ZERO, Resources::ZERO, at, at)?;
            host_fits_group(conn, &host, Resources::ZERO)?;
            diesel::insert_into(hosts::table)
                .values((
                    hosts::id.eq(id.db_key()),
                    hosts::created_at.eq(at.naive_utc()),
                    values(&host),
                ))
                .execute(conn)?;
            Ok(host)
        })
        .map_err(|e| write_error::<Host>(draft, e))
    }

    fn get(&self, id: HostId) -> Result<Option<Host>, StoreError> {
        self.read(|conn| {
            // One statement: the row and what its VMs claim.
            let query = HostWithAllocation { id: id.db_key() };
            let found: Option<(Row, SplitParts)> = db_run!(conn,
                postgres(pg) => query.get_result(pg).optional(),
                sqlite(lite) => query.get_result(lite).optional(),
            )?;
            match found {
                None => Ok(None),
                Some((row, parts)) => Ok(Some(record(row, joined_resources(parts))?)),
            }
        })
    }

    fn list(&self, filter: &HostFilter, page: PageRequest) -> Result<Page<Host>, StoreError> {
        self.read(|conn| {
            let window = Window {
                offset: page.offset(),
                limit: page.limit(),
                after: page.after,
            };
            // The page's rows come with what their VMs claim, in the page's statement.
            let (total, rows): (u64, Vec<(Row, String)>) = load_page(
                conn,
                Total::Kept(self.counts(), &crate::counts::key("hosts", filter)),
                || filtered(filter),
                |q| match window.after {
                    None => Ok(q),
                    Some(after) => Ok(q.filter(hosts::id.gt(crate::page::uuid_key(after)?))),
                },
                (Row::as_select(), host_allocation()),
                hosts::id.asc(),
                window,
            )?;
            let items = rows
                .into_iter()
                .map(|(row, sums)| Ok(record(row, read_resources(&sums)?)?))
                .collect::<Result<Vec<_>, TxError<StoreError>>>()?;
            Ok(Page { items, total })
        })
    }

    fn update(&self, id: HostId, draft: &HostDraft) -> Result<Option<Host>, StoreError> {
        self.write(|conn| {
            let key = id.db_key();
            let Some(row) = lock_host(conn, &key)? else {
                return Ok(None);
            };
            check_references(conn, &Host::references(draft))?;
            let allocated = allocated_on(conn, &key)?;
            if row.group_id.map(HostGroupId) != draft.group_id {
                let vms: i64 = virtual_machines::table
                    .filter(virtual_machines::host_id.eq(&key))
                    .select(count_star())
                    .get_result(conn)?;
                let vms = row_count(vms)?;
                if vms > 0 {
                    return Err(TxError::Domain(StoreError::Conflict(format!(
                        "host {id} has {vms} virtual machine(s); a host with VMs cannot move to another group"
                    ))));
                }
            }
            let created_at = decode::utc(row.created_at);
            // A clock that stepped back must not date the update before the creation.
            let at = decode::now().max(created_at);
            let host = draft.resolve(id, row.reserved(), allocated, created_at, at)?;
            let before = if row.group_id.map(HostGroupId) == host.group_id {
                row.capacity(Resources::ZERO).total
            } else {
                Resources::ZERO
            };
            host_fits_group(conn, &host, before)?;
            diesel::update(hosts::table.find(&key))
                .set(values(&host))
                .execute(conn)?;
            Ok(Some(host))
        })
        .map_err(|e| write_error::<Host>(draft, e))
    }

    fn delete(&self, id: HostId) -> Result<bool, StoreError> {
        self.write(|conn| delete_record(conn, Host::record_ref(id)))
            .map_err(delete_error)
    }
}
