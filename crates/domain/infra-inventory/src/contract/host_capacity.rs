//! A host's capacity: its reservation, the allocation its VMs make, and the changes that
//! allocation forbids.

use super::fixtures::*;
use super::helpers::*;
use crate::error::StoreError;
use crate::ports::{InventoryStore, Repository};
use crate::resources::*;
use crate::values::*;
use capacity_quota::{CapacityRequest, Resources};

pub fn host_available_sets_reservation<S: InventoryStore>(store: &S) {
    let mut draft = host(None, 16, 32768, 1024);
    draft.capacity = CapacityRequest::Available(Resources {
        cpu: 14,
        memory: 30000,
        storage: 900,
    });
    let created: Host = store.create(&draft).unwrap();
    assert_eq!(
        created.capacity.reserved,
        Resources {
            cpu: 2,
            memory: 2768,
            storage: 124
        }
    );
    assert_eq!(
        created.capacity.available(),
        Resources {
            cpu: 14,
            memory: 30000,
            storage: 900
        }
    );
    let read: Option<Host> = store.get(created.id).unwrap();
    assert_eq!(read.as_ref(), Some(&created));

    draft.capacity = CapacityRequest::Available(Resources {
        cpu: 17,
        memory: 1,
        storage: 1,
    });
    let refused: Result<Option<Host>, _> = store.update(created.id, &draft);
    assert!(
        matches!(refused, Err(StoreError::InsufficientCapacity(_))),
        "{refused:?}"
    );
    assert_eq!(store.get(created.id).unwrap(), read);

    // An update that sends no capacity keeps the reservation.
    draft.capacity = CapacityRequest::Unchanged;
    draft.status = HostStatus::Maintenance;
    let updated: Option<Host> = store.update(created.id, &draft).unwrap();
    assert_eq!(
        updated.map(|h| (h.status, h.capacity.reserved)),
        Some((HostStatus::Maintenance, created.capacity.reserved))
    );
}

pub fn host_allocation_follows_its_vms<S: InventoryStore>(store: &S) {
    let p = placement(store, 16, 4);
    let first: VirtualMachine = store.create(&vm(p.tenant, p.host, p.spec)).unwrap();
    let _second: VirtualMachine = store.create(&vm(p.tenant, p.host, p.spec)).unwrap();
    let host: Host = store.get(p.host).unwrap().unwrap();
    assert_eq!(
        host.capacity.allocated,
        Resources {
            cpu: 8,
            memory: 2048,
            storage: 20
        }
    );
    assert_eq!(host.capacity.available().cpu, 8);
    let listed = Repository::<Host>::list(store, &HostFilter::default(), first_page(10)).unwrap();
    assert_eq!(listed.items[0].capacity.allocated.cpu, 8);

    assert!(Repository::<VirtualMachine>::delete(store, first.id).unwrap());
    let host: Host = store.get(p.host).unwrap().unwrap();
    assert_eq!(host.capacity.allocated.cpu, 4);
}

pub fn host_with_vms_cannot_change_group<S: InventoryStore>(store: &S) {
    let p = placement(store, 16, 4);
    let other: HostGroup = store.create(&host_group("Group 2")).unwrap();
    let _vm: VirtualMachine = store.create(&vm(p.tenant, p.host, p.spec)).unwrap();
    let moved = host(Some(other.id), 16, 65536, 4096);
    let refused: Result<Option<Host>, _> = store.update(p.host, &moved);
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
    let host: Host = store.get(p.host).unwrap().unwrap();
    assert_eq!(host.group_id, Some(p.group));
}

pub fn host_total_cannot_fall_below_allocation<S: InventoryStore>(store: &S) {
    let p = placement(store, 16, 4);
    let _vm: VirtualMachine = store.create(&vm(p.tenant, p.host, p.spec)).unwrap();
    let shrunk = host(Some(p.group), 3, 65536, 4096);
    let refused: Result<Option<Host>, _> = store.update(p.host, &shrunk);
    assert!(
        matches!(refused, Err(StoreError::InsufficientCapacity(_))),
        "{refused:?}"
    );
    let fits = host(Some(p.group), 4, 65536, 4096);
    let updated: Option<Host> = store.update(p.host, &fits).unwrap();
    assert_eq!(updated.map(|h| h.capacity.available().cpu), Some(0));
}
