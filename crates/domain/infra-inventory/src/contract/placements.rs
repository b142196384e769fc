//! Placing VMs: claims on host capacity, tenant quotas in a host group, and the changes a
//! claim or a quota in use forbids.

use super::fixtures::*;
use super::helpers::*;
use crate::error::StoreError;
use crate::ids::*;
use crate::ports::{InventoryStore, Repository};
use crate::resources::*;
use crate::values::*;
use capacity_quota::Resources;

fn grouped_host<S: InventoryStore>(store: &S, group: HostGroupId, cpu: i64) -> HostId {
    let host: Host = store.create(&host(Some(group), cpu, 65536, 4096)).unwrap();
    host.id
}

fn vm_count<S: InventoryStore>(store: &S) -> u64 {
    count::<S, VirtualMachine>(store)
}

pub fn placements_claim_host_capacity<S: InventoryStore>(store: &S) {
    let p = placement(store, 8, 4);
    let _a: VirtualMachine = store.create(&vm(p.tenant, p.host, p.spec)).unwrap();
    let _b: VirtualMachine = store.create(&vm(p.tenant, p.host, p.spec)).unwrap();
    let refused: Result<VirtualMachine, _> = store.create(&vm(p.tenant, p.host, p.spec));
    let Err(StoreError::InsufficientCapacity(e)) = refused else {
        panic!("expected InsufficientCapacity, got {refused:?}")
    };
    assert_eq!(
        (e.resource, e.requested, e.used, e.limit),
        (capacity_quota::Resource::Cpu, 4, 8, 8)
    );
    assert_eq!(vm_count(store), 2);
    let host: Host = store.get(p.host).unwrap().unwrap();
    assert_eq!(host.capacity.available().cpu, 0);
}

pub fn grouped_hosts_need_a_quota<S: InventoryStore>(store: &S) {
    let p = placement(store, 8, 1);
    let stranger: Tenant = store.create(&tenant("Stranger")).unwrap();
    let refused: Result<VirtualMachine, _> = store.create(&vm(stranger.id, p.host, p.spec));
    assert!(
        matches!(refused, Err(StoreError::QuotaNotGranted(_))),
        "{refused:?}"
    );
    assert_eq!(vm_count(store), 0);
    // A host outside any group checks its own capacity only.
    let loose: Host = store.create(&host(None, 8, 8192, 100)).unwrap();
    let _ok: VirtualMachine = store.create(&vm(stranger.id, loose.id, p.spec)).unwrap();
}

pub fn quotas_bound_a_tenants_usage_in_the_group<S: InventoryStore>(store: &S) {
    let t: Tenant = store.create(&tenant("T")).unwrap();
    let g: HostGroup = store.create(&host_group("G")).unwrap();
    let h1 = grouped_host(store, g.id, 8);
    let h2 = grouped_host(store, g.id, 8);
    // 25 % of 16 cores = 4 cores; 3000 MB; 25 GB.
    let _q: HostGroupTenantQuota = store.create(&quota(g.id, t.id, 25.0, 3000, 25)).unwrap();
    let two_cores: VmSpecification = store.create(&spec(2, 1000, 10)).unwrap();
    let _a: VirtualMachine = store.create(&vm(t.id, h1, two_cores.id)).unwrap();
    let _b: VirtualMachine = store.create(&vm(t.id, h2, two_cores.id)).unwrap();
    let refused: Result<VirtualMachine, _> = store.create(&vm(t.id, h1, two_cores.id));
    let Err(StoreError::QuotaExceeded(e)) = refused else {
        panic!("expected QuotaExceeded, got {refused:?}")
    };
    assert_eq!(
        (e.resource, e.requested, e.used, e.limit),
        (capacity_quota::Resource::Cpu, 2, 4, 4.0)
    );
    let memory_hog: VmSpecification = store.create(&spec(0, 1001, 0)).unwrap();
    let refused: Result<VirtualMachine, _> = store.create(&vm(t.id, h1, memory_hog.id));
    assert!(
        matches!(&refused, Err(StoreError::QuotaExceeded(e)) if e.resource == capacity_quota::Resource::Memory),
        "{refused:?}"
    );
    let disk_hog: VmSpecification = store.create(&spec(0, 0, 6)).unwrap();
    let refused: Result<VirtualMachine, _> = store.create(&vm(t.id, h1, disk_hog.id));
    assert!(
        matches!(&refused, Err(StoreError::QuotaExceeded(e)) if e.resource == capacity_quota::Resource::Storage),
        "{refused:?}"
    );
    assert_eq!(vm_count(store), 2);
    let usage = store.quota_usage(&[(g.id, t.id)]).unwrap();
    assert_eq!(
        usage[0].used,
        Resources {
            cpu: 4,
            memory: 2000,
            storage: 20
        }
    );
    assert_eq!(usage[0].group_total_cpu, 16);
}

pub fn deleting_a_vm_releases_its_claim<S: InventoryStore>(store: &S) {
    let p = placement(store, 4, 4);
    let first: VirtualMachine = store.create(&vm(p.tenant, p.host, p.spec)).unwrap();
    assert!(Repository::<VirtualMachine>::create(store, &vm(p.tenant, p.host, p.spec)).is_err());
    assert!(Repository::<VirtualMachine>::delete(store, first.id).unwrap());
    let _again: VirtualMachine = store.create(&vm(p.tenant, p.host, p.spec)).unwrap();
}

pub fn changing_host_spec_or_tenant_reclaims_atomically<S: InventoryStore>(store: &S) {
    let p = placement(store, 8, 4);
    let small: VmSpecification = store.create(&spec(2, 1024, 10)).unwrap();
    let big: VmSpecification = store.create(&spec(10, 1024, 10)).unwrap();
    let full = grouped_host(store, p.group, 4);
    let _filler: VirtualMachine = store.create(&vm(p.tenant, full, p.spec)).unwrap();
    let moving: VirtualMachine = store.create(&vm(p.tenant, p.host, p.spec)).unwrap();

    // Growing in place counts the VM's own claim as free: 4 → 8 cores on an 8-core host fits.
    let eight: VmSpecification = store.create(&spec(8, 1024, 10)).unwrap();
    let grown: Option<VirtualMachine> = store
        .update(moving.id, &vm(p.tenant, p.host, eight.id))
        .unwrap();
    assert!(grown.is_some());
    let refused: Result<Option<VirtualMachine>, _> =
        store.update(moving.id, &vm(p.tenant, p.host, big.id));
    assert!(
        matches!(refused, Err(StoreError::InsufficientCapacity(_))),
        "{refused:?}"
    );
    // Moving to a full host is refused and the VM stays where it was, with its spec.
    let refused: Result<Option<VirtualMachine>, _> =
        store.update(moving.id, &vm(p.tenant, full, small.id));
    assert!(
        matches!(refused, Err(StoreError::InsufficientCapacity(_))),
        "{refused:?}"
    );
    let unchanged: VirtualMachine = store.get(moving.id).unwrap().unwrap();
    assert_eq!(
        (unchanged.fields.host_id, unchanged.fields.specification_id),
        (p.host, eight.id)
    );
    // Moving to another tenant needs that tenant's quota.
    let other: Tenant = store.create(&tenant("Other")).unwrap();
    let refused: Result<Option<VirtualMachine>, _> =
        store.update(moving.id, &vm(other.id, p.host, small.id));
    assert!(
        matches!(refused, Err(StoreError::QuotaNotGranted(_))),
        "{refused:?}"
    );
    let _q: HostGroupTenantQuota = store
        .create(&quota(p.group, other.id, 100.0, 1 << 30, 1 << 30))
        .unwrap();
    let moved: Option<VirtualMachine> = store
        .update(moving.id, &vm(other.id, p.host, small.id))
        .unwrap();
    assert_eq!(moved.map(|vm| vm.fields.tenant_id), Some(other.id));
    let host: Host = store.get(p.host).unwrap().unwrap();
    assert_eq!(host.capacity.allocated.cpu, 2);
}

pub fn lowered_limits_refuse_growth_but_never_evict<S: InventoryStore>(store: &S) {
    let p = placement(store, 16, 4);
    let a: VirtualMachine = store.create(&vm(p.tenant, p.host, p.spec)).unwrap();
    let _b: VirtualMachine = store.create(&vm(p.tenant, p.host, p.spec)).unwrap();
    // Lower the quota to 25 % of 16 = 4 cores while 8 are in use: allowed.
    let lowered: Option<HostGroupTenantQuota> = store
        .update(p.quota, &quota(p.group, p.tenant, 25.0, 1 << 40, 1 << 40))
        .unwrap();
    assert!(lowered.is_some());
    assert_eq!(vm_count(store), 2);
    // Growth is refused; shrinking and keeping are allowed.
    let refused: Result<VirtualMachine, _> = store.create(&vm(p.tenant, p.host, p.spec));
    assert!(
        matches!(refused, Err(StoreError::QuotaExceeded(_))),
        "{refused:?}"
    );
    let small: VmSpecification = store.create(&spec(2, 1024, 10)).unwrap();
    let shrunk: Option<VirtualMachine> =
        store.update(a.id, &vm(p.tenant, p.host, small.id)).unwrap();
    assert!(shrunk.is_some());
    let mut renamed = vm(p.tenant, p.host, small.id);
    renamed.status = VmStatus::Running;
    assert!(
        Repository::<VirtualMachine>::update(store, a.id, &renamed)
            .unwrap()
            .is_some()
    );
}

pub fn specifications_in_use_cannot_grow<S: InventoryStore>(store: &S) {
    let p = placement(store, 16, 4);
    let _vm: VirtualMachine = store.create(&vm(p.tenant, p.host, p.spec)).unwrap();
    let refused: Result<Option<VmSpecification>, _> = store.update(p.spec, &spec(5, 1024, 10));
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
    let shrunk: Option<VmSpecification> = store.update(p.spec, &spec(3, 1024, 10)).unwrap();
    assert_eq!(shrunk.map(|s| s.fields.required_cpu.get()), Some(3));
}

pub fn quotas_in_use_cannot_be_removed_or_moved<S: InventoryStore>(store: &S) {
    let p = placement(store, 16, 4);
    let _vm: VirtualMachine = store.create(&vm(p.tenant, p.host, p.spec)).unwrap();
    let refused = Repository::<HostGroupTenantQuota>::delete(store, p.quota);
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
    let other: Tenant = store.create(&tenant("Other")).unwrap();
    let refused: Result<Option<HostGroupTenantQuota>, _> =
        store.update(p.quota, &quota(p.group, other.id, 50.0, 1, 1));
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
    assert!(
        Repository::<HostGroupTenantQuota>::get(store, p.quota)
            .unwrap()
            .is_some()
    );
}
