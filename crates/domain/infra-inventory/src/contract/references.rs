//! References between records: dangling ones are refused, deletes restrict while a record
//! is referenced and take association rows along, polymorphic references are checked.

use super::fixtures::*;
use super::helpers::*;
use crate::error::StoreError;
use crate::ids::*;
use crate::ports::{InventoryStore, Repository};
use crate::record::{RecordKey, ResourceKind};
use crate::resources::*;

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
