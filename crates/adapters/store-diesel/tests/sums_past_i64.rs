//! Sums that no longer fit `i64`, on data older than the bound on host-group totals: 1,030
//! hosts of 2^53 − 1 cores in one group and 1,030 VMs of 2^53 − 1 of everything on one host
//! (written past the store, as no write through it admits them now). Reading and placing
//! must go on: every sum reads saturated at 2^53 − 1, never as a database error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use capacity_quota::{MAX_AMOUNT, Resource, Resources};
use infra_inventory::contract::fixtures::{host, host_group, quota, spec, tenant, vm};
use infra_inventory::ids::{HostGroupId, HostId, TenantId};
use infra_inventory::ports::{Repository, UsageReader};
use infra_inventory::resources::*;
use infra_inventory::{PageRequest, StoreError};

const ROWS: usize = 1030;
const FULL: Resources = Resources {
    cpu: MAX_AMOUNT,
    memory: MAX_AMOUNT,
    storage: MAX_AMOUNT,
};

/// `count` hosts of 2^53 − 1 of everything in `group`, written past the store; their ids.
fn legacy_hosts(fresh: &support::Fresh, group: HostGroupId, count: usize) -> Vec<HostId> {
    let ids: Vec<HostId> = (0..count).map(|_| HostId(uuid::Uuid::now_v7())).collect();
    let rows: Vec<String> = ids
        .iter()
        .map(|id| {
            format!(
                "('{id}', 'legacy', 'running', {MAX_AMOUNT}, {MAX_AMOUNT}, {MAX_AMOUNT}, 0, 0, 0, \
                 {group}, '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000')"
            )
        })
        .collect();
    fresh.raw(&format!(
        "INSERT INTO hosts (id, name, status, total_cpu, total_memory, total_storage, \
         reserved_cpu, reserved_memory, reserved_storage, group_id, created_at, updated_at) \
         VALUES {}",
        rows.join(", ")
    ));
    ids
}

/// `count` VMs of `tenant` with specification `spec` on `host`, written past the store.
fn legacy_vms(
    fresh: &support::Fresh,
    tenant: TenantId,
    host: HostId,
    spec: VmSpecificationId,
    count: usize,
) {
    let rows: Vec<String> = (0..count)
        .map(|_| {
            format!(
                "('{}', 'legacy', {tenant}, '{host}', '{spec}', NULL, 'running', \
                 '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000')",
                uuid::Uuid::now_v7()
            )
        })
        .collect();
    fresh.raw(&format!(
        "INSERT INTO virtual_machines (id, name, tenant_id, host_id, specification_id, \
         k8s_cluster_id, status, created_at, updated_at) VALUES {}",
        rows.join(", ")
    ));
}

use infra_inventory::ids::VmSpecificationId;

on_both_stores!(sums_past_i64_read_as_the_bound, |fresh| {
    let store = &fresh.store;
    let group: HostGroup = store.create(&host_group("Legacy")).unwrap();
    let hoarder: Tenant = store.create(&tenant("Hoarder")).unwrap();
    let newcomer: Tenant = store.create(&tenant("Newcomer")).unwrap();
    for t in [hoarder.id, newcomer.id] {
        let _q: HostGroupTenantQuota = store
            .create(&quota(group.id, t, 100.0, MAX_AMOUNT, MAX_AMOUNT))
            .unwrap();
    }
    let crowded: Host = store
        .create(&host(Some(group.id), MAX_AMOUNT, MAX_AMOUNT, MAX_AMOUNT))
        .unwrap();
    let huge: VmSpecification = store
        .create(&spec(MAX_AMOUNT, MAX_AMOUNT, MAX_AMOUNT))
        .unwrap();
    let small: VmSpecification = store.create(&spec(1, 1, 1)).unwrap();
    let others = legacy_hosts(&fresh, group.id, ROWS - 1);
    legacy_vms(&fresh, hoarder.id, crowded.id, huge.id, ROWS);

    // A host whose VMs hold more than i64 counts: held in full, nothing available.
    let read: Host = store.get(crowded.id).unwrap().unwrap();
    assert_eq!(read.capacity.allocated, FULL);
    assert_eq!(read.capacity.available(), Resources::ZERO);
    let filter = HostFilter {
        group_id: Some(group.id),
        status: None,
    };
    let page = PageRequest {
        page: 1,
        per_page: 1000,
        after: None,
    };
    let listed = Repository::<Host>::list(store, &filter, page).unwrap();
    assert_eq!(listed.total, ROWS as u64);
    assert_eq!(listed.items[0].capacity.allocated, FULL);

    // The group's total CPU and the hoarder's usage read as the bound.
    let usage = store
        .quota_usage(&[(group.id, hoarder.id), (group.id, newcomer.id)])
        .unwrap();
    assert_eq!(
        (usage[0].used, usage[0].group_total_cpu),
        (FULL, MAX_AMOUNT)
    );
    assert_eq!(
        (usage[1].used, usage[1].group_total_cpu),
        (Resources::ZERO, MAX_AMOUNT)
    );
    // The same figures where a quota is read with its usage in one statement.
    let quotas = store
        .quotas_with_usage(&QuotaFilter::default(), page)
        .unwrap();
    let of = |t: TenantId| {
        let q = quotas
            .items
            .iter()
            .find(|q| q.quota.fields.tenant_id == t)
            .unwrap();
        let one = store.quota_with_usage(q.quota.id).unwrap().unwrap();
        assert_eq!(&one, q);
        (q.usage.used, q.usage.group_total_cpu)
    };
    assert_eq!(of(hoarder.id), (FULL, MAX_AMOUNT));
    assert_eq!(of(newcomer.id), (Resources::ZERO, MAX_AMOUNT));

    // Placing goes on: the newcomer fits, the hoarder is over its quota, the crowded host
    // is full; refusals name sane figures.
    let _placed: VirtualMachine = store.create(&vm(newcomer.id, others[0], small.id)).unwrap();
    let over: Result<VirtualMachine, _> = store.create(&vm(hoarder.id, others[1], small.id));
    let Err(StoreError::QuotaExceeded(e)) = over else {
        panic!("expected QuotaExceeded, got {over:?}")
    };
    assert_eq!(
        (e.resource, e.requested, e.used),
        (Resource::Cpu, 1, MAX_AMOUNT)
    );
    let full: Result<VirtualMachine, _> = store.create(&vm(newcomer.id, crowded.id, small.id));
    let Err(StoreError::InsufficientCapacity(e)) = full else {
        panic!("expected InsufficientCapacity, got {full:?}")
    };
    assert_eq!((e.requested, e.used, e.limit), (1, MAX_AMOUNT, MAX_AMOUNT));
});
