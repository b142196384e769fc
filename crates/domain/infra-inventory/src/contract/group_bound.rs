//! A host group holds at most 2^53 − 1 of each resource in all (the sum of its hosts'
//! totals): the figures derived from it, a group's total CPU and a CPU quota in cores, then
//! read exactly in every JSON client. A write that would grow a group past it is refused
//! naming the field; one that does not grow the group passes.

use super::fixtures::*;
use crate::error::StoreError;
use crate::ports::{InventoryStore, Repository};
use crate::resources::*;
use capacity_quota::MAX_AMOUNT;

fn refused_on<T: std::fmt::Debug>(result: Result<T, StoreError>, field: &str) {
    match result {
        Err(StoreError::Invalid(e)) if e.field == field => {
            assert!(e.message.contains(&MAX_AMOUNT.to_string()), "{e}");
        }
        other => panic!("expected a refusal naming {field}, got {other:?}"),
    }
}

pub fn host_groups_hold_at_most_the_json_bound<S: InventoryStore>(store: &S) {
    let group: HostGroup = store.create(&host_group("Big")).unwrap();
    let first: Host = store
        .create(&host(Some(group.id), MAX_AMOUNT, 1000, 10))
        .unwrap();
    refused_on(
        Repository::<Host>::create(store, &host(Some(group.id), 1, 1, 1)),
        "total_cpu",
    );
    refused_on(
        Repository::<Host>::create(store, &host(Some(group.id), 0, MAX_AMOUNT, 0)),
        "total_memory",
    );
    let filter = HostFilter {
        group_id: Some(group.id),
        status: None,
    };
    let page = crate::PageRequest {
        page: 1,
        per_page: 10,
        after: None,
    };
    let count = |store: &S| {
        Repository::<Host>::list(store, &filter, page)
            .unwrap()
            .total
    };
    assert_eq!(count(store), 1);

    // No CPU to add: it fits; growing its CPU later does not, and changes nothing.
    let second: Host = store.create(&host(Some(group.id), 0, 1000, 10)).unwrap();
    refused_on(
        Repository::<Host>::update(store, second.id, &host(Some(group.id), 1, 1000, 10)),
        "total_cpu",
    );
    assert_eq!(store.get(second.id).unwrap(), Some(second.clone()));

    // Joining the group is growing it.
    let loose: Host = store.create(&host(None, 1, 1, 1)).unwrap();
    refused_on(
        Repository::<Host>::update(store, loose.id, &host(Some(group.id), 1, 1, 1)),
        "total_cpu",
    );
    let still: Option<Host> = store.get(loose.id).unwrap();
    assert_eq!(still.and_then(|h| h.group_id), None);

    // Room made by one host is room for another.
    let _shrunk: Option<Host> = store
        .update(first.id, &host(Some(group.id), MAX_AMOUNT - 1, 1000, 10))
        .unwrap();
    let joined: Option<Host> = store
        .update(loose.id, &host(Some(group.id), 1, 1, 1))
        .unwrap();
    assert_eq!(joined.and_then(|h| h.group_id), Some(group.id));
    assert_eq!(
        store
            .quota_usage(&[(group.id, crate::ids::TenantId(1))])
            .unwrap()[0]
            .group_total_cpu,
        MAX_AMOUNT
    );
    // Another group has room of its own.
    let other: HostGroup = store.create(&host_group("Other")).unwrap();
    let _full: Host = store
        .create(&host(Some(other.id), MAX_AMOUNT, MAX_AMOUNT, MAX_AMOUNT))
        .unwrap();
}
