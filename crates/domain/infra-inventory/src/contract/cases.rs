use super::fixtures::*;
use crate::error::StoreError;
use crate::ids::*;
use crate::page::PageRequest;
use crate::ports::{InventoryStore, Repository};
use crate::record::{RecordKey, ResourceKind};
use crate::resources::*;
use crate::values::*;
use capacity_quota::{CapacityRequest, Resources};

fn first_page(per_page: u32) -> PageRequest {
    PageRequest {
        page: 1,
        per_page,
        after: None,
    }
}

fn count<S: Repository<R>, R: crate::Record>(store: &S) -> u64 {
    store
        .list(&R::Filter::default(), first_page(1))
        .unwrap()
        .total
}

pub fn create_assigns_id_and_timestamps<S: InventoryStore>(store: &S) {
    let created: Maintainer = store.create(&maintainer("john.doe@example.com")).unwrap();
    assert_eq!(created.created_at, created.updated_at);
    assert_eq!(created.fields.email.as_str(), "john.doe@example.com");
    let read: Option<Maintainer> = store.get(created.id).unwrap();
    assert_eq!(read, Some(created));
}

pub fn get_of_unknown_id_is_none<S: InventoryStore>(store: &S) {
    let missing: Option<Maintainer> = store.get(MaintainerId(uuid::Uuid::now_v7())).unwrap();
    assert!(missing.is_none());
    let missing: Option<Tenant> = store.get(TenantId(42)).unwrap();
    assert!(missing.is_none());
}

pub fn list_filters_counts_and_pages_in_creation_order<S: InventoryStore>(store: &S) {
    let mut ids = Vec::new();
    for i in 0..5 {
        let mut draft = maintainer(&format!("m{i}@example.com"));
        if i % 2 == 1 {
            draft.status = ActiveStatus::Inactive;
        }
        let m: Maintainer = store.create(&draft).unwrap();
        ids.push(m.id);
    }
    let all = Repository::<Maintainer>::list(store, &Default::default(), first_page(100)).unwrap();
    assert_eq!(all.total, 5);
    assert_eq!(all.items.iter().map(|m| m.id).collect::<Vec<_>>(), ids);

    let second = Repository::<Maintainer>::list(
        store,
        &Default::default(),
        PageRequest {
            page: 2,
            per_page: 2,
            after: None,
        },
    )
    .unwrap();
    assert_eq!(second.total, 5);
    assert_eq!(
        second.items.iter().map(|m| m.id).collect::<Vec<_>>(),
        ids[2..4]
    );

    let beyond = Repository::<Maintainer>::list(
        store,
        &Default::default(),
        PageRequest {
            page: 9,
            per_page: 2,
            after: None,
        },
    )
    .unwrap();
    assert_eq!((beyond.total, beyond.items.len()), (5, 0));

    let filter = StatusFilter {
        status: Some(ActiveStatus::Inactive),
    };
    let inactive = Repository::<Maintainer>::list(store, &filter, first_page(100)).unwrap();
    assert_eq!(inactive.total, 2);
    assert!(
        inactive
            .items
            .iter()
            .all(|m| m.fields.status == ActiveStatus::Inactive)
    );

    let p = placement(store, 16, 2);
    let other_group: HostGroup = store.create(&host_group("Group 2")).unwrap();
    let _elsewhere: Host = store.create(&host(Some(other_group.id), 8, 8, 8)).unwrap();
    let _ungrouped: Host = store.create(&host(None, 8, 8, 8)).unwrap();
    let in_group = Repository::<Host>::list(
        store,
        &HostFilter {
            group_id: Some(p.group),
            status: None,
        },
        first_page(10),
    )
    .unwrap();
    assert_eq!(
        in_group.items.iter().map(|h| h.id).collect::<Vec<_>>(),
        vec![p.host]
    );
    let by_status = HostFilter {
        group_id: None,
        status: Some(HostStatus::Maintenance),
    };
    assert_eq!(
        Repository::<Host>::list(store, &by_status, first_page(10))
            .unwrap()
            .total,
        0
    );
}

/// Walks every page of `filter` with `after`, `per_page` at a time; the records in order and
/// the total each page reported.
fn walk<S: Repository<R>, R: crate::Record>(
    store: &S,
    filter: &R::Filter,
    per_page: u32,
) -> (Vec<R::Id>, Vec<u64>) {
    use crate::record::RecordId as _;
    let (mut seen, mut totals, mut after) = (Vec::new(), Vec::new(), None);
    loop {
        let page = first_page(per_page).after(after).unwrap();
        let found = store.list(filter, page).unwrap();
        totals.push(found.total);
        let Some(last) = found.items.last() else {
            return (seen, totals);
        };
        after = Some(last.id().key());
        seen.extend(found.items.iter().map(crate::Record::id));
        assert!(seen.len() <= 100, "the walk does not end");
    }
}

pub fn keyset_pages_walk_every_record_once_in_id_order<S: InventoryStore>(store: &S) {
    let (mut ids, mut inactive_ids) = (Vec::new(), Vec::new());
    for i in 0..7 {
        let mut draft = maintainer(&format!("k{i}@example.com"));
        if i % 3 == 0 {
            draft.status = ActiveStatus::Inactive;
        }
        let m: Maintainer = store.create(&draft).unwrap();
        if i % 3 == 0 {
            inactive_ids.push(m.id);
        }
        ids.push(m.id);
    }
    ids.sort();
    inactive_ids.sort();
    let (seen, totals) = walk::<S, Maintainer>(store, &Default::default(), 3);
    assert_eq!(seen, ids);
    // The total is the filter's, on every page.
    assert_eq!(totals, vec![7, 7, 7, 7]);
    let inactive = StatusFilter {
        status: Some(ActiveStatus::Inactive),
    };
    let (seen, totals) = walk::<S, Maintainer>(store, &inactive, 2);
    assert_eq!(seen, inactive_ids);
    assert_eq!(totals, vec![3, 3, 3]);
    // Integer ids page the same way.
    let tenants: Vec<TenantId> = (0..5)
        .map(|i| {
            Repository::<Tenant>::create(store, &tenant(&format!("t{i}")))
                .unwrap()
                .id
        })
        .collect();
    let (seen, _) = walk::<S, Tenant>(store, &Default::default(), 2);
    assert_eq!(seen, tenants);
    // A key past the last record: an empty page, the total still the filter's.
    let past = first_page(10)
        .after(Some(RecordKey::Int(i64::MAX)))
        .unwrap();
    let found = Repository::<Tenant>::list(store, &Default::default(), past).unwrap();
    assert_eq!((found.items.len(), found.total), (0, 5));
}

pub fn update_replaces_fields_and_keeps_created_at<S: InventoryStore>(store: &S) {
    let created: HostGroup = store.create(&host_group("Group 1")).unwrap();
    let mut draft = host_group("Group 1 Updated");
    draft.description = None;
    draft.status = ActiveStatus::Inactive;
    let updated: HostGroup = store.update(created.id, &draft).unwrap().unwrap();
    assert_eq!(updated.id, created.id);
    assert_eq!(updated.created_at, created.created_at);
    assert!(updated.updated_at >= created.updated_at);
    assert_eq!(updated.fields, draft);
    assert_eq!(store.get(created.id).unwrap(), Some(updated));
}

pub fn update_and_delete_of_unknown_id_report_absence<S: InventoryStore>(store: &S) {
    let unknown = VmSpecificationId(uuid::Uuid::now_v7());
    let updated: Option<VmSpecification> = store.update(unknown, &spec(1, 1, 1)).unwrap();
    assert!(updated.is_none());
    assert!(!Repository::<VmSpecification>::delete(store, unknown).unwrap());
    assert!(!Repository::<Tenant>::delete(store, TenantId(7)).unwrap());
    assert_eq!(count::<S, VmSpecification>(store), 0);
}

pub fn duplicate_email_is_refused_ignoring_case<S: InventoryStore>(store: &S) {
    let _first: Maintainer = store.create(&maintainer("ops@example.com")).unwrap();
    let again: Result<Maintainer, _> = store.create(&maintainer("OPS@example.com"));
    assert!(
        matches!(
            again,
            Err(StoreError::Duplicate {
                kind: ResourceKind::Maintainer,
                ..
            })
        ),
        "{again:?}"
    );
    assert_eq!(count::<S, Maintainer>(store), 1);
}

pub fn own_unique_key_does_not_block_an_update<S: InventoryStore>(store: &S) {
    let first: Maintainer = store.create(&maintainer("a@example.com")).unwrap();
    let second: Maintainer = store.create(&maintainer("b@example.com")).unwrap();
    let mut same_email = maintainer("a@example.com");
    same_email.status = ActiveStatus::Inactive;
    let kept: Option<Maintainer> = store.update(first.id, &same_email).unwrap();
    assert_eq!(kept.map(|m| m.fields.status), Some(ActiveStatus::Inactive));
    let taken: Result<Option<Maintainer>, _> =
        store.update(second.id, &maintainer("a@example.com"));
    assert!(
        matches!(taken, Err(StoreError::Duplicate { .. })),
        "{taken:?}"
    );
    let unchanged: Option<Maintainer> = store.get(second.id).unwrap();
    assert_eq!(unchanged.map(|m| m.fields.email), Some(second.fields.email));
}

pub fn duplicate_pairs_are_refused<S: InventoryStore>(store: &S) {
    let m: Maintainer = store.create(&maintainer("a@example.com")).unwrap();
    let g: MaintainerGroup = store.create(&maintainer_group(None)).unwrap();
    let member = MaintainerGroupMemberDraft {
        group_id: g.id,
        maintainer_id: m.id,
    };
    let _first: MaintainerGroupMember = store.create(&member).unwrap();
    let again: Result<MaintainerGroupMember, _> = store.create(&member);
    assert!(
        matches!(again, Err(StoreError::Duplicate { .. })),
        "{again:?}"
    );

    let group: HostGroup = store.create(&host_group("Group 1")).unwrap();
    let t: Tenant = store.create(&tenant("Tenant A")).unwrap();
    let _q: HostGroupTenantQuota = store
        .create(&quota(group.id, t.id, 40.0, 100, 100))
        .unwrap();
    let again: Result<HostGroupTenantQuota, _> = store.create(&quota(group.id, t.id, 50.0, 1, 1));
    assert!(
        matches!(again, Err(StoreError::Duplicate { .. })),
        "{again:?}"
    );
    assert_eq!(count::<S, HostGroupTenantQuota>(store), 1);

    let rm = ResourceMaintainerDraft {
        resource_type: ResourceType::Tenant,
        resource_id: RecordKey::Int(t.id.0),
        maintainer_type: MaintainerType::Individual,
        maintainer_id: m.id.0,
    };
    let _rm: ResourceMaintainer = store.create(&rm).unwrap();
    let again: Result<ResourceMaintainer, _> = store.create(&rm);
    assert!(
        matches!(again, Err(StoreError::Duplicate { .. })),
        "{again:?}"
    );
}

pub fn dangling_references_are_refused_and_nothing_is_stored<S: InventoryStore>(store: &S) {
    let m: Maintainer = store.create(&maintainer("a@example.com")).unwrap();
    let member = MaintainerGroupMemberDraft {
        group_id: MaintainerGroupId(uuid::Uuid::now_v7()),
        maintainer_id: m.id,
    };
    let refused: Result<MaintainerGroupMember, _> = store.create(&member);
    assert!(
        matches!(
            refused,
            Err(StoreError::MissingReference {
                field: "group_id",
                ..
            })
        ),
        "{refused:?}"
    );
    assert_eq!(count::<S, MaintainerGroupMember>(store), 0);

    let refused: Result<Host, _> = store.create(&host(Some(HostGroupId(999)), 8, 8, 8));
    assert!(
        matches!(
            refused,
            Err(StoreError::MissingReference {
                field: "group_id",
                ..
            })
        ),
        "{refused:?}"
    );
    assert_eq!(count::<S, Host>(store), 0);

    let p = placement(store, 16, 2);
    let mut draft = vm(p.tenant, p.host, VmSpecificationId(uuid::Uuid::now_v7()));
    let refused: Result<VirtualMachine, _> = store.create(&draft);
    assert!(
        matches!(
            refused,
            Err(StoreError::MissingReference {
                field: "specification_id",
                ..
            })
        ),
        "{refused:?}"
    );
    draft.specification_id = p.spec;
    draft.k8s_cluster_id = Some(K8sClusterId(uuid::Uuid::now_v7()));
    let refused: Result<VirtualMachine, _> = store.create(&draft);
    assert!(
        matches!(
            refused,
            Err(StoreError::MissingReference {
                field: "k8s_cluster_id",
                ..
            })
        ),
        "{refused:?}"
    );
    assert_eq!(count::<S, VirtualMachine>(store), 0);

    let refused: Result<HostGroupTenantQuota, _> =
        store.create(&quota(p.group, TenantId(p.tenant.0 + 100), 10.0, 1, 1));
    assert!(
        matches!(
            refused,
            Err(StoreError::MissingReference {
                field: "tenant_id",
                ..
            })
        ),
        "{refused:?}"
    );
}

pub fn integer_ids_count_up_per_kind<S: InventoryStore>(store: &S) {
    let a: Tenant = store.create(&tenant("A")).unwrap();
    let b: Tenant = store.create(&tenant("B")).unwrap();
    let g: HostGroup = store.create(&host_group("G")).unwrap();
    assert!(a.id.0 >= 1 && g.id.0 >= 1);
    assert!(b.id.0 > a.id.0);
    assert!(Repository::<Tenant>::delete(store, b.id).unwrap());
    let c: Tenant = store.create(&tenant("C")).unwrap();
    assert!(c.id.0 > b.id.0, "ids are not reused");
}

pub fn deletes_restrict_while_referenced<S: InventoryStore>(store: &S) {
    let p = placement(store, 16, 2);
    let _cluster: K8sCluster = store.create(&cluster(p.tenant)).unwrap();
    let _vm: VirtualMachine = store.create(&vm(p.tenant, p.host, p.spec)).unwrap();

    let refused = Repository::<Tenant>::delete(store, p.tenant);
    let Err(StoreError::InUse(referrers)) = refused else {
        panic!("expected InUse, got {refused:?}")
    };
    let mut kinds: Vec<(ResourceKind, u64)> = referrers.iter().map(|r| (r.kind, r.count)).collect();
    kinds.sort();
    assert_eq!(
        kinds,
        vec![
            (ResourceKind::VirtualMachine, 1),
            (ResourceKind::K8sCluster, 1),
            (ResourceKind::HostGroupTenantQuota, 1)
        ]
    );
    assert!(
        Repository::<Tenant>::get(store, p.tenant)
            .unwrap()
            .is_some()
    );

    assert!(matches!(
        Repository::<Host>::delete(store, p.host),
        Err(StoreError::InUse(_))
    ));
    assert!(matches!(
        Repository::<VmSpecification>::delete(store, p.spec),
        Err(StoreError::InUse(_))
    ));
    assert!(matches!(
        Repository::<HostGroup>::delete(store, p.group),
        Err(StoreError::InUse(_))
    ));

    let manager: Maintainer = store.create(&maintainer("lead@example.com")).unwrap();
    let _group: MaintainerGroup = store.create(&maintainer_group(Some(manager.id))).unwrap();
    let refused = Repository::<Maintainer>::delete(store, manager.id);
    assert!(
        matches!(&refused, Err(StoreError::InUse(r)) if r[0].kind == ResourceKind::MaintainerGroup),
        "{refused:?}"
    );
}

pub fn deletes_take_association_rows_along<S: InventoryStore>(store: &S) {
    let m: Maintainer = store.create(&maintainer("a@example.com")).unwrap();
    let g: MaintainerGroup = store.create(&maintainer_group(None)).unwrap();
    let _member: MaintainerGroupMember = store
        .create(&MaintainerGroupMemberDraft {
            group_id: g.id,
            maintainer_id: m.id,
        })
        .unwrap();
    let t: Tenant = store.create(&tenant("Tenant A")).unwrap();
    let by_person = ResourceMaintainerDraft {
        resource_type: ResourceType::Tenant,
        resource_id: RecordKey::Int(t.id.0),
        maintainer_type: MaintainerType::Individual,
        maintainer_id: m.id.0,
    };
    let by_group = ResourceMaintainerDraft {
        maintainer_type: MaintainerType::Group,
        maintainer_id: g.id.0,
        ..by_person.clone()
    };
    let _a: ResourceMaintainer = store.create(&by_person).unwrap();
    let _b: ResourceMaintainer = store.create(&by_group).unwrap();

    assert!(Repository::<Maintainer>::delete(store, m.id).unwrap());
    assert_eq!(count::<S, MaintainerGroupMember>(store), 0);
    assert_eq!(count::<S, ResourceMaintainer>(store), 1);

    assert!(Repository::<Tenant>::delete(store, t.id).unwrap());
    assert_eq!(count::<S, ResourceMaintainer>(store), 0);
    assert!(
        Repository::<MaintainerGroup>::get(store, g.id)
            .unwrap()
            .is_some()
    );
}

pub fn resource_maintainers_check_polymorphic_references<S: InventoryStore>(store: &S) {
    let m: Maintainer = store.create(&maintainer("a@example.com")).unwrap();
    let p = placement(store, 8, 1);
    let on_host = ResourceMaintainerDraft {
        resource_type: ResourceType::Baremetal,
        resource_id: RecordKey::Uuid(p.host.0),
        maintainer_type: MaintainerType::Individual,
        maintainer_id: m.id.0,
    };
    let created: ResourceMaintainer = store.create(&on_host).unwrap();
    // The same UUID is not a VM: the reference is checked against the type's own table.
    let as_vm = ResourceMaintainerDraft {
        resource_type: ResourceType::VirtualMachine,
        ..on_host.clone()
    };
    let refused: Result<ResourceMaintainer, _> = store.create(&as_vm);
    assert!(
        matches!(
            refused,
            Err(StoreError::MissingReference {
                field: "resource_id",
                ..
            })
        ),
        "{refused:?}"
    );
    // A maintainer id used as a group id points at nothing.
    let as_group = ResourceMaintainerDraft {
        maintainer_type: MaintainerType::Group,
        ..on_host.clone()
    };
    let refused: Result<ResourceMaintainer, _> = store.create(&as_group);
    assert!(
        matches!(
            refused,
            Err(StoreError::MissingReference {
                field: "maintainer_id",
                ..
            })
        ),
        "{refused:?}"
    );
    let on_group = ResourceMaintainerDraft {
        resource_type: ResourceType::BaremetalGroup,
        resource_id: RecordKey::Int(p.group.0),
        ..on_host.clone()
    };
    let _ok: ResourceMaintainer = store.create(&on_group).unwrap();

    let filter = ResourceMaintainerFilter {
        resource_type: Some(ResourceType::Baremetal),
        ..Default::default()
    };
    let listed = Repository::<ResourceMaintainer>::list(store, &filter, first_page(10)).unwrap();
    assert_eq!(
        listed.items.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![created.id]
    );
    let filter = ResourceMaintainerFilter {
        resource_id: Some(p.group.0.to_string()),
        ..Default::default()
    };
    assert_eq!(
        Repository::<ResourceMaintainer>::list(store, &filter, first_page(10))
            .unwrap()
            .total,
        1
    );

    // Deleting the host (no VMs on it) takes its maintainer rows along.
    assert!(Repository::<Host>::delete(store, p.host).unwrap());
    assert_eq!(count::<S, ResourceMaintainer>(store), 1);
}

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
