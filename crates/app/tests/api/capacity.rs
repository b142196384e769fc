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
