//! `/api/inventories` in seed 002's envelope, camelCase out.

use crate::api_test;
use crate::support::{TOKEN, TestApp};
use actix_web::test::TestRequest;
use serde_json::{Value, json};

fn inventory(name: &str) -> Value {
    json!({ "name": name, "config": "[web]\nweb1 ansible_host=10.0.0.1 ansible_port=2222\n[db]\ndb1\n" })
}

async fn count(app: &TestApp) -> u64 {
    let reply = app.get("/api/inventories?per_page=100").await;
    reply.assert_status(200);
    reply.body["data"]["pagination"]["total"].as_u64().unwrap()
}

api_test!(inventories_live_and_die, |app| {
    let created = app
        .post("/api/inventories", inventory("Ansible GUI Inventory"))
        .await;
    created.assert_status(201);
    assert_eq!(
        (
            created.body["success"].clone(),
            created.body["message"].clone()
        ),
        (json!(true), json!("Inventory 創建成功"))
    );
    let data = &created.body["data"];
    assert_eq!(
        (
            data["status"].clone(),
            data["sshStatus"].clone(),
            data["group"].clone(),
            data["name"].clone()
        ),
        (
            json!("Off"),
            json!("Unconnected"),
            json!("Default"),
            json!("Ansible GUI Inventory")
        )
    );
    assert_eq!(data["config"], inventory("x")["config"]);
    assert!(data["id"].is_i64() && data["createdAt"].is_string() && data["updatedAt"].is_string());
    assert!(data.get("ssh_status").is_none() && data.get("created_at").is_none());
    let path = format!("/api/inventories/{}", data["id"]);

    let read = app.get(&path).await;
    read.assert_status(200);
    assert_eq!(read.body["data"], *data);

    let listed = app.get("/api/inventories").await;
    listed.assert_status(200);
    let items = listed.body["data"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["sshStatus"], "Unconnected");
    assert!(
        items[0].get("config").is_none(),
        "list items leave the config out"
    );
    assert_eq!(
        listed.body["data"]["pagination"],
        json!({ "page": 1, "perPage": 10, "total": 1, "totalPages": 1 })
    );

    let update = json!({ "name": "Updated Inventory Name", "group": "Production", "config": "server1 ansible_ssh_host=192.168.1.101 ansible_ssh_port=22" });
    let updated = app.put(&path, update).await;
    updated.assert_status(200);
    assert_eq!(updated.body["message"], "Inventory 更新成功");
    assert_eq!(
        (
            updated.body["data"]["group"].clone(),
            updated.body["data"]["createdAt"].clone()
        ),
        (json!("Production"), data["createdAt"].clone())
    );

    let gone = app.delete(&path).await;
    gone.assert_status(200);
    assert_eq!(
        gone.body,
        json!({ "success": true, "message": "Inventory 刪除成功" })
    );
    app.get(&path)
        .await
        .assert_failure(404, "INVENTORY_NOT_FOUND");
    app.delete(&path)
        .await
        .assert_failure(404, "INVENTORY_NOT_FOUND");
    app.put(&path, inventory("again"))
        .await
        .assert_failure(404, "INVENTORY_NOT_FOUND");
    app.get("/api/inventories/abc")
        .await
        .assert_failure(404, "INVENTORY_NOT_FOUND");
});

api_test!(bad_inventories_are_refused_and_nothing_is_stored, |app| {
    let cases = [
        (json!({ "config": "web1" }), 422, "VALIDATION_ERROR", "name"),
        (json!({ "name": "x" }), 422, "VALIDATION_ERROR", "config"),
        (
            json!({ "name": "x".repeat(256), "config": "web1" }),
            422,
            "VALIDATION_ERROR",
            "name",
        ),
        (
            json!({ "name": 5, "config": "web1" }),
            422,
            "VALIDATION_ERROR",
            "name",
        ),
        (
            json!({ "name": "x", "config": "[web]\nweb1\n[web:nonsense]\nk=v\n" }),
            422,
            "INVALID_INVENTORY_CONFIG",
            "3",
        ),
        (
            json!({ "name": "x", "config": "[web\nweb1\n" }),
            422,
            "INVALID_INVENTORY_CONFIG",
            "1",
        ),
    ];
    for (body, status, code, named) in cases {
        let reply = app.post("/api/inventories", body.clone()).await;
        reply.assert_failure(status, code);
        assert!(
            reply.failure_message().contains(named),
            "{body}: {}",
            reply.failure_message()
        );
    }
    app.post_raw("/api/inventories", "{\"name\": ")
        .await
        .assert_failure(400, "INVALID_JSON");
    let big = format!(
        "{{\"name\": \"x\", \"config\": \"{}\"}}",
        "a".repeat(1 << 20)
    );
    app.post_raw("/api/inventories", big)
        .await
        .assert_failure(413, "PAYLOAD_TOO_LARGE");
    let anonymous = app
        .send(
            TestRequest::post()
                .uri("/api/inventories")
                .set_json(inventory("x")),
        )
        .await;
    anonymous.assert_failure(401, "UNAUTHORIZED");
    assert_eq!(count(&app).await, 0);
});

api_test!(inventory_names_are_unique, |app| {
    app.post("/api/inventories", inventory("Lab"))
        .await
        .assert_status(201);
    app.post("/api/inventories", inventory("Lab"))
        .await
        .assert_failure(409, "INVENTORY_NAME_DUPLICATE");
    let other = app.post("/api/inventories", inventory("Prod")).await.body["data"]["id"].clone();
    let reply = app
        .put(&format!("/api/inventories/{other}"), inventory("Lab"))
        .await;
    reply.assert_failure(409, "INVENTORY_NAME_DUPLICATE");
    assert_eq!(
        app.get(&format!("/api/inventories/{other}")).await.body["data"]["name"],
        "Prod"
    );
    assert_eq!(count(&app).await, 2);
});

api_test!(inventory_lists_search_and_page, |app| {
    for name in [
        "Ansible GUI Inventory",
        "Ansible introduction Inventory",
        "Other",
        "a_b",
    ] {
        app.post("/api/inventories", inventory(name))
            .await
            .assert_status(201);
    }
    let found = app
        .get("/api/inventories?search=ansible&page=1&per_page=1")
        .await;
    assert_eq!(
        found.body["data"]["pagination"],
        json!({ "page": 1, "perPage": 1, "total": 2, "totalPages": 2 })
    );
    assert_eq!(
        found.body["data"]["items"][0]["name"],
        "Ansible GUI Inventory"
    );
    let second = app
        .get("/api/inventories?search=ANSIBLE&page=2&perPage=1")
        .await;
    assert_eq!(
        second.body["data"]["items"][0]["name"],
        "Ansible introduction Inventory"
    );
    assert_eq!(
        app.get("/api/inventories?search=_").await.body["data"]["pagination"]["total"],
        1
    );
    let empty = app.get("/api/inventories?search=nothing").await;
    assert_eq!(
        empty.body["data"]["pagination"],
        json!({ "page": 1, "perPage": 10, "total": 0, "totalPages": 0 })
    );
    for query in ["page=0", "per_page=101", "per_page=x", "page=x"] {
        app.get(&format!("/api/inventories?{query}"))
            .await
            .assert_failure(422, "VALIDATION_ERROR");
    }
    let _ = TOKEN;
});
