//! Create, read, list, update and delete of every resource, with the seed's bodies and shapes.

use crate::api_test;
use crate::support::seed;
use serde_json::{Value, json};

/// Checks one resource's whole life: 201 on create with the body echoed, 200 on get, the list
/// shape, 200 on a PUT that changes fields, 200 with the seed's message on delete, then 404.
async fn lifecycle(
    app: &crate::support::TestApp,
    path: &str,
    list_key: Option<&str>,
    create: Value,
    update: Value,
    deleted: &str,
    not_found: &str,
) {
    let created = app.post(path, create.clone()).await;
    created.assert_status(201);
    for (key, value) in create.as_object().unwrap() {
        assert_eq!(&created.body[key], value, "{path}: field {key} echoed");
    }
    let id = created.id();
    assert!(id.is_string() || id.is_i64(), "{path}: id {id}");
    assert!(
        created.body["created_at"].is_string()
            && created.body["created_at"] == created.body["updated_at"]
    );
    let item = format!(
        "{path}/{}",
        id.as_str().map_or_else(|| id.to_string(), str::to_owned)
    );

    let read = app.get(&item).await;
    read.assert_status(200);
    assert_eq!(read.body, created.body);

    let listed = app.get(path).await;
    listed.assert_status(200);
    let items = match list_key {
        None => listed.body.as_array().cloned(),
        Some(key) => listed.body[key].as_array().cloned(),
    }
    .unwrap_or_else(|| panic!("{path}: list shape {}", listed.body));
    assert!(items.contains(&created.body), "{path}: created item listed");

    let updated = app.put(&item, update.clone()).await;
    updated.assert_status(200);
    for (key, value) in update.as_object().unwrap() {
        assert_eq!(&updated.body[key], value, "{path}: field {key} updated");
    }
    assert_eq!(updated.body["created_at"], created.body["created_at"]);
    assert!(updated.body["updated_at"].as_str() >= created.body["updated_at"].as_str());
    assert_eq!(app.get(&item).await.body, updated.body);

    let gone = app.delete(&item).await;
    gone.assert_status(200);
    assert_eq!(gone.body, json!({ "message": deleted }));
    app.get(&item).await.assert_error(404, not_found);
    app.delete(&item).await.assert_error(404, not_found);
}

api_test!(maintainers_live_and_die, |app| {
    lifecycle(
        &app,
        "/api/maintainers",
        None,
        seed::maintainer("john.doe@example.com"),
        json!({ "name": "John Doe Updated", "email": "john.updated@example.com", "status": "inactive" }),
        "Maintainer deleted successfully",
        "MAINTAINER_NOT_FOUND",
    )
    .await;
});

api_test!(maintainer_groups_live_and_die, |app| {
    let manager = app
        .create("/api/maintainers", seed::maintainer("lead@example.com"))
        .await["id"]
        .clone();
    lifecycle(
        &app,
        "/api/maintainer-groups",
        Some("maintainer_groups"),
        json!({ "name": "Ops Team", "group_manager_id": manager, "description": "跨部門運維團隊", "status": "active" }),
        json!({ "name": "Ops Team Updated", "group_manager_id": null, "description": "更新後", "status": "active" }),
        "Maintainer group deleted successfully",
        "MAINTAINER_GROUP_NOT_FOUND",
    )
    .await;
});

api_test!(maintainer_group_members_live_and_die, |app| {
    let a = app
        .create("/api/maintainers", seed::maintainer("a@example.com"))
        .await["id"]
        .clone();
    let b = app
        .create("/api/maintainers", seed::maintainer("b@example.com"))
        .await["id"]
        .clone();
    let group = app
        .create("/api/maintainer-groups", json!({ "name": "Ops" }))
        .await["id"]
        .clone();
    lifecycle(
        &app,
        "/api/maintainer-group-members",
        Some("maintainer_group_members"),
        json!({ "group_id": group, "maintainer_id": a }),
        json!({ "group_id": group, "maintainer_id": b }),
        "Maintainer group member deleted successfully",
        "MAINTAINER_GROUP_MEMBER_NOT_FOUND",
    )
    .await;
});

api_test!(resource_maintainers_live_and_die, |app| {
    let w = seed::world(&app).await;
    let person = app
        .create("/api/maintainers", seed::maintainer("a@example.com"))
        .await["id"]
        .clone();
    let team = app
        .create("/api/maintainer-groups", json!({ "name": "Ops" }))
        .await["id"]
        .clone();
    lifecycle(
        &app,
        "/api/resource-maintainers",
        Some("resource_maintainers"),
        json!({ "resource_type": "Baremetal", "resource_id": w.host, "maintainer_type": "individual", "maintainer_id": person }),
        json!({ "resource_type": "Tenant", "resource_id": w.tenant, "maintainer_type": "group", "maintainer_id": team }),
        "Resource maintainer association deleted successfully",
        "RESOURCE_MAINTAINER_NOT_FOUND",
    )
    .await;
});

api_test!(hosts_live_and_die, |app| {
    let group = app.create("/api/host-groups", seed::host_group()).await["id"].clone();
    let mut update = seed::host(group.clone());
    update["name"] = json!("Server A Updated");
    update["status"] = json!("maintenance");
    update["available_cpu"] = json!(14);
    update["available_memory"] = json!(30000);
    update["available_storage"] = json!(900);
    lifecycle(
        &app,
        "/api/hosts",
        Some("hosts"),
        seed::host(group),
        update,
        "Baremetal deleted successfully",
        "HOST_NOT_FOUND",
    )
    .await;
});

api_test!(host_groups_live_and_die, |app| {
    lifecycle(
        &app,
        "/api/host-groups",
        Some("host_groups"),
        seed::host_group(),
        json!({ "name": "Group 1 Updated", "description": "更新後的分組說明", "status": "inactive" }),
        "Baremetal group deleted successfully",
        "HOST_GROUP_NOT_FOUND",
    )
    .await;
});

api_test!(tenants_live_and_die, |app| {
    lifecycle(
        &app,
        "/api/tenants",
        Some("tenants"),
        seed::tenant(),
        json!({ "name": "Tenant A Updated", "description": "更新後的租戶說明", "status": "active" }),
        "Tenant deleted successfully",
        "TENANT_NOT_FOUND",
    )
    .await;
});

api_test!(virtual_machines_live_and_die, |app| {
    let w = seed::world(&app).await;
    let mut update = seed::vm(&w.tenant, &w.host, &w.spec, &Value::Null);
    update["name"] = json!("VM-01 Updated");
    update["status"] = json!("running");
    lifecycle(
        &app,
        "/api/virtual-machines",
        Some("virtual_machines"),
        seed::vm(&w.tenant, &w.host, &w.spec, &w.cluster),
        update,
        "Virtual machine deleted successfully",
        "VIRTUAL_MACHINE_NOT_FOUND",
    )
    .await;
});

api_test!(vm_specifications_live_and_die, |app| {
    lifecycle(
        &app,
        "/api/vm-specifications",
        Some("vm_specifications"),
        seed::spec(),
        json!({ "name": "Standard Spec Updated", "required_cpu": 4, "required_memory": 8192, "required_storage": 120 }),
        "VM specification deleted successfully",
        "VM_SPECIFICATION_NOT_FOUND",
    )
    .await;
});

api_test!(k8s_clusters_live_and_die, |app| {
    let tenant = app.create("/api/tenants", seed::tenant()).await["id"].clone();
    let mut update = seed::cluster(&tenant);
    update["name"] = json!("Cluster A Updated");
    update["status"] = json!("maintenance");
    lifecycle(
        &app,
        "/api/k8s-clusters",
        Some("k8s_clusters"),
        seed::cluster(&tenant),
        update,
        "K8s cluster deleted successfully",
        "K8S_CLUSTER_NOT_FOUND",
    )
    .await;
});

api_test!(quotas_live_and_die, |app| {
    let group = app.create("/api/host-groups", seed::host_group()).await["id"].clone();
    let tenant = app.create("/api/tenants", seed::tenant()).await["id"].clone();
    let mut update = seed::quota(&group, &tenant);
    update["cpu_quota_percentage"] = json!(50.0);
    update["storage_quota"] = json!(600);
    lifecycle(
        &app,
        "/api/host-group-tenant-quotas",
        Some("host_group_tenant_quotas"),
        seed::quota(&group, &tenant),
        update,
        "Baremetal group tenant quota deleted successfully",
        "HOST_GROUP_TENANT_QUOTA_NOT_FOUND",
    )
    .await;
});

api_test!(
    integer_ids_for_host_groups_and_tenants_uuids_elsewhere,
    |app| {
        let w = seed::world(&app).await;
        assert!(w.group.is_i64() && w.tenant.is_i64());
        for id in [&w.host, &w.spec, &w.cluster] {
            assert!(uuid::Uuid::parse_str(id.as_str().unwrap()).is_ok(), "{id}");
        }
        let second = app.create("/api/tenants", seed::tenant()).await["id"].clone();
        assert_eq!(second.as_i64(), w.tenant.as_i64().map(|n| n + 1));
    }
);

api_test!(optional_fields_default_and_status_defaults, |app| {
    let group = app.create("/api/host-groups", json!({ "name": "G" })).await;
    assert_eq!(group["status"], "active");
    assert_eq!(group["description"], Value::Null);
    let host = app
        .create(
            "/api/hosts",
            json!({ "name": "h", "total_cpu": 8, "total_memory": 1024, "total_storage": 10 }),
        )
        .await;
    assert_eq!(
        (
            host["status"].clone(),
            host["available_cpu"].clone(),
            host["group_id"].clone()
        ),
        (json!("running"), json!(8), Value::Null)
    );
});
