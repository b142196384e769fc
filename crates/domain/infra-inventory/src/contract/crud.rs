//! Creating, reading, listing and paging, updating and deleting records; unique keys and
//! integer ids.

use super::fixtures::*;
use super::helpers::*;
use crate::error::StoreError;
use crate::ids::*;
use crate::page::PageRequest;
use crate::ports::{InventoryStore, Repository};
use crate::record::{RecordKey, ResourceKind};
use crate::resources::*;
use crate::values::*;

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
