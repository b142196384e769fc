//! The tenancy rules of k8s clusters: a VM's cluster belongs to the VM's tenant, and a
//! cluster with VMs keeps its tenant; alone, and raced against each other.

use super::fixtures::*;
use crate::InventoryService;
use crate::error::{InventoryError, StoreError};
use crate::ids::TenantId;
use crate::page::PageRequest;
use crate::ports::{InventoryStore, Repository};
use crate::resources::*;
use std::sync::Barrier;

/// A tenant's placement, a second tenant with a quota in the same group, and a cluster of the
/// first tenant.
fn two_tenants<S: InventoryStore>(store: &S) -> (Placement, Tenant, K8sCluster) {
    let p = placement(store, 1 << 20, 1);
    let other: Tenant = store.create(&tenant("Tenant B")).unwrap();
    let _q: HostGroupTenantQuota = store
        .create(&quota(p.group, other.id, 100.0, 1 << 40, 1 << 40))
        .unwrap();
    let c: K8sCluster = store.create(&cluster(p.tenant)).unwrap();
    (p, other, c)
}

/// A VM of `tenant` that is a node of `c`.
fn node(tenant: TenantId, p: &Placement, c: &K8sCluster) -> VirtualMachineDraft {
    VirtualMachineDraft {
        k8s_cluster_id: Some(c.id),
        ..vm(tenant, p.host, p.spec)
    }
}

fn refused_as_cluster_field<T: std::fmt::Debug>(result: Result<T, StoreError>) {
    assert!(
        matches!(&result, Err(StoreError::Invalid(e)) if e.field == "k8s_cluster_id"),
        "{result:?}"
    );
}

pub fn a_vms_cluster_belongs_to_its_tenant<S: InventoryStore>(store: &S) {
    let (p, other, c) = two_tenants(store);
    refused_as_cluster_field(Repository::<VirtualMachine>::create(
        store,
        &node(other.id, &p, &c),
    ));
    let vms = Repository::<VirtualMachine>::list(store, &Default::default(), first(10));
    assert_eq!(vms.unwrap().total, 0);

    let placed: VirtualMachine = store.create(&node(p.tenant, &p, &c)).unwrap();
    // Moving the VM to the other tenant would leave it in a cluster of the first.
    refused_as_cluster_field(Repository::<VirtualMachine>::update(
        store,
        placed.id,
        &node(other.id, &p, &c),
    ));
    let kept: VirtualMachine = store.get(placed.id).unwrap().unwrap();
    assert_eq!(kept.fields.tenant_id, p.tenant);
    // Without the cluster it may move.
    let moved: Option<VirtualMachine> = store
        .update(placed.id, &vm(other.id, p.host, p.spec))
        .unwrap();
    assert_eq!(moved.map(|v| v.fields.tenant_id), Some(other.id));
}

pub fn a_cluster_with_vms_keeps_its_tenant<S: InventoryStore>(store: &S) {
    let (p, other, c) = two_tenants(store);
    let placed: VirtualMachine = store.create(&node(p.tenant, &p, &c)).unwrap();
    let refused: Result<Option<K8sCluster>, _> = store.update(c.id, &cluster(other.id));
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
    let kept: K8sCluster = store.get(c.id).unwrap().unwrap();
    assert_eq!(kept.fields.tenant_id, p.tenant);
    // Other changes are no move.
    let mut renamed = cluster(p.tenant);
    renamed.name = name("Cluster A2");
    let renamed: Option<K8sCluster> = store.update(c.id, &renamed).unwrap();
    assert!(renamed.is_some());
    // Once its nodes are gone, it may move.
    assert!(Repository::<VirtualMachine>::delete(store, placed.id).unwrap());
    let moved: Option<K8sCluster> = store.update(c.id, &cluster(other.id)).unwrap();
    assert_eq!(moved.map(|c| c.fields.tenant_id), Some(other.id));
}

fn first(per_page: u32) -> PageRequest {
    PageRequest {
        page: 1,
        per_page,
        after: None,
    }
}

/// Rounds of the race. Each one is a fresh cluster, so rounds are independent trials.
const ROUNDS: usize = 40;

/// Each round races the two writes that together would break the tenancy rule, through the
/// service as the HTTP handlers call it: creating a VM of the cluster's tenant in it, and
/// moving the cluster to another tenant. Exactly one may succeed.
pub fn a_vm_never_lands_in_a_cluster_moved_to_another_tenant<S: InventoryStore>(store: &S) {
    let service = InventoryService::new(store.clone());
    let (p, other, _) = two_tenants(store);

    let mut both_succeeded = 0;
    for _ in 0..ROUNDS {
        let c: K8sCluster = store.create(&cluster(p.tenant)).unwrap();
        let node = node(p.tenant, &p, &c);
        let start = Barrier::new(2);
        let (placed, moved) = std::thread::scope(|s| {
            let place = s.spawn(|| {
                start.wait();
                service.create::<VirtualMachine>(node)
            });
            let moving = s.spawn(|| {
                start.wait();
                service.update::<K8sCluster>(c.id, cluster(other.id))
            });
            (place.join().unwrap(), moving.join().unwrap())
        });
        match (&placed, &moved) {
            (Ok(_), Ok(_)) => both_succeeded += 1,
            (Ok(_), Err(InventoryError::InUse(_))) => {}
            (Err(InventoryError::Validation(e)), Ok(_)) if e.field == "k8s_cluster_id" => {}
            _ => panic!("unexpected outcome: {placed:?} / {moved:?}"),
        }
    }

    let strays = vms_in_clusters_of_other_tenants(store);
    assert_eq!(
        (both_succeeded, strays),
        (0, 0),
        "of {ROUNDS} rounds, {both_succeeded} let both writes through; \
         {strays} VM(s) sit in a cluster of another tenant"
    );
}

/// How many VMs name a k8s cluster whose tenant is not theirs.
fn vms_in_clusters_of_other_tenants<S: InventoryStore>(store: &S) -> usize {
    let vms = Repository::<VirtualMachine>::list(store, &Default::default(), first(1000)).unwrap();
    vms.items
        .iter()
        .filter(|vm| {
            vm.fields.k8s_cluster_id.is_some_and(|id| {
                let c: K8sCluster = store.get(id).unwrap().unwrap();
                c.fields.tenant_id != vm.fields.tenant_id
            })
        })
        .count()
}
