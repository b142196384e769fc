//! `/api/playbooks` in seed 002's envelope, and the rendered YAML.

use crate::api_test;
use crate::support::TestApp;
use serde_json::{Value, json};

/// The seed's create body (snake_case `gather_facts`, as the seed writes it).
fn playbook(name: &str) -> Value {
    json!({
        "name": name,
        "type": "Machine",
        "main": { "hosts": "all", "gather_facts": false, "become": true },
        "tasks": [
            { "enabled": true, "content": "name: Install package\napt:\n  name: nginx\n  state: present" },
            { "enabled": false, "content": "name: Skipped\ndebug:\n  msg: \"never\"" },
            { "enabled": true, "content": "name: Say on\ndebug:\n  msg: \"on\"" }
        ]
    })
}

async fn count(app: &TestApp) -> u64 {
    app.get("/api/playbooks?per_page=100").await.body["data"]["pagination"]["total"]
        .as_u64()
        .unwrap()
}

api_test!(playbooks_live_and_die, |app| {
    let created = app.post("/api/playbooks", playbook("New Playbook")).await;
    created.assert_status(201);
    assert_eq!(created.body["message"], "Playbook 創建成功");
    let data = created.body["data"].clone();
    assert_eq!(
        (
            data["status"].clone(),
            data["lastRunAt"].clone(),
            data["type"].clone()
        ),
        (json!("Not start"), Value::Null, json!("Machine"))
    );
    assert_eq!(
        data["main"],
        json!({ "hosts": "all", "gatherFacts": false, "become": true })
    );
    assert_eq!(
        data["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert_eq!(data["tasks"][1]["enabled"], false);
    let path = format!("/api/playbooks/{}", data["id"]);
    assert_eq!(app.get(&path).await.body["data"], data);

    let listed = app.get("/api/playbooks").await;
    let item = &listed.body["data"]["items"][0];
    assert_eq!(
        (item["name"].clone(), item["status"].clone()),
        (json!("New Playbook"), json!("Not start"))
    );
    assert!(item.get("tasks").is_none() && item.get("lastRunAt").is_some());

    // Keep task 1, drop 2 and 3, add one: it gets an id past every id used.
    let update = json!({
        "name": "Updated Playbook", "type": "Other",
        "main": { "hosts": "webservers", "gatherFacts": true },
        "tasks": [
            { "id": 1, "enabled": true, "content": "name: test1\ncommunity:\n  name: demo\nstate: present" },
            { "enabled": true, "content": "name: new task\ndebug:\n  msg: \"Hello\"" }
        ]
    });
    let updated = app.put(&path, update).await;
    updated.assert_status(200);
    assert_eq!(updated.body["message"], "Playbook 更新成功");
    let u = &updated.body["data"];
    assert_eq!(
        u["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        vec![1, 4]
    );
    assert_eq!(
        (u["main"].clone(), u["type"].clone(), u["createdAt"].clone()),
        (
            json!({ "hosts": "webservers", "gatherFacts": true }),
            json!("Other"),
            data["createdAt"].clone()
        )
    );

    let gone = app.delete(&path).await;
    assert_eq!(
        gone.body,
        json!({ "success": true, "message": "Playbook 刪除成功" })
    );
    app.get(&path)
        .await
        .assert_failure(404, "PLAYBOOK_NOT_FOUND");
    app.get(&format!("{path}/yaml"))
        .await
        .assert_failure(404, "PLAYBOOK_NOT_FOUND");
    app.get("/api/playbooks/x")
        .await
        .assert_failure(404, "PLAYBOOK_NOT_FOUND");
});

api_test!(the_rendered_playbook_is_yaml_of_the_enabled_tasks, |app| {
    let id = app
        .post("/api/playbooks", playbook("Deploy Nginx"))
        .await
        .body["data"]["id"]
        .clone();
    let req = actix_web::test::TestRequest::get()
        .uri(&format!("/api/playbooks/{id}/yaml"))
        .insert_header(("Authorization", format!("Bearer {}", crate::support::TOKEN)));
    let reply = app.send(req).await;
    reply.assert_status(200);
    assert!(
        reply
            .header("content-type")
            .is_some_and(|t| t.starts_with("application/yaml")),
        "{:?}",
        reply.headers
    );
    let text = reply.text.clone();
    for wanted in [
        "Deploy Nginx",
        "hosts:",
        "gather_facts: false",
        "become: true",
        "Install package",
        "Say on",
    ] {
        assert!(text.contains(wanted), "{wanted} in\n{text}");
    }
    assert!(
        !text.contains("Skipped"),
        "a disabled task is left out:\n{text}"
    );
    assert!(
        !text.contains("msg: on"),
        "`on` must stay a string for YAML 1.1 readers:\n{text}"
    );
});

api_test!(bad_playbooks_are_refused_and_nothing_is_stored, |app| {
    let with = |f: &dyn Fn(&mut Value)| {
        let mut body = playbook("p");
        f(&mut body);
        body
    };
    let cases: Vec<(Value, u16, &str, &str)> = vec![
        (
            with(&|b| b["tasks"][1]["content"] = json!("- a\n- b")),
            422,
            "INVALID_YAML_FORMAT",
            "task 2",
        ),
        (
            with(&|b| b["tasks"][0]["content"] = json!("name: [unclosed")),
            422,
            "INVALID_YAML_FORMAT",
            "task 1",
        ),
        (
            with(&|b| b["tasks"][0]["content"] = json!("")),
            422,
            "INVALID_YAML_FORMAT",
            "task 1",
        ),
        (
            with(&|b| b["main"] = json!({ "gather_facts": true })),
            422,
            "PLAYBOOK_VALIDATION_ERROR",
            "main.hosts",
        ),
        (
            with(&|b| b["main"]["hosts"] = json!(5)),
            422,
            "PLAYBOOK_VALIDATION_ERROR",
            "main.hosts",
        ),
        (
            with(&|b| b["main"]["tasks"] = json!([])),
            422,
            "PLAYBOOK_VALIDATION_ERROR",
            "main.tasks",
        ),
        (
            with(&|b| b["type"] = json!("Server")),
            422,
            "PLAYBOOK_VALIDATION_ERROR",
            "type",
        ),
        (
            with(&|b| b["name"] = json!("  ")),
            422,
            "PLAYBOOK_VALIDATION_ERROR",
            "name",
        ),
        (
            with(&|b| {
                b.as_object_mut().unwrap().remove("tasks");
            }),
            422,
            "PLAYBOOK_VALIDATION_ERROR",
            "tasks",
        ),
        (
            with(&|b| b["tasks"] = json!("nope")),
            422,
            "VALIDATION_ERROR",
            "tasks",
        ),
        (
            with(&|b| b["tasks"][0]["enabled"] = json!("yes")),
            422,
            "VALIDATION_ERROR",
            "tasks[0].enabled",
        ),
    ];
    for (body, status, code, named) in cases {
        let reply = app.post("/api/playbooks", body.clone()).await;
        reply.assert_failure(status, code);
        assert!(
            reply.failure_message().contains(named),
            "{named}: {}",
            reply.failure_message()
        );
    }
    app.post_raw("/api/playbooks", "[")
        .await
        .assert_failure(400, "INVALID_JSON");
    assert_eq!(count(&app).await, 0);
    app.post("/api/playbooks", playbook("Deploy"))
        .await
        .assert_status(201);
    app.post("/api/playbooks", playbook("Deploy"))
        .await
        .assert_failure(409, "PLAYBOOK_NAME_DUPLICATE");
    assert_eq!(count(&app).await, 1);
});

api_test!(playbook_lists_filter_by_search_type_and_status, |app| {
    app.post("/api/playbooks", playbook("Ansible GUI"))
        .await
        .assert_status(201);
    let mut other = playbook("Ansible introduction");
    other["type"] = json!("Other");
    app.post("/api/playbooks", other).await.assert_status(201);
    app.post("/api/playbooks", playbook("Nginx"))
        .await
        .assert_status(201);
    let app = &app;
    let total = |path: String| async move {
        app.get(&path).await.body["data"]["pagination"]["total"].as_u64()
    };
    assert_eq!(
        total("/api/playbooks?search=Ansible&type=Machine&page=1".into()).await,
        Some(1)
    );
    assert_eq!(total("/api/playbooks?search=ansible".into()).await, Some(2));
    assert_eq!(
        total("/api/playbooks?status=Not%20start".into()).await,
        Some(3)
    );
    assert_eq!(total("/api/playbooks?status=Success".into()).await, Some(0));
    app.get("/api/playbooks?type=Server")
        .await
        .assert_failure(422, "VALIDATION_ERROR");
    app.get("/api/playbooks?status=Done")
        .await
        .assert_failure(422, "VALIDATION_ERROR");
});
