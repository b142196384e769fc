//! Jobs over SSH check host keys against those the SSH test trusted: a run reaches a host
//! whose key is trusted, and refuses one whose key changed since.

use crate::ansible_jobs::{finished, local_playbook};
use crate::api_test;
use crate::support::TestApp;
use hub_testkit::sshd::{Sshd, TEST_PASSWORD, TEST_USER};
use serde_json::{Value, json};

async fn run(app: &TestApp, playbook: &Value, inventory: &Value) -> Value {
    let queued = app
        .post(
            "/api/playbooks/execute",
            json!({ "playbookIds": [playbook], "inventoryId": inventory }),
        )
        .await;
    queued.assert_status(202);
    let id = queued.body["data"]["jobId"].as_str().unwrap().to_owned();
    app.wait_job(&id, 120, finished).await
}

api_test!(a_job_checks_host_keys_against_the_trusted_ones, |app| {
    let Some(mut server) = Sshd::start(&[]) else {
        return;
    };
    let Some(_workers) = app.workers() else {
        return;
    };
    let config = format!(
        "web ansible_host=127.0.0.1 ansible_port={} ansible_user={TEST_USER} \
         ansible_ssh_pass={TEST_PASSWORD}\n",
        server.port
    );
    let inventory = app
        .create(
            "/api/inventories",
            json!({ "name": "ssh", "config": config }),
        )
        .await["data"]["id"]
        .clone();
    let tested = app
        .post("/api/ssh/test", json!({ "inventoryIds": [inventory] }))
        .await;
    assert_eq!(
        tested.body["data"]["results"][0]["status"], "Connected",
        "{}",
        tested.body
    );
    // `raw` needs no Python on the target.
    let playbook = app
        .create(
            "/api/playbooks",
            local_playbook("over ssh", "name: Echo\nraw: echo hub-ssh-ok"),
        )
        .await["data"]["id"]
        .clone();

    // The host's key changed after the SSH test trusted it: the run refuses the host (left
    // to itself, ssh would learn the new key: the hub's keys are what it checks against).
    server.restart_with_new_host_key().unwrap();
    let changed = run(&app, &playbook, &inventory).await;
    let output = changed["playbooks"][0]["output"].as_str().unwrap();
    assert_eq!(changed["playbooks"][0]["status"], "failed", "{output}");
    assert_eq!(
        changed["playbooks"][0]["hostStats"]["web"]["unreachable"], 1,
        "{changed}"
    );
    assert!(
        output.contains("REMOTE HOST IDENTIFICATION HAS CHANGED")
            || output.contains("Host key verification failed"),
        "{output}"
    );

    // The operator forgets the old key and tests again: the new one is trusted, and runs go.
    let items = app.get("/api/ssh/known-hosts").await.body["data"]["items"].clone();
    let known = items[0]["id"].as_i64().unwrap();
    app.delete(&format!("/api/ssh/known-hosts/{known}"))
        .await
        .assert_status(200);
    let again = app
        .post("/api/ssh/test", json!({ "inventoryIds": [inventory] }))
        .await;
    assert_eq!(
        again.body["data"]["results"][0]["status"], "Connected",
        "{}",
        again.body
    );
    let trusted = run(&app, &playbook, &inventory).await;
    let output = trusted["playbooks"][0]["output"].as_str().unwrap();
    assert_eq!(trusted["playbooks"][0]["status"], "success", "{output}");
    assert_eq!(
        trusted["playbooks"][0]["hostStats"]["web"]["changed"], 1,
        "{trusted}"
    );
});
