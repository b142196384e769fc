//! A host's capacity through the API: `available_*` derived from total, reservation and VMs.

use crate::api_test;
use crate::support::seed;
use serde_json::json;

api_test!(available_sets_the_reservation_and_vms_allocate, |app| {
    let w = seed::world(&app).await;
    let path = format!("/api/hosts/{}", w.host.as_str().unwrap());
    let mut body = seed::host(w.group.clone());
    body["available_cpu"] = json!(14);
    body["available_memory"] = json!(30000);
    body["available_storage"] = json!(900);
    let host = app.put(&path, body.clone()).await;
    host.assert_status(200);
    assert_eq!(
        (
            host.body["reserved_cpu"].clone(),
            host.body["reserved_memory"].clone(),
            host.body["reserved_storage"].clone()
        ),
        (json!(2), json!(2768), json!(124))
    );

    app.create(
        "/api/virtual-machines",
        seed::vm(&w.tenant, &w.host, &w.spec, &w.cluster),
    )
    .await;
    let host = app.get(&path).await.body;
    assert_eq!(
        (
            host["allocated_cpu"].clone(),
            host["available_cpu"].clone(),
            host["available_memory"].clone()
        ),
        (json!(4), json!(10), json!(30000 - 8192))
    );

    // Sending no capacity keeps the reservation; the seed's update sends it and it still fits.
    let mut plain = body.clone();
    for key in ["available_cpu", "available_memory", "available_storage"] {
        plain.as_object_mut().unwrap().remove(key);
    }
    assert_eq!(app.put(&path, plain).await.body["available_cpu"], 10);
});

api_test!(
    capacity_that_does_not_fit_is_409_and_changes_nothing,
    |app| {
        let w = seed::world(&app).await;
        let path = format!("/api/hosts/{}", w.host.as_str().unwrap());
        app.create(
            "/api/virtual-machines",
            seed::vm(&w.tenant, &w.host, &w.spec, &w.cluster),
        )
        .await;
        let before = app.get(&path).await.body;

        let mut too_much = seed::host(w.group.clone());
        too_much["available_cpu"] = json!(16);
        let reply = app.put(&path, too_much).await;
        reply.assert_error(409, "INSUFFICIENT_CAPACITY");
        assert!(reply.message().contains("cpu"), "{}", reply.message());

        let mut shrunk = seed::host(w.group.clone());
        shrunk["total_cpu"] = json!(2);
        shrunk["available_cpu"] = json!(0);
        app.put(&path, shrunk)
            .await
            .assert_error(409, "INSUFFICIENT_CAPACITY");

        let mut beyond_total = seed::host(w.group.clone());
        beyond_total["available_memory"] = json!(40000);
        let created = app.post("/api/hosts", beyond_total).await;
        created.assert_error(409, "INSUFFICIENT_CAPACITY");
        assert_eq!(app.count("/api/hosts").await, 1);
        assert_eq!(app.get(&path).await.body, before);
    }
);

api_test!(capacity_fields_come_in_threes, |app| {
    let mut partial = seed::host(serde_json::Value::Null);
    partial.as_object_mut().unwrap().remove("available_storage");
    let reply = app.post("/api/hosts", partial).await;
    reply.assert_error(422, "VALIDATION_ERROR");
    assert!(
        reply.message().contains("available_storage"),
        "{}",
        reply.message()
    );
    let mut both = seed::host(serde_json::Value::Null);
    both["reserved_cpu"] = json!(1);
    both["reserved_memory"] = json!(1);
    both["reserved_storage"] = json!(1);
    app.post("/api/hosts", both)
        .await
        .assert_error(422, "VALIDATION_ERROR");
    assert_eq!(app.count("/api/hosts").await, 0);
});

api_test!(a_host_with_vms_keeps_its_group, |app| {
    let w = seed::world(&app).await;
    let other = app
        .create("/api/host-groups", json!({ "name": "G2" }))
        .await["id"]
        .clone();
    app.create(
        "/api/virtual-machines",
        seed::vm(&w.tenant, &w.host, &w.spec, &w.cluster),
    )
    .await;
    let path = format!("/api/hosts/{}", w.host.as_str().unwrap());
    app.put(&path, seed::host(other))
        .await
        .assert_error(409, "RESOURCE_IN_USE");
    assert_eq!(app.get(&path).await.body["group_id"], w.group);
});

async fn vm_count(app: &crate::support::TestApp) -> u64 {
    app.count("/api/virtual-machines").await
}

api_test!(
    placements_are_refused_with_the_right_code_and_nothing_changes,
    |app| {
        let w = seed::world(&app).await;
        let host_path = format!("/api/hosts/{}", w.host.as_str().unwrap());
        // A tenant with no quota in the group.
        let stranger = app
            .create("/api/tenants", json!({ "name": "Stranger" }))
            .await["id"]
            .clone();
        let reply = app
            .post(
                "/api/virtual-machines",
                seed::vm(&stranger, &w.host, &w.spec, &serde_json::Value::Null),
            )
            .await;
        reply.assert_error(409, "QUOTA_NOT_GRANTED");
        assert!(
            reply.message().contains(&format!("tenant {stranger}")),
            "{}",
            reply.message()
        );

        // Quota: 25 % of 16 cores = 4 cores. One 4-core VM fits, the next does not.
        let mut tight = seed::quota(&w.group, &w.tenant);
        tight["cpu_quota_percentage"] = json!(25.0);
        app.put(
            &format!(
                "/api/host-group-tenant-quotas/{}",
                w.quota.as_str().unwrap()
            ),
            tight,
        )
        .await
        .assert_status(200);
        app.create(
            "/api/virtual-machines",
            seed::vm(&w.tenant, &w.host, &w.spec, &serde_json::Value::Null),
        )
        .await;
        let before = app.get(&host_path).await.body;
        let reply = app
            .post(
                "/api/virtual-machines",
                seed::vm(&w.tenant, &w.host, &w.spec, &serde_json::Value::Null),
            )
            .await;
        reply.assert_error(409, "QUOTA_EXCEEDED");
        let m = reply.message();
        assert!(
            m.contains("cpu")
                && m.contains("requested 4")
                && m.contains("4 cores in use")
                && m.contains("limit 4"),
            "{m}"
        );
        assert_eq!(vm_count(&app).await, 1);
        assert_eq!(app.get(&host_path).await.body, before);

        // Host capacity: a host outside any group with 4 cores takes one 4-core VM only.
        let mut small = seed::host(serde_json::Value::Null);
        for (k, v) in [("total_cpu", 4), ("available_cpu", 4)] {
            small[k] = json!(v);
        }
        let small = app.create("/api/hosts", small).await["id"].clone();
        app.create(
            "/api/virtual-machines",
            seed::vm(&stranger, &small, &w.spec, &serde_json::Value::Null),
        )
        .await;
        let reply = app
            .post(
                "/api/virtual-machines",
                seed::vm(&stranger, &small, &w.spec, &serde_json::Value::Null),
            )
            .await;
        reply.assert_error(409, "INSUFFICIENT_CAPACITY");
        assert!(
            reply.message().contains("requested 4 cores"),
            "{}",
            reply.message()
        );
        assert_eq!(vm_count(&app).await, 2);
    }
);

api_test!(changing_a_vm_reclaims_or_changes_nothing, |app| {
    let w = seed::world(&app).await;
    let vm = app
        .create(
            "/api/virtual-machines",
            seed::vm(&w.tenant, &w.host, &w.spec, &serde_json::Value::Null),
        )
        .await;
    let vm_path = format!("/api/virtual-machines/{}", vm["id"].as_str().unwrap());
    let mut full = seed::host(w.group.clone());
    for (k, v) in [("total_cpu", 2), ("available_cpu", 2)] {
        full[k] = json!(v);
    }
    let full = app.create("/api/hosts", full).await["id"].clone();
    app.put(
        &vm_path,
        seed::vm(&w.tenant, &full, &w.spec, &serde_json::Value::Null),
    )
    .await
    .assert_error(409, "INSUFFICIENT_CAPACITY");
    assert_eq!(app.get(&vm_path).await.body, vm);
    let big = app.create("/api/vm-specifications", json!({ "name": "Big", "required_cpu": 16, "required_memory": 1, "required_storage": 1 })).await["id"].clone();
    // 16 cores on the 16-core host: the VM's own 4 are counted as free.
    app.put(
        &vm_path,
        seed::vm(&w.tenant, &w.host, &big, &serde_json::Value::Null),
    )
    .await
    .assert_status(200);
    let host = app
        .get(&format!("/api/hosts/{}", w.host.as_str().unwrap()))
        .await
        .body;
    assert_eq!(
        (host["allocated_cpu"].clone(), host["available_cpu"].clone()),
        (json!(16), json!(0))
    );
    app.delete(&vm_path).await.assert_status(200);
    let host = app
        .get(&format!("/api/hosts/{}", w.host.as_str().unwrap()))
        .await
        .body;
    assert_eq!(host["available_cpu"], 16);
});

api_test!(specs_and_quotas_in_use_are_protected, |app| {
    let w = seed::world(&app).await;
    app.create(
        "/api/virtual-machines",
        seed::vm(&w.tenant, &w.host, &w.spec, &serde_json::Value::Null),
    )
    .await;
    let spec_path = format!("/api/vm-specifications/{}", w.spec.as_str().unwrap());
    let mut grown = seed::spec();
    grown["required_cpu"] = json!(5);
    app.put(&spec_path, grown)
        .await
        .assert_error(409, "RESOURCE_IN_USE");
    let mut shrunk = seed::spec();
    shrunk["required_cpu"] = json!(2);
    app.put(&spec_path, shrunk).await.assert_status(200);
    let quota_path = format!(
        "/api/host-group-tenant-quotas/{}",
        w.quota.as_str().unwrap()
    );
    app.delete(&quota_path)
        .await
        .assert_error(409, "RESOURCE_IN_USE");
    // Lowering below usage is allowed: nothing is evicted, growth is refused.
    let mut lowered = seed::quota(&w.group, &w.tenant);
    lowered["cpu_quota_percentage"] = json!(5.0);
    app.put(&quota_path, lowered).await.assert_status(200);
    assert_eq!(vm_count(&app).await, 1);
    app.post(
        "/api/virtual-machines",
        seed::vm(&w.tenant, &w.host, &w.spec, &serde_json::Value::Null),
    )
    .await
    .assert_error(409, "QUOTA_EXCEEDED");
});

api_test!(usage_is_visible_on_quotas_and_tenants, |app| {
    let w = seed::world(&app).await;
    app.create(
        "/api/virtual-machines",
        seed::vm(&w.tenant, &w.host, &w.spec, &serde_json::Value::Null),
    )
    .await;
    let quota = app
        .get(&format!(
            "/api/host-group-tenant-quotas/{}",
            w.quota.as_str().unwrap()
        ))
        .await
        .body;
    assert_eq!(
        (
            quota["used_cpu"].clone(),
            quota["used_memory"].clone(),
            quota["used_storage"].clone(),
            quota["group_total_cpu"].clone(),
            quota["cpu_limit_cores"].clone()
        ),
        (json!(4), json!(8192), json!(100), json!(16), json!(16.0))
    );
    let listed = app.get("/api/host-group-tenant-quotas").await;
    assert_eq!(listed.body["host_group_tenant_quotas"][0]["used_cpu"], 4);
    let usage = app.get(&format!("/api/tenants/{}/usage", w.tenant)).await;
    usage.assert_status(200);
    assert_eq!(usage.body["tenant_id"], w.tenant);
    assert_eq!(usage.body["groups"][0]["group_id"], w.group);
    assert_eq!(usage.body["groups"][0]["used_memory"], 8192);
    app.get("/api/tenants/999/usage")
        .await
        .assert_error(404, "TENANT_NOT_FOUND");
    app.get("/api/tenants/abc/usage")
        .await
        .assert_error(404, "TENANT_NOT_FOUND");
});

/// Fires `bodies` at once and counts 201s and 409s with `code`.
async fn fire(
    app: &crate::support::TestApp,
    bodies: Vec<serde_json::Value>,
    code: &str,
) -> (usize, usize) {
    let replies = futures_util::future::join_all(
        bodies
            .into_iter()
            .map(|b| app.post("/api/virtual-machines", b)),
    )
    .await;
    let created = replies.iter().filter(|r| r.status.as_u16() == 201).count();
    let refused = replies
        .iter()
        .filter(|r| r.status.as_u16() == 409 && r.body["code"] == code)
        .count();
    (created, refused)
}

api_test!(simultaneous_placements_never_overcommit_a_host, |app| {
    let w = seed::world(&app).await;
    let two = app.create("/api/vm-specifications", json!({ "name": "2c", "required_cpu": 2, "required_memory": 512, "required_storage": 5 })).await["id"].clone();
    let mut second = seed::host(w.group.clone());
    for (k, v) in [("total_cpu", 8), ("available_cpu", 6)] {
        second[k] = json!(v);
    }
    let second = app.create("/api/hosts", second).await["id"].clone();
    // 16 free cores fit 8 VMs, 6 free cores 3: 11 of 50 fit.
    let bodies = (0..50)
        .map(|i| {
            seed::vm(
                &w.tenant,
                if i % 2 == 0 { &w.host } else { &second },
                &two,
                &serde_json::Value::Null,
            )
        })
        .collect();
    assert_eq!(fire(&app, bodies, "INSUFFICIENT_CAPACITY").await, (11, 39));
    for (host, total, reserved) in [(&w.host, 16, 0), (&second, 8, 2)] {
        let h = app
            .get(&format!("/api/hosts/{}", host.as_str().unwrap()))
            .await
            .body;
        let placed = app
            .count(&format!(
                "/api/virtual-machines?host_id={}",
                host.as_str().unwrap()
            ))
            .await as i64;
        assert_eq!(h["available_cpu"], json!(total - reserved - 2 * placed));
        assert_eq!(h["allocated_cpu"], json!(2 * placed));
        assert!(h["available_cpu"].as_i64().unwrap() >= 0);
    }
});

api_test!(simultaneous_placements_never_exceed_a_quota, |app| {
    let w = seed::world(&app).await;
    let mut second = seed::host(w.group.clone());
    second["name"] = json!("Server B");
    let second = app.create("/api/hosts", second).await["id"].clone();
    let one = app
        .create(
            "/api/vm-specifications",
            json!({ "name": "1c", "required_cpu": 1, "required_memory": 1, "required_storage": 1 }),
        )
        .await["id"]
        .clone();
    // 25 % of 32 cores = 8 cores: 8 of 50 one-core VMs fit, spread over two roomy hosts.
    let mut quota = seed::quota(&w.group, &w.tenant);
    quota["cpu_quota_percentage"] = json!(25.0);
    app.put(
        &format!(
            "/api/host-group-tenant-quotas/{}",
            w.quota.as_str().unwrap()
        ),
        quota,
    )
    .await
    .assert_status(200);
    let bodies = (0..50)
        .map(|i| {
            seed::vm(
                &w.tenant,
                if i % 2 == 0 { &w.host } else { &second },
                &one,
                &serde_json::Value::Null,
            )
        })
        .collect();
    assert_eq!(fire(&app, bodies, "QUOTA_EXCEEDED").await, (8, 42));
    let usage = app
        .get(&format!("/api/tenants/{}/usage", w.tenant))
        .await
        .body;
    assert_eq!(usage["groups"][0]["used_cpu"], 8);
});
