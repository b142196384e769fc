//! References checked by the store rather than by a foreign key (resource-maintainers'
//! `resource_id` by `resource_type` and `maintainer_id` by `maintainer_type`) must not be left
//! pointing at a row deleted at the same moment. Each round races creates of such rows, and
//! of the rows foreign keys guard (a maintainer group's manager, members), against deletes of
//! what they point at; afterwards no row may point at nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use infra_inventory::contract::fixtures::{host, host_group, maintainer, maintainer_group};
use infra_inventory::ids::{HostId, MaintainerGroupId, MaintainerId};
use infra_inventory::ports::Repository;
use infra_inventory::resources::*;
use infra_inventory::{RecordKey, StoreError};
use std::sync::Barrier;
use store_diesel::DieselStore;

const ROUNDS: usize = 15;

/// Rows of resource_maintainers whose resource or maintainer is gone, by what is gone.
const ORPHANS: [(&str, &str); 4] = [
    (
        "resource",
        "SELECT COUNT(*) FROM resource_maintainers rm WHERE \
         (rm.resource_type = 'Baremetal' AND NOT EXISTS (SELECT 1 FROM hosts t WHERE t.id = rm.resource_id)) \
         OR (rm.resource_type = 'BaremetalGroup' AND NOT EXISTS (SELECT 1 FROM host_groups t WHERE CAST(t.id AS TEXT) = rm.resource_id))",
    ),
    (
        "maintainer",
        "SELECT COUNT(*) FROM resource_maintainers rm WHERE \
         (rm.maintainer_type = 'individual' AND NOT EXISTS (SELECT 1 FROM maintainers t WHERE t.id = rm.maintainer_id)) \
         OR (rm.maintainer_type = 'group' AND NOT EXISTS (SELECT 1 FROM maintainer_groups t WHERE t.id = rm.maintainer_id))",
    ),
    (
        "group manager",
        "SELECT COUNT(*) FROM maintainer_groups g WHERE g.group_manager_id IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM maintainers t WHERE t.id = g.group_manager_id)",
    ),
    (
        "member",
        "SELECT COUNT(*) FROM maintainer_group_members m WHERE \
         NOT EXISTS (SELECT 1 FROM maintainers t WHERE t.id = m.maintainer_id) \
         OR NOT EXISTS (SELECT 1 FROM maintainer_groups t WHERE t.id = m.group_id)",
    ),
];

fn on_host(host: HostId, by: MaintainerId) -> ResourceMaintainerDraft {
    ResourceMaintainerDraft {
        resource_type: ResourceType::Baremetal,
        resource_id: RecordKey::Uuid(host.0),
        maintainer_type: MaintainerType::Individual,
        maintainer_id: by.0,
    }
}

fn on_group_by_team(group: HostGroup, team: MaintainerGroupId) -> ResourceMaintainerDraft {
    ResourceMaintainerDraft {
        resource_type: ResourceType::BaremetalGroup,
        resource_id: RecordKey::Int(group.id.0),
        maintainer_type: MaintainerType::Group,
        maintainer_id: team.0,
    }
}

fn maintain(store: &DieselStore, draft: ResourceMaintainerDraft) -> Option<StoreError> {
    expected(Repository::<ResourceMaintainer>::create(store, &draft))
}

/// A race may refuse a write for a row already gone, or a delete naming what still refers to
/// the row; nothing else.
fn expected<T>(result: Result<T, StoreError>) -> Option<StoreError> {
    match result {
        Ok(_) | Err(StoreError::MissingReference { .. }) => None,
        Err(StoreError::InUse(referrers)) if !referrers.is_empty() => None,
        Err(other) => Some(other),
    }
}

/// One round: 4 deletes and 10 creates at once; the failures no race explains.
fn round(store: &DieselStore, n: usize) -> Vec<StoreError> {
    let doomed_host: Host = store.create(&host(None, 8, 8, 8)).unwrap();
    let doomed_group: HostGroup = store.create(&host_group("doomed")).unwrap();
    let doomed: Maintainer = store
        .create(&maintainer(&format!("doomed{n}@example.com")))
        .unwrap();
    let doomed_team: MaintainerGroup = store.create(&maintainer_group(None)).unwrap();
    let others: Vec<Maintainer> = (0..4)
        .map(|i| {
            store
                .create(&maintainer(&format!("m{n}.{i}@example.com")))
                .unwrap()
        })
        .collect();
    let hosts: Vec<Host> = (0..3)
        .map(|_| store.create(&host(None, 8, 8, 8)).unwrap())
        .collect();

    let writes: Vec<Box<dyn Fn() -> Option<StoreError> + Send + Sync + '_>> = vec![
        Box::new(|| expected(Repository::<Host>::delete(store, doomed_host.id))),
        Box::new(|| expected(Repository::<Maintainer>::delete(store, doomed.id))),
        Box::new(|| expected(Repository::<MaintainerGroup>::delete(store, doomed_team.id))),
        Box::new(|| expected(Repository::<HostGroup>::delete(store, doomed_group.id))),
        // The resource goes: maintained by others.
        Box::new(|| maintain(store, on_host(doomed_host.id, others[0].id))),
        Box::new(|| maintain(store, on_host(doomed_host.id, others[1].id))),
        Box::new(|| maintain(store, on_host(doomed_host.id, others[2].id))),
        Box::new(|| maintain(store, on_host(doomed_host.id, others[3].id))),
        // The maintainer goes: maintaining other hosts.
        Box::new(|| maintain(store, on_host(hosts[0].id, doomed.id))),
        Box::new(|| maintain(store, on_host(hosts[1].id, doomed.id))),
        Box::new(|| maintain(store, on_host(hosts[2].id, doomed.id))),
        // Both go.
        Box::new(|| {
            maintain(
                store,
                on_group_by_team(doomed_group.clone(), doomed_team.id),
            )
        }),
        // Foreign keys guard these.
        Box::new(|| {
            expected(Repository::<MaintainerGroup>::create(
                store,
                &maintainer_group(Some(doomed.id)),
            ))
        }),
        Box::new(|| {
            let member = MaintainerGroupMemberDraft {
                group_id: doomed_team.id,
                maintainer_id: doomed.id,
            };
            expected(Repository::<MaintainerGroupMember>::create(store, &member))
        }),
    ];
    let start = Barrier::new(writes.len());
    std::thread::scope(|s| {
        let running: Vec<_> = writes
            .iter()
            .map(|write| {
                let start = &start;
                s.spawn(move || {
                    start.wait();
                    write()
                })
            })
            .collect();
        running
            .into_iter()
            .filter_map(|t| t.join().expect("a racing write panicked"))
            .collect()
    })
}

on_both_stores!(racing_deletes_leave_no_reference_to_nothing, |fresh| {
    let unexplained: Vec<StoreError> = (0..ROUNDS).flat_map(|n| round(&fresh.store, n)).collect();
    let orphans: Vec<(&str, i64)> = ORPHANS
        .iter()
        .map(|(what, sql)| (*what, fresh.count(sql)))
        .collect();
    assert!(
        orphans.iter().all(|(_, n)| *n == 0) && unexplained.is_empty(),
        "after {ROUNDS} rounds, rows pointing at deleted rows: {orphans:?}; \
         failures no race explains: {unexplained:?}"
    );
});
