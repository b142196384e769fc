//! The bound on what a host group holds in all (`infra_inventory::rules::group_may_hold`),
//! decided inside a host write's transaction.
//!
//! The group row is the lock host writes meet on: each write locks it before it sums the
//! group's other hosts, so two hosts joining a group at once are counted one after the other
//! and cannot both pass (PostgreSQL; SQLite's write transaction holds the whole database, so
//! its arm reads without a lock). `FOR NO KEY UPDATE` conflicts with itself and with the
//! group's own updates and delete, but not with the `FOR KEY SHARE` that inserts of rows
//! referring to the group (hosts, quotas) take for their foreign keys. Host writes take it
//! after the host row, and nothing takes a host row after it.

use super::DbKey;
use super::sums::{SplitParts, joined_resources, split_resources, split_sum_sql};
use crate::connection::AnyConnection;
use crate::dialect::db_run;
use crate::error::TxError;
use crate::schema::{host_groups, hosts};
use capacity_quota::Resources;
use diesel::prelude::*;
use infra_inventory::resources::{Host, HostGroup};
use infra_inventory::rules::group_may_hold;
use infra_inventory::{Record, StoreError};

/// Refuses `host`, about to be written, where it would grow its group past the bound;
/// `before` is what the host held in that group until now (zero when it joins it).
pub(crate) fn host_fits_group(
    conn: &mut AnyConnection,
    host: &Host,
    before: Resources,
) -> Result<(), TxError<StoreError>> {
    let Some(group) = host.group_id else {
        return Ok(());
    };
    let query = host_groups::table
        .find(group.db_key())
        .select(host_groups::id);
    let locked: Option<i64> = db_run!(conn,
        postgres(pg) => query.for_no_key_update().first(pg).optional(),
        sqlite(lite) => query.first(lite).optional(),
    )?;
    if locked.is_none() {
        // Deleted since the references were checked (a concurrent transaction on PostgreSQL).
        return Err(StoreError::MissingReference {
            field: "group_id",
            target: HostGroup::record_ref(group),
        }
        .into());
    }
    let others: SplitParts = hosts::table
        .filter(hosts::group_id.eq(group.0))
        .filter(hosts::id.ne(host.id.db_key()))
        .select(split_resources(
            split_sum_sql!("hosts.total_cpu"),
            split_sum_sql!("hosts.total_memory"),
            split_sum_sql!("hosts.total_storage"),
        ))
        .first(conn)?;
    Ok(group_may_hold(
        group,
        joined_resources(others),
        before,
        host.capacity.total,
    )?)
}
