//! Placement inside the write transaction: a VM's claim on its host and in its tenant's quota,
//! and the rules that keep claims true when specifications and quotas change.
//!
//! Lock order, the same in every transaction that takes more than one: the VM's k8s cluster
//! row (shared, `tenancy.rs`), the VM row, the host row, the quota row, the specification row. SQLite's `BEGIN IMMEDIATE` serializes writers
//! whole (so the SQLite arms of `db_run!` read without a lock); on PostgreSQL these row
//! locks do.

use super::DbKey;
use super::host::lock_for_claim;
use super::sums::{SplitParts, joined, joined_resources, spec_sums, split_sum, split_sum_sql};
use crate::connection::AnyConnection;
use crate::dialect::db_run;
use crate::error::TxError;
use crate::page::row_count;
use crate::schema::{
    host_group_tenant_quotas as quotas, hosts, virtual_machines as vms, vm_specifications as specs,
};
use capacity_quota::{Amount, Claim, CpuPercentage, QuotaLimits, QuotaState, Resources};
use diesel::dsl::count_star;
use diesel::prelude::*;
use infra_inventory::ids::{
    HostGroupId, HostId, QuotaId, TenantId, VirtualMachineId, VmSpecificationId,
};
use infra_inventory::resources::{
    Host, QuotaDraft, VirtualMachineDraft, VmSpecification, VmSpecificationDraft,
};
use infra_inventory::rules::{not_granted, quota_may_go, spec_may_change};
use infra_inventory::{Record, RecordRef, StoreError};

fn corrupt(what: &str) -> TxError<StoreError> {
    TxError::Domain(StoreError::Unavailable(format!("unreadable stored {what}")))
}

/// A specification's sizes, share-locked so that it cannot grow under a claim.
fn spec_resources(
    conn: &mut AnyConnection,
    id: VmSpecificationId,
) -> Result<Option<Resources>, TxError<StoreError>> {
    let query = specs::table.find(id.db_key()).select((
        specs::required_cpu,
        specs::required_memory,
        specs::required_storage,
    ));
    let sizes: Option<(i64, i64, i64)> = db_run!(conn,
        postgres(pg) => query.for_share().first(pg).optional(),
        sqlite(lite) => query.first(lite).optional(),
    )?;
    Ok(sizes.map(|(cpu, memory, storage)| Resources {
        cpu,
        memory,
        storage,
    }))
}

/// What the draft's specification asks for. Deleted since the references were checked (a
/// concurrent transaction on PostgreSQL), it is a missing reference.
fn requested(
    conn: &mut AnyConnection,
    draft: &VirtualMachineDraft,
) -> Result<Resources, TxError<StoreError>> {
    let id = draft.specification_id;
    spec_resources(conn, id)?
        .ok_or_else(|| missing("specification_id", VmSpecification::record_ref(id)))
}

/// What the VM holds now. Its specification cannot go while the VM uses it.
fn held(conn: &mut AnyConnection, current: &Current) -> Result<Resources, TxError<StoreError>> {
    spec_resources(conn, current.spec)?.ok_or_else(|| corrupt("VM specification"))
}

fn missing(field: &'static str, target: RecordRef) -> TxError<StoreError> {
    TxError::Domain(StoreError::MissingReference { field, target })
}

/// What a tenant's VMs hold on the hosts of a group.
fn tenant_usage(
    conn: &mut AnyConnection,
    group: HostGroupId,
    tenant: TenantId,
) -> QueryResult<Resources> {
    let parts: SplitParts = vms::table
        .inner_join(specs::table)
        .inner_join(hosts::table)
        .filter(vms::tenant_id.eq(tenant.0))
        .filter(hosts::group_id.eq(group.0))
        .select(spec_sums())
        .first(conn)?;
    Ok(joined_resources(parts))
}

fn group_total_cpu(conn: &mut AnyConnection, group: HostGroupId) -> QueryResult<i64> {
    let parts = hosts::table
        .filter(hosts::group_id.eq(group.0))
        .select(split_sum(split_sum_sql!("hosts.total_cpu")))
        .first(conn)?;
    Ok(joined(parts))
}

fn vms_of_tenant_in(
    conn: &mut AnyConnection,
    group: HostGroupId,
    tenant: TenantId,
) -> QueryResult<u64> {
    let n: i64 = vms::table
        .inner_join(hosts::table)
        .filter(vms::tenant_id.eq(tenant.0))
        .filter(hosts::group_id.eq(group.0))
        .select(count_star())
        .get_result(conn)?;
    row_count(n)
}

/// The quota row of (group, tenant), locked for the rest of the transaction.
fn lock_quota(
    conn: &mut AnyConnection,
    group: HostGroupId,
    tenant: TenantId,
) -> Result<Option<QuotaLimits>, TxError<StoreError>> {
    let query = quotas::table
        .filter(quotas::group_id.eq(group.0))
        .filter(quotas::tenant_id.eq(tenant.0))
        .select((
            quotas::cpu_quota_percentage,
            quotas::memory_quota,
            quotas::storage_quota,
        ));
    let row: Option<(f64, i64, i64)> = db_run!(conn,
        postgres(pg) => query.for_update().first(pg).optional(),
        sqlite(lite) => query.first(lite).optional(),
    )?;
    row.map(|(pct, memory, storage)| {
        Ok(QuotaLimits {
            cpu_quota_percentage: CpuPercentage::new(pct).map_err(|_| corrupt("quota"))?,
            memory_quota: Amount::new(memory).map_err(|_| corrupt("quota"))?,
            storage_quota: Amount::new(storage).map_err(|_| corrupt("quota"))?,
        })
    })
    .transpose()
}

/// The VM as it stands before an update: its host, specification and tenant.
struct Current {
    host: HostId,
    spec: VmSpecificationId,
    tenant: TenantId,
}

fn lock_vm(
    conn: &mut AnyConnection,
    id: VirtualMachineId,
) -> Result<Option<Current>, TxError<StoreError>> {
    let query =
        vms::table
            .find(id.db_key())
            .select((vms::host_id, vms::specification_id, vms::tenant_id));
    let row: Option<(String, String, i64)> = db_run!(conn,
        postgres(pg) => query.for_update().first(pg).optional(),
        sqlite(lite) => query.first(lite).optional(),
    )?;
    row.map(|(host, spec, tenant)| {
        Ok(Current {
            host: host.parse().map_err(|_| corrupt("VM"))?,
            spec: spec.parse().map_err(|_| corrupt("VM"))?,
            tenant: TenantId(tenant),
        })
    })
    .transpose()
}

/// The group of the host a VM is on now. The host cannot go while the VM is on it.
fn host_group(
    conn: &mut AnyConnection,
    host: HostId,
) -> Result<Option<HostGroupId>, TxError<StoreError>> {
    let group: Option<Option<i64>> = hosts::table
        .find(host.db_key())
        .select(hosts::group_id)
        .first(conn)
        .optional()?;
    let group = group.ok_or_else(|| corrupt("VM's host"))?;
    Ok(group.map(HostGroupId))
}

/// Admits the claim of `draft`, replacing that of `current`.
fn admit(
    conn: &mut AnyConnection,
    current: Option<&Current>,
    draft: &VirtualMachineDraft,
) -> Result<(), TxError<StoreError>> {
    // Deleted since the references were checked (a concurrent transaction on PostgreSQL).
    let host = lock_for_claim(conn, &draft.host_id.db_key())?
        .ok_or_else(|| missing("host_id", Host::record_ref(draft.host_id)))?;
    let held = match current {
        Some(c) => held(conn, c)?,
        None => Resources::ZERO,
    };
    let on_same_host = current.is_some_and(|c| c.host == draft.host_id);
    let Some(group) = host.group else {
        let request = requested(conn, draft)?;
        host.capacity.admit_claim(Claim {
            request,
            previous: if on_same_host { held } else { Resources::ZERO },
        })?;
        return Ok(());
    };
    let limits = lock_quota(conn, group, draft.tenant_id)?
        .ok_or_else(|| not_granted(group, draft.tenant_id))?;
    let request = requested(conn, draft)?;
    host.capacity.admit_claim(Claim {
        request,
        previous: if on_same_host { held } else { Resources::ZERO },
    })?;
    let in_same_quota = match current {
        Some(c) if c.tenant == draft.tenant_id => host_group(conn, c.host)? == Some(group),
        _ => false,
    };
    let state = QuotaState {
        limits,
        group_total_cpu: group_total_cpu(conn, group)?,
        used: tenant_usage(conn, group, draft.tenant_id)?,
    };
    state.admit(Claim {
        request,
        previous: if in_same_quota { held } else { Resources::ZERO },
    })?;
    Ok(())
}

/// Creating a VM claims capacity.
pub(crate) fn admit_new_vm(
    conn: &mut AnyConnection,
    draft: &VirtualMachineDraft,
) -> Result<(), TxError<StoreError>> {
    admit(conn, None, draft)
}

/// Changing a VM re-claims capacity, its own claim counted as free.
pub(crate) fn admit_changed_vm(
    conn: &mut AnyConnection,
    id: VirtualMachineId,
    draft: &VirtualMachineDraft,
) -> Result<(), TxError<StoreError>> {
    let current = lock_vm(conn, id)?;
    admit(conn, current.as_ref(), draft)
}

/// A specification in use may shrink, never grow.
pub(crate) fn spec_may_be_rewritten(
    conn: &mut AnyConnection,
    id: VmSpecificationId,
    draft: &VmSpecificationDraft,
) -> Result<(), TxError<StoreError>> {
    let query = specs::table.find(id.db_key()).select((
        specs::required_cpu,
        specs::required_memory,
        specs::required_storage,
    ));
    let Some((cpu, memory, storage)): Option<(i64, i64, i64)> = db_run!(conn,
        postgres(pg) => query.for_update().first(pg).optional(),
        sqlite(lite) => query.first(lite).optional(),
    )?
    else {
        return Ok(());
    };
    let users: i64 = vms::table
        .filter(vms::specification_id.eq(id.db_key()))
        .select(count_star())
        .get_result(conn)?;
    let before = Resources {
        cpu,
        memory,
        storage,
    };
    spec_may_change(id, before, draft.resources(), row_count(users)?)?;
    Ok(())
}

fn lock_quota_pair(
    conn: &mut AnyConnection,
    id: QuotaId,
) -> Result<Option<(HostGroupId, TenantId)>, TxError<StoreError>> {
    let query = quotas::table
        .find(id.db_key())
        .select((quotas::group_id, quotas::tenant_id));
    let row: Option<(i64, i64)> = db_run!(conn,
        postgres(pg) => query.for_update().first(pg).optional(),
        sqlite(lite) => query.first(lite).optional(),
    )?;
    Ok(row.map(|(g, t)| (HostGroupId(g), TenantId(t))))
}

/// A quota the tenant's VMs depend on cannot move to another group or tenant.
pub(crate) fn quota_may_be_rewritten(
    conn: &mut AnyConnection,
    id: QuotaId,
    draft: &QuotaDraft,
) -> Result<(), TxError<StoreError>> {
    match lock_quota_pair(conn, id)? {
        Some((group, tenant)) if (group, tenant) != (draft.group_id, draft.tenant_id) => {
            quota_may_go(id, group, tenant, vms_of_tenant_in(conn, group, tenant)?)?;
            Ok(())
        }
        _ => Ok(()),
    }
}

/// A quota the tenant's VMs depend on cannot be removed.
pub(crate) fn quota_may_be_deleted(
    conn: &mut AnyConnection,
    id: QuotaId,
) -> Result<(), TxError<StoreError>> {
    if let Some((group, tenant)) = lock_quota_pair(conn, id)? {
        quota_may_go(id, group, tenant, vms_of_tenant_in(conn, group, tenant)?)?;
    }
    Ok(())
}
