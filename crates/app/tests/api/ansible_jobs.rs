//! `/api/playbooks/execute` and `/api/playbooks/jobs…` without workers: what is queued, the
//! refusals, cancel of a queued job, output reads.

use crate::api_test;
use crate::support::TestApp;
use serde_json::{Value, json};

pub fn local_inventory(name: &str) -> Value {
    json!({ "name": name, "config": "[local]\nlocalhost ansible_connection=local\n" })
}

pub fn local_playbook(name: &str, task: &str) -> Value {
    json!({
        "name": name,
        "type": "Other",
        "main": { "hosts": "all", "gatherFacts": false },
        "tasks": [{ "content": task }]
    })
}

/// Whether a job has ended, whichever way.
pub fn finished(job: &Value) -> bool {
    matches!(
        job["status"].as_str(),
        Some("completed" | "failed" | "canceled")
    )
}

pub async fn ids(app: &TestApp, task: &str) -> (Value, Value) {
    let inventory = app.post("/api/inventories", local_inventory("local")).await;
    inventory.assert_status(201);
    let playbook = app
        .post("/api/playbooks", local_playbook("say hi", task))
        .await;
    playbook.assert_status(201);
    (
        inventory.body["data"]["id"].clone(),
        playbook.body["data"]["id"].clone(),
    )
}

const HELLO: &str = "name: Say hi\ndebug:\n  msg: hi";

async fn jobs_total(app: &TestApp) -> u64 {
    let reply = app.get("/api/playbooks/jobs").await;
    reply.assert_status(200);
    reply.body["data"]["pagination"]["total"].as_u64().unwrap()
}

api_test!(an_execute_queues_a_job, |app| {
    let (inventory, playbook) = ids(&app, HELLO).await;
    let queued = app
        .post(
            "/api/playbooks/execute",
            json!({ "playbook_ids": [playbook], "inventory_id": inventory, "extra_vars": {"env": "test"} }),
        )
        .await;
    queued.assert_status(202);
    let data = &queued.body["data"];
    assert_eq!(queued.body["success"], true);
    assert_eq!(queued.body["message"], "Playbook 執行已排程");
    assert_eq!(data["status"], "queued");
    assert!(data["jobId"].as_str().unwrap().starts_with("job-"));
    assert!(data["createdAt"].is_string());
    assert_eq!(
        data["playbooks"],
        json!([{ "id": playbook, "name": "say hi", "status": "queued" }])
    );
    let path = format!("/api/playbooks/jobs/{}", data["jobId"].as_str().unwrap());
    let read = app.get(&path).await;
    read.assert_status(200);
    let job = &read.body["data"];
    assert_eq!(job["inventoryId"], inventory);
    assert_eq!(job["extraVars"], json!({"env": "test"}));
    assert_eq!(job["playbooks"][0]["output"], "");
    assert_eq!(job["playbooks"][0]["hostStats"], json!({}));

    let listed = app
        .get(&format!(
            "/api/playbooks/jobs?playbookId={playbook}&status=queued"
        ))
        .await;
    listed.assert_status(200);
    let items = listed.body["data"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert!(items[0]["playbooks"][0].get("output").is_none());
    let none = app.get("/api/playbooks/jobs?status=completed").await;
    assert_eq!(none.body["data"]["pagination"]["total"], 0);
    app.get("/api/playbooks/jobs?status=nope")
        .await
        .assert_failure(422, "VALIDATION_ERROR");

    let output = app
        .get(&format!("{path}/output?playbookId={playbook}&offset=0"))
        .await;
    output.assert_status(200);
    assert_eq!(output.header("X-Output-Offset"), Some("0"));
    assert_eq!(output.header("X-Output-Complete"), Some("false"));
    app.get(&format!("{path}/output?playbookId=999999"))
        .await
        .assert_failure(404, "PLAYBOOK_NOT_FOUND");

    // The inventory a queued job uses stays.
    app.delete(&format!("/api/inventories/{inventory}"))
        .await
        .assert_failure(409, "INVENTORY_IN_USE");

    let canceled = app.post(&format!("{path}/cancel"), json!({})).await;
    canceled.assert_status(202);
    assert_eq!(canceled.body["data"]["status"], "canceled");
    assert_eq!(canceled.body["data"]["playbooks"][0]["status"], "skipped");
    app.post(&format!("{path}/cancel"), json!({}))
        .await
        .assert_failure(409, "JOB_NOT_CANCELABLE");
});

api_test!(execute_refusals_queue_nothing, |app| {
    let execute = |body: Value| {
        let app = &app;
        async move { app.post("/api/playbooks/execute", body).await }
    };
    let (inventory, playbook) = ids(&app, HELLO).await;
    execute(json!({ "playbookIds": [playbook, 999999], "inventoryId": inventory }))
        .await
        .assert_failure(404, "PLAYBOOK_NOT_FOUND");
    execute(json!({ "playbookIds": [playbook], "inventoryId": 999999 }))
        .await
        .assert_failure(404, "INVENTORY_NOT_FOUND");
    execute(json!({ "playbookIds": [], "inventoryId": inventory }))
        .await
        .assert_failure(422, "VALIDATION_ERROR");
    execute(json!({ "playbookIds": [playbook], "extraVars": [1, 2] }))
        .await
        .assert_failure(422, "VALIDATION_ERROR");
    execute(json!({ "playbookIds": [playbook], "extraVars": "x=1" }))
        .await
        .assert_failure(422, "VALIDATION_ERROR");
    assert_eq!(jobs_total(&app).await, 0);

    // One inventory: it is the default.
    execute(json!({ "playbookIds": [playbook] }))
        .await
        .assert_status(202);
    app.post("/api/inventories", local_inventory("second"))
        .await
        .assert_status(201);
    execute(json!({ "playbookIds": [playbook] }))
        .await
        .assert_failure(422, "INVENTORY_REQUIRED");
    assert_eq!(jobs_total(&app).await, 1);
});

api_test!(no_inventory_at_all_is_required, |app| {
    let playbook = app
        .post("/api/playbooks", local_playbook("lonely", HELLO))
        .await;
    let id = playbook.body["data"]["id"].clone();
    app.post("/api/playbooks/execute", json!({ "playbookIds": [id] }))
        .await
        .assert_failure(422, "INVENTORY_REQUIRED");
});

api_test!(unknown_jobs_are_not_found, |app| {
    for path in [
        "/api/playbooks/jobs/job-0123456789abcdef0123456789abcdef",
        "/api/playbooks/jobs/nope",
        "/api/playbooks/jobs/nope/output?playbookId=1",
    ] {
        app.get(path).await.assert_failure(404, "JOB_NOT_FOUND");
    }
    app.post("/api/playbooks/jobs/nope/cancel", json!({}))
        .await
        .assert_failure(404, "JOB_NOT_FOUND");
    // The playbooks' own routes still answer.
    app.get("/api/playbooks/nope")
        .await
        .assert_failure(404, "PLAYBOOK_NOT_FOUND");
});
