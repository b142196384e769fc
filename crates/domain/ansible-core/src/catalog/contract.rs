//! The contract every catalogue store passes; [`catalog_contract_tests!`](crate::catalog_contract_tests)
//! makes one `#[test]` per case, `$make` yielding `(guard, store)` for a fresh empty store.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use ansible_syntax::{Mapping, Value};

#[macro_export]
macro_rules! catalog_contract_tests {
    ($make:expr) => {
        $crate::catalog_contract_tests!(@cases $make;
            inventories_are_created_off_and_unconnected,
            inventory_names_are_unique,
            inventory_lists_search_ignoring_case_and_page,
            inventory_updates_keep_ssh_results_and_created_at,
            unknown_inventories_report_absence,
            playbooks_keep_main_and_task_order,
            playbook_names_are_unique,
            playbook_updates_keep_sent_task_ids_and_number_new_ones,
            playbook_lists_filter_by_search_type_and_status,
            unknown_playbooks_report_absence,
        );
    };
    (@cases $make:expr; $($case:ident),* $(,)?) => {$(
        #[test]
        fn $case() {
            let (_guard, store) = $make;
            $crate::catalog::contract::$case(&store);
        }
    )*};
}

fn first(per_page: u32) -> PageRequest {
    PageRequest { page: 1, per_page }
}

pub fn inventory(name: &str) -> InventoryDraft {
    InventoryDraft::parse(
        Some(name.to_owned()),
        None,
        Some("[web]\nweb1 ansible_host=10.0.0.1\n".to_owned()),
    )
    .unwrap()
}

pub fn playbook(name: &str, tasks: &[(Option<i64>, &str)]) -> PlaybookDraft {
    let mut extra_value = Mapping::new();
    extra_value.insert("env".to_owned(), Value::String("prod".to_owned()));
    let main = MainDraft {
        hosts: Some("all".to_owned()),
        gather_facts: Some(true),
        extra: vec![
            ("become".to_owned(), Value::Bool(true)),
            ("vars".to_owned(), Value::Map(extra_value)),
        ],
    };
    let tasks = tasks
        .iter()
        .map(|(id, content)| (*id, Some(true), Some((*content).to_owned())))
        .collect();
    PlaybookDraft::parse(
        Some(name.to_owned()),
        Some("Machine".to_owned()),
        Some(main),
        Some(tasks),
    )
    .unwrap()
}

pub fn inventories_are_created_off_and_unconnected<S: CatalogStore>(store: &S) {
    let created = store.create_inventory(&inventory("Lab")).unwrap();
    assert_eq!(
        (created.status, created.ssh_status, created.group.as_str()),
        (PowerStatus::Off, SshStatus::Unconnected, "Default")
    );
    assert_eq!(created.created_at, created.updated_at);
    assert_eq!(
        store.get_inventory(created.id).unwrap(),
        Some(created.clone())
    );
    let second = store.create_inventory(&inventory("Prod")).unwrap();
    assert!(second.id.0 > created.id.0);
}

pub fn inventory_names_are_unique<S: CatalogStore>(store: &S) {
    let a = store.create_inventory(&inventory("Lab")).unwrap();
    assert_eq!(
        store.create_inventory(&inventory("Lab")),
        Err(StoreError::Duplicate)
    );
    let b = store.create_inventory(&inventory("Prod")).unwrap();
    assert_eq!(
        store.update_inventory(b.id, &inventory("Lab")),
        Err(StoreError::Duplicate)
    );
    assert!(
        store
            .update_inventory(a.id, &inventory("Lab"))
            .unwrap()
            .is_some()
    );
    let all = store
        .list_inventories(&InventoryQuery {
            search: None,
            page: first(10),
        })
        .unwrap();
    assert_eq!(all.total, 2);
}

pub fn inventory_lists_search_ignoring_case_and_page<S: CatalogStore>(store: &S) {
    for name in [
        "Ansible GUI Inventory",
        "ansible intro",
        "Other",
        "100% done",
        "under_score",
    ] {
        store.create_inventory(&inventory(name)).unwrap();
    }
    let q = |search: &str, page: u32, per_page: u32| InventoryQuery {
        search: Some(search.to_owned()),
        page: PageRequest { page, per_page },
    };
    let found = store.list_inventories(&q("ANSIBLE", 1, 10)).unwrap();
    assert_eq!(
        found
            .items
            .iter()
            .map(|i| i.name.as_str())
            .collect::<Vec<_>>(),
        ["Ansible GUI Inventory", "ansible intro"]
    );
    let second = store.list_inventories(&q("ansible", 2, 1)).unwrap();
    assert_eq!(
        (second.total, second.items[0].name.as_str()),
        (2, "ansible intro")
    );
    // LIKE wildcards in a search are literal characters.
    assert_eq!(store.list_inventories(&q("%", 1, 10)).unwrap().total, 1);
    assert_eq!(store.list_inventories(&q("_", 1, 10)).unwrap().total, 1);
    assert_eq!(
        store
            .list_inventories(&InventoryQuery {
                search: None,
                page: first(2)
            })
            .unwrap()
            .items
            .len(),
        2
    );
}

pub fn inventory_updates_keep_ssh_results_and_created_at<S: CatalogStore>(store: &S) {
    let created = store.create_inventory(&inventory("Lab")).unwrap();
    let draft = InventoryDraft::parse(
        Some("Lab 2".into()),
        Some("Production".into()),
        Some("db1 ansible_port=2222".into()),
    )
    .unwrap();
    let updated = store.update_inventory(created.id, &draft).unwrap().unwrap();
    assert_eq!(
        (
            updated.name.as_str(),
            updated.group.as_str(),
            updated.config.as_str()
        ),
        ("Lab 2", "Production", "db1 ansible_port=2222")
    );
    assert_eq!(
        (updated.created_at, updated.status),
        (created.created_at, PowerStatus::Off)
    );
    assert!(updated.updated_at >= created.updated_at);
}

pub fn unknown_inventories_report_absence<S: CatalogStore>(store: &S) {
    assert_eq!(store.get_inventory(InventoryId(404)).unwrap(), None);
    assert_eq!(
        store
            .update_inventory(InventoryId(404), &inventory("x"))
            .unwrap(),
        None
    );
    assert!(!store.delete_inventory(InventoryId(404)).unwrap());
    let created = store.create_inventory(&inventory("Lab")).unwrap();
    assert!(store.delete_inventory(created.id).unwrap());
    assert_eq!(store.get_inventory(created.id).unwrap(), None);
}

pub fn playbooks_keep_main_and_task_order<S: CatalogStore>(store: &S) {
    let draft = playbook(
        "Deploy",
        &[
            (Some(7), "name: b\ndebug:\n  msg: b"),
            (None, "name: a\ndebug:\n  msg: a"),
        ],
    );
    let created = store.create_playbook(&draft).unwrap();
    assert_eq!(
        created
            .tasks
            .iter()
            .map(|t| (t.id, t.content.as_str()))
            .collect::<Vec<_>>(),
        vec![
            (1, draft.tasks[0].content.as_str()),
            (2, draft.tasks[1].content.as_str())
        ]
    );
    assert_eq!(
        (created.status, created.last_run_at),
        (RunStatus::NotStart, None)
    );
    assert_eq!(created.main, draft.main);
    let read = store.get_playbook(created.id).unwrap().unwrap();
    assert_eq!(read, created);
    assert_eq!(
        read.main
            .extra
            .iter()
            .map(|(k, _)| k.as_str())
            .collect::<Vec<_>>(),
        ["become", "vars"]
    );
}

pub fn playbook_names_are_unique<S: CatalogStore>(store: &S) {
    store.create_playbook(&playbook("Deploy", &[])).unwrap();
    assert_eq!(
        store.create_playbook(&playbook("Deploy", &[])),
        Err(StoreError::Duplicate)
    );
    let other = store.create_playbook(&playbook("Other", &[])).unwrap();
    assert_eq!(
        store.update_playbook(other.id, &playbook("Deploy", &[])),
        Err(StoreError::Duplicate)
    );
}

pub fn playbook_updates_keep_sent_task_ids_and_number_new_ones<S: CatalogStore>(store: &S) {
    let created = store
        .create_playbook(&playbook(
            "Deploy",
            &[(None, "a: 1"), (None, "b: 2"), (None, "c: 3")],
        ))
        .unwrap();
    // Keep task 1, drop 2 and 3, add one: it is numbered past every id used so far.
    let updated = store
        .update_playbook(
            created.id,
            &playbook("Deploy", &[(Some(1), "a: 10"), (None, "d: 4")]),
        )
        .unwrap()
        .unwrap();
    assert_eq!(
        updated.tasks.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![1, 4]
    );
    assert_eq!(updated.tasks[0].content, "a: 10");
    assert_eq!(updated.created_at, created.created_at);
    let again = store
        .update_playbook(created.id, &playbook("Deploy", &[(None, "e: 5")]))
        .unwrap()
        .unwrap();
    assert_eq!(again.tasks[0].id, 5, "ids of removed tasks are not reused");
}

pub fn playbook_lists_filter_by_search_type_and_status<S: CatalogStore>(store: &S) {
    store
        .create_playbook(&playbook("Ansible GUI", &[]))
        .unwrap();
    let mut other = playbook("ansible intro", &[]);
    other.kind = PlaybookKind::Other;
    store.create_playbook(&other).unwrap();
    store.create_playbook(&playbook("Nginx", &[])).unwrap();
    let q = |search: Option<&str>, kind, status| PlaybookQuery {
        search: search.map(str::to_owned),
        kind,
        status,
        page: first(10),
    };
    assert_eq!(
        store
            .list_playbooks(&q(Some("ANSIBLE"), None, None))
            .unwrap()
            .total,
        2
    );
    assert_eq!(
        store
            .list_playbooks(&q(Some("ansible"), Some(PlaybookKind::Machine), None))
            .unwrap()
            .total,
        1
    );
    assert_eq!(
        store
            .list_playbooks(&q(None, None, Some(RunStatus::NotStart)))
            .unwrap()
            .total,
        3
    );
    assert_eq!(
        store
            .list_playbooks(&q(None, None, Some(RunStatus::Success)))
            .unwrap()
            .total,
        0
    );
}

pub fn unknown_playbooks_report_absence<S: CatalogStore>(store: &S) {
    assert_eq!(store.get_playbook(PlaybookId(404)).unwrap(), None);
    assert_eq!(
        store
            .update_playbook(PlaybookId(404), &playbook("x", &[]))
            .unwrap(),
        None
    );
    assert!(!store.delete_playbook(PlaybookId(404)).unwrap());
}

/// The case list of [`catalog_contract_tests!`](crate::catalog_contract_tests) cannot drift
/// from the cases: a case written but not listed would run on no adapter, so this test fails.
#[test]
fn every_case_is_listed_in_the_macro() {
    let source = include_str!("contract.rs");
    hub_testkit::contract_cases::assert_all_listed(&[source], source, "CatalogStore>");
}
