//! Every bad input gets a clear 4xx in the `{error, code}` format and stores nothing.

use crate::api_test;
use crate::support::{TestApp, seed};
use serde_json::{Value, json};

/// Posts `body` to `path`, asserts the error, and that nothing was stored there.
async fn refused(app: &TestApp, path: &str, body: Value, status: u16, code: &str) -> String {
    let before = app.count(path).await;
    let reply = app.post(path, body).await;
    reply.assert_error(status, code);
    assert_eq!(app.count(path).await, before, "{path}: nothing stored");
    reply.message().to_owned()
}

api_test!(malformed_json_is_400_invalid_json, |app| {
    for raw in ["{\"name\": ", "", "not json", "{\"name\": \"x\"} trailing"] {
        let reply = app.post_raw("/api/maintainers", raw.to_owned()).await;
        reply.assert_error(400, "INVALID_JSON");
    }
    assert_eq!(app.count("/api/maintainers").await, 0);
});

api_test!(
    wrong_types_and_missing_fields_are_422_naming_the_field,
    |app| {
        let m = refused(
            &app,
            "/api/hosts",
            json!({ "name": "h", "total_cpu": "16", "total_memory": 1, "total_storage": 1 }),
            422,
            "VALIDATION_ERROR",
        )
        .await;
        assert!(m.contains("total_cpu"), "{m}");
        let m = refused(
            &app,
            "/api/hosts",
            json!({ "name": "h", "total_cpu": 1.5, "total_memory": 1, "total_storage": 1 }),
            422,
            "VALIDATION_ERROR",
        )
        .await;
        assert!(m.contains("total_cpu"), "{m}");
        let m = refused(
            &app,
            "/api/maintainers",
            json!({ "email": "a@example.com" }),
            422,
            "VALIDATION_ERROR",
        )
        .await;
        assert!(m.contains("name"), "{m}");
        let m = refused(
            &app,
            "/api/maintainers",
            json!({ "name": null, "email": "a@example.com" }),
            422,
            "VALIDATION_ERROR",
        )
        .await;
        assert!(m.contains("name"), "{m}");
        let m = refused(
            &app,
            "/api/vm-specifications",
            json!({ "name": "s", "required_cpu": 1, "required_memory": 1 }),
            422,
            "VALIDATION_ERROR",
        )
        .await;
        assert!(m.contains("required_storage"), "{m}");
        let m = refused(
            &app,
            "/api/tenants",
            json!(["not", "an", "object"]),
            422,
            "VALIDATION_ERROR",
        )
        .await;
        assert!(m.contains("request body"), "{m}");
        refused(
            &app,
            "/api/virtual-machines",
            json!({ "name": "v", "tenant_id": "one" }),
            422,
            "VALIDATION_ERROR",
        )
        .await;
    }
);

api_test!(negative_and_oversized_numbers_are_refused, |app| {
    let m = refused(
        &app,
        "/api/vm-specifications",
        json!({ "name": "s", "required_cpu": -1, "required_memory": 1, "required_storage": 1 }),
        422,
        "VALIDATION_ERROR",
    )
    .await;
    assert!(m.contains("required_cpu"), "{m}");
    let m = refused(
        &app,
        "/api/hosts",
        json!({ "name": "h", "total_cpu": 1, "total_memory": -5, "total_storage": 1 }),
        422,
        "VALIDATION_ERROR",
    )
    .await;
    assert!(m.contains("total_memory"), "{m}");
    refused(&app, "/api/hosts", json!({ "name": "h", "total_cpu": 9007199254740992_i64, "total_memory": 1, "total_storage": 1 }), 422, "VALIDATION_ERROR").await;
    let group = app.create("/api/host-groups", seed::host_group()).await["id"].clone();
    let tenant = app.create("/api/tenants", seed::tenant()).await["id"].clone();
    for pct in [json!(-1), json!(100.5)] {
        let mut body = seed::quota(&group, &tenant);
        body["cpu_quota_percentage"] = pct;
        let m = refused(
            &app,
            "/api/host-group-tenant-quotas",
            body,
            422,
            "VALIDATION_ERROR",
        )
        .await;
        assert!(m.contains("cpu_quota_percentage"), "{m}");
    }
});

api_test!(invalid_emails_statuses_and_names_are_refused, |app| {
    for email in ["not-an-email", "a@", "@example.com", ""] {
        let m = refused(
            &app,
            "/api/maintainers",
            json!({ "name": "n", "email": email }),
            422,
            "VALIDATION_ERROR",
        )
        .await;
        assert!(m.contains("email"), "{m}");
    }
    let m = refused(
        &app,
        "/api/maintainers",
        json!({ "name": "n", "email": "a@example.com", "status": "retired" }),
        422,
        "VALIDATION_ERROR",
    )
    .await;
    assert!(
        m.contains("status") && m.contains("active, inactive"),
        "{m}"
    );
    let m = refused(&app, "/api/hosts", json!({ "name": "h", "status": "Running", "total_cpu": 1, "total_memory": 1, "total_storage": 1 }), 422, "VALIDATION_ERROR").await;
    assert!(m.contains("status"), "{m}");
    refused(
        &app,
        "/api/k8s-clusters",
        json!({ "name": "c", "tenant_id": 1, "status": "deleted" }),
        422,
        "VALIDATION_ERROR",
    )
    .await;
    let m = refused(
        &app,
        "/api/tenants",
        json!({ "name": "x".repeat(256) }),
        422,
        "VALIDATION_ERROR",
    )
    .await;
    assert!(m.contains("name") && m.contains("255"), "{m}");
    refused(
        &app,
        "/api/tenants",
        json!({ "name": "   " }),
        422,
        "VALIDATION_ERROR",
    )
    .await;
    refused(&app, "/api/resource-maintainers", json!({ "resource_type": "Server", "resource_id": "x", "maintainer_type": "individual", "maintainer_id": "x" }), 422, "VALIDATION_ERROR").await;
    refused(&app, "/api/resource-maintainers", json!({ "resource_type": "Tenant", "resource_id": 1, "maintainer_type": "team", "maintainer_id": "x" }), 422, "VALIDATION_ERROR").await;
    let m = refused(
        &app,
        "/api/maintainer-group-members",
        json!({ "group_id": "nope", "maintainer_id": "nope" }),
        422,
        "VALIDATION_ERROR",
    )
    .await;
    assert!(m.contains("group_id"), "{m}");
});

api_test!(a_failed_update_changes_nothing, |app| {
    let created = app
        .create("/api/maintainers", seed::maintainer("a@example.com"))
        .await;
    let path = format!("/api/maintainers/{}", created["id"].as_str().unwrap());
    app.put(&path, json!({ "name": "n", "email": "broken" }))
        .await
        .assert_error(422, "VALIDATION_ERROR");
    let reply = app
        .send(
            actix_web::test::TestRequest::put()
                .uri(&path)
                .insert_header(("Authorization", format!("Bearer {}", crate::support::TOKEN)))
                .set_payload("{"),
        )
        .await;
    reply.assert_error(400, "INVALID_JSON");
    assert_eq!(app.get(&path).await.body, created);
});

api_test!(bodies_over_one_mebibyte_are_413, |app| {
    let big = format!(
        "{{\"name\": \"{}\", \"email\": \"a@example.com\"}}",
        "x".repeat(1 << 20)
    );
    app.post_raw("/api/maintainers", big)
        .await
        .assert_error(413, "PAYLOAD_TOO_LARGE");
    assert_eq!(app.count("/api/maintainers").await, 0);
});

api_test!(
    unknown_and_malformed_ids_are_404_with_the_resource_code,
    |app| {
        let cases = [
            ("maintainers", "MAINTAINER_NOT_FOUND"),
            ("maintainer-groups", "MAINTAINER_GROUP_NOT_FOUND"),
            (
                "maintainer-group-members",
                "MAINTAINER_GROUP_MEMBER_NOT_FOUND",
            ),
            ("resource-maintainers", "RESOURCE_MAINTAINER_NOT_FOUND"),
            ("hosts", "HOST_NOT_FOUND"),
            ("virtual-machines", "VIRTUAL_MACHINE_NOT_FOUND"),
            ("vm-specifications", "VM_SPECIFICATION_NOT_FOUND"),
            ("k8s-clusters", "K8S_CLUSTER_NOT_FOUND"),
            (
                "host-group-tenant-quotas",
                "HOST_GROUP_TENANT_QUOTA_NOT_FOUND",
            ),
        ];
        let unknown = uuid::Uuid::now_v7();
        for (path, code) in cases {
            for id in [
                unknown.to_string(),
                "not-a-uuid".to_owned(),
                "42".to_owned(),
            ] {
                app.get(&format!("/api/{path}/{id}"))
                    .await
                    .assert_error(404, code);
                app.delete(&format!("/api/{path}/{id}"))
                    .await
                    .assert_error(404, code);
            }
        }
        for (path, code) in [
            ("host-groups", "HOST_GROUP_NOT_FOUND"),
            ("tenants", "TENANT_NOT_FOUND"),
        ] {
            for id in ["999", "abc", "1.5", &unknown.to_string()] {
                app.get(&format!("/api/{path}/{id}"))
                    .await
                    .assert_error(404, code);
            }
            app.put(&format!("/api/{path}/999"), json!({ "name": "x" }))
                .await
                .assert_error(404, code);
        }
        let reply = app
            .put(
                &format!("/api/maintainers/{unknown}"),
                seed::maintainer("a@example.com"),
            )
            .await;
        reply.assert_error(404, "MAINTAINER_NOT_FOUND");
        assert_eq!(app.count("/api/maintainers").await, 0);
    }
);
