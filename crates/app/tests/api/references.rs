//! References are checked, duplicates refused, deletes restrict or cascade.

use crate::api_test;
use crate::support::{TestApp, seed};
use serde_json::{Value, json};

fn path(base: &str, id: &Value) -> String {
    format!(
        "{base}/{}",
        id.as_str().map_or_else(|| id.to_string(), str::to_owned)
    )
}

async fn refused(app: &TestApp, base: &str, body: Value, status: u16, code: &str) -> String {
    let before = app.count(base).await;
    let reply = app.post(base, body).await;
    reply.assert_error(status, code);
    assert_eq!(app.count(base).await, before, "{base}: nothing stored");
    reply.message().to_owned()
}

api_test!(
    references_to_missing_rows_are_422_invalid_reference,
    |app| {
        let w = seed::world(&app).await;
        let ghost = json!(uuid::Uuid::now_v7().to_string());
        let m = refused(
            &app,
            "/api/hosts",
            seed::host(json!(999)),
            422,
            "INVALID_REFERENCE",
        )
        .await;
        assert!(m.contains("group_id"), "{m}");
        let m = refused(
            &app,
            "/api/virtual-machines",
            seed::vm(&w.tenant, &ghost, &w.spec, &Value::Null),
            422,
            "INVALID_REFERENCE",
        )
        .await;
        assert!(m.contains("host_id"), "{m}");
        let m = refused(
            &app,
            "/api/virtual-machines",
            seed::vm(&w.tenant, &w.host, &ghost, &Value::Null),
            422,
            "INVALID_REFERENCE",
        )
        .await;
        assert!(m.contains("specification_id"), "{m}");
        let m = refused(
            &app,
            "/api/virtual-machines",
            seed::vm(&json!(999), &w.host, &w.spec, &Value::Null),
            422,
            "INVALID_REFERENCE",
        )
        .await;
        assert!(m.contains("tenant_id"), "{m}");
        let m = refused(
            &app,
            "/api/virtual-machines",
            seed::vm(&w.tenant, &w.host, &w.spec, &ghost),
            422,
            "INVALID_REFERENCE",
        )
        .await;
        assert!(m.contains("k8s_cluster_id"), "{m}");
        refused(
            &app,
            "/api/k8s-clusters",
            seed::cluster(&json!(999)),
            422,
            "INVALID_REFERENCE",
        )
        .await;
        refused(
            &app,
            "/api/host-group-tenant-quotas",
            seed::quota(&json!(999), &w.tenant),
            422,
            "INVALID_REFERENCE",
        )
        .await;
        refused(
            &app,
            "/api/maintainer-groups",
            json!({ "name": "Ops", "group_manager_id": ghost }),
            422,
            "INVALID_REFERENCE",
        )
        .await;
        refused(
            &app,
            "/api/maintainer-group-members",
            json!({ "group_id": ghost, "maintainer_id": ghost }),
            422,
            "INVALID_REFERENCE",
        )
        .await;
        let person = app
            .create("/api/maintainers", seed::maintainer("a@example.com"))
            .await["id"]
            .clone();
        let m = refused(&app, "/api/resource-maintainers", json!({ "resource_type": "VirtualMachine", "resource_id": w.host, "maintainer_type": "individual", "maintainer_id": person }), 422, "INVALID_REFERENCE").await;
        assert!(m.contains("resource_id"), "{m}");
        let m = refused(&app, "/api/resource-maintainers", json!({ "resource_type": "Baremetal", "resource_id": w.host, "maintainer_type": "group", "maintainer_id": person }), 422, "INVALID_REFERENCE").await;
        assert!(m.contains("maintainer_id"), "{m}");
        // An update that would dangle is refused too and changes nothing.
        let vm = app
            .create(
                "/api/virtual-machines",
                seed::vm(&w.tenant, &w.host, &w.spec, &Value::Null),
            )
            .await;
        let reply = app
            .put(
                &path("/api/virtual-machines", &vm["id"]),
                seed::vm(&w.tenant, &ghost, &w.spec, &Value::Null),
            )
            .await;
        reply.assert_error(422, "INVALID_REFERENCE");
        assert_eq!(
            app.get(&path("/api/virtual-machines", &vm["id"]))
                .await
                .body,
            vm
        );
    }
);

api_test!(duplicates_are_409, |app| {
    let w = seed::world(&app).await;
    let person = app
        .create("/api/maintainers", seed::maintainer("ops@example.com"))
        .await["id"]
        .clone();
    let m = refused(
        &app,
        "/api/maintainers",
        seed::maintainer("OPS@Example.com"),
        409,
        "DUPLICATE",
    )
    .await;
    assert!(m.contains("email"), "{m}");
    let team = app
        .create("/api/maintainer-groups", json!({ "name": "Ops" }))
        .await["id"]
        .clone();
    let member = json!({ "group_id": team, "maintainer_id": person });
    app.create("/api/maintainer-group-members", member.clone())
        .await;
    refused(
        &app,
        "/api/maintainer-group-members",
        member,
        409,
        "DUPLICATE",
    )
    .await;
    refused(
        &app,
        "/api/host-group-tenant-quotas",
        seed::quota(&w.group, &w.tenant),
        409,
        "DUPLICATE",
    )
    .await;
    let assignment = json!({ "resource_type": "Tenant", "resource_id": w.tenant, "maintainer_type": "individual", "maintainer_id": person });
    app.create("/api/resource-maintainers", assignment.clone())
        .await;
    let mut as_text = assignment.clone();
    as_text["resource_id"] = json!(w.tenant.to_string());
    refused(&app, "/api/resource-maintainers", as_text, 409, "DUPLICATE").await;
    // Changing another maintainer's email to a taken one is refused as well.
    let other = app
        .create("/api/maintainers", seed::maintainer("other@example.com"))
        .await;
    app.put(
        &path("/api/maintainers", &other["id"]),
        seed::maintainer("ops@example.com"),
    )
    .await
    .assert_error(409, "DUPLICATE");
});

api_test!(
    deletes_of_referenced_rows_are_409_naming_the_referrers,
    |app| {
        let w = seed::world(&app).await;
        app.create(
            "/api/virtual-machines",
            seed::vm(&w.tenant, &w.host, &w.spec, &w.cluster),
        )
        .await;
        let cases = [
            (
                "/api/tenants",
                &w.tenant,
                vec!["virtual machine", "k8s cluster", "host group tenant quota"],
            ),
            ("/api/hosts", &w.host, vec!["1 virtual machine"]),
            (
                "/api/host-groups",
                &w.group,
                vec!["1 host", "1 host group tenant quota"],
            ),
            ("/api/vm-specifications", &w.spec, vec!["1 virtual machine"]),
            ("/api/k8s-clusters", &w.cluster, vec!["1 virtual machine"]),
        ];
        for (base, id, named) in cases {
            let reply = app.delete(&path(base, id)).await;
            reply.assert_error(409, "RESOURCE_IN_USE");
            for what in named {
                assert!(
                    reply.message().contains(what),
                    "{base}: {} names {what}",
                    reply.message()
                );
            }
            app.get(&path(base, id)).await.assert_status(200);
        }
        let manager = app
            .create("/api/maintainers", seed::maintainer("lead@example.com"))
            .await["id"]
            .clone();
        app.create(
            "/api/maintainer-groups",
            json!({ "name": "Ops", "group_manager_id": manager }),
        )
        .await;
        let reply = app.delete(&path("/api/maintainers", &manager)).await;
        reply.assert_error(409, "RESOURCE_IN_USE");
        assert!(
            reply.message().contains("maintainer group"),
            "{}",
            reply.message()
        );
    }
);

api_test!(deletes_take_association_rows_along, |app| {
    let w = seed::world(&app).await;
    let person = app
        .create("/api/maintainers", seed::maintainer("a@example.com"))
        .await["id"]
        .clone();
    let team = app
        .create("/api/maintainer-groups", json!({ "name": "Ops" }))
        .await["id"]
        .clone();
    app.create(
        "/api/maintainer-group-members",
        json!({ "group_id": team, "maintainer_id": person }),
    )
    .await;
    for (resource_type, id) in [
        ("Baremetal", &w.host),
        ("Tenant", &w.tenant),
        ("K8sCluster", &w.cluster),
    ] {
        app.create("/api/resource-maintainers", json!({ "resource_type": resource_type, "resource_id": id, "maintainer_type": "group", "maintainer_id": team })).await;
    }
    app.create("/api/resource-maintainers", json!({ "resource_type": "BaremetalGroup", "resource_id": w.group, "maintainer_type": "individual", "maintainer_id": person })).await;

    app.delete(&path("/api/maintainers", &person))
        .await
        .assert_status(200);
    assert_eq!(app.count("/api/maintainer-group-members").await, 0);
    assert_eq!(app.count("/api/resource-maintainers").await, 3);

    app.delete(&path("/api/k8s-clusters", &w.cluster))
        .await
        .assert_status(200);
    assert_eq!(app.count("/api/resource-maintainers").await, 2);
    app.delete(&path("/api/maintainer-groups", &team))
        .await
        .assert_status(200);
    assert_eq!(app.count("/api/resource-maintainers").await, 0);
    assert_eq!(app.count("/api/hosts").await, 1);
});

api_test!(a_vms_cluster_must_belong_to_its_tenant, |app| {
    let w = seed::world(&app).await;
    let other = app
        .create("/api/tenants", json!({ "name": "Tenant B" }))
        .await["id"]
        .clone();
    let m = refused(
        &app,
        "/api/virtual-machines",
        seed::vm(&other, &w.host, &w.spec, &w.cluster),
        422,
        "VALIDATION_ERROR",
    )
    .await;
    assert!(m.contains("k8s_cluster_id"), "{m}");
    app.create(
        "/api/virtual-machines",
        seed::vm(&w.tenant, &w.host, &w.spec, &w.cluster),
    )
    .await;
    // The cluster cannot move to another tenant while the first tenant's VMs are its nodes.
    let reply = app
        .put(
            &path("/api/k8s-clusters", &w.cluster),
            seed::cluster(&other),
        )
        .await;
    reply.assert_error(409, "RESOURCE_IN_USE");
    assert_eq!(
        app.get(&path("/api/k8s-clusters", &w.cluster)).await.body["tenant_id"],
        w.tenant
    );
});
