//! Jobs run by workers through the real ansible-playbook, against localhost
//! (`ansible_connection=local`), on both stores.

use crate::ansible_jobs::{ids, local_playbook};
use crate::api_test;
use crate::support::TestApp;
use serde_json::{Value, json};

fn finished(job: &Value) -> bool {
    matches!(
        job["status"].as_str(),
        Some("completed" | "failed" | "canceled")
    )
}

async fn execute(app: &TestApp, playbooks: Value, inventory: &Value) -> String {
    let queued = app
        .post(
            "/api/playbooks/execute",
            json!({ "playbookIds": playbooks, "inventoryId": inventory }),
        )
        .await;
    queued.assert_status(202);
    queued.body["data"]["jobId"].as_str().unwrap().to_owned()
}

api_test!(a_playbook_runs_to_success, |app| {
    let Some(_workers) = app.workers() else {
        return;
    };
    let (inventory, playbook) = ids(&app, "name: Say hi\ndebug:\n  msg: hi").await;
    let job_id = execute(&app, json!([playbook]), &inventory).await;
    let job = app.wait_job(&job_id, 120, finished).await;
    assert_eq!(job["status"], "completed", "{job}");
    let run = &job["playbooks"][0];
    assert_eq!(run["status"], "success", "{job}");
    assert_eq!(run["exitCode"], 0);
    let output = run["output"].as_str().unwrap();
    assert!(output.contains("PLAY RECAP"), "{output}");
    assert!(
        run["hostStats"]["localhost"]["ok"].as_u64().unwrap() >= 1,
        "{job}"
    );
    assert!(job["startedAt"].is_string() && job["completedAt"].is_string());
    assert!(run["startedAt"].is_string() && run["completedAt"].is_string());

    let catalog = app.get(&format!("/api/playbooks/{playbook}")).await;
    assert_eq!(catalog.body["data"]["status"], "Success");
    assert!(catalog.body["data"]["lastRunAt"].is_string());

    let path = format!("/api/playbooks/jobs/{job_id}/output?playbookId={playbook}");
    let whole = app.get(&format!("{path}&offset=0")).await;
    whole.assert_status(200);
    assert_eq!(whole.text, output);
    assert_eq!(whole.header("X-Output-Complete"), Some("true"));
    let end = output.len().to_string();
    assert_eq!(whole.header("X-Output-Offset"), Some(end.as_str()));
    let rest = app.get(&format!("{path}&offset=10")).await;
    assert_eq!(rest.text, output[10..]);
    let past = app.get(&format!("{path}&offset={end}")).await;
    assert_eq!(past.text, "");

    app.post(&format!("/api/playbooks/jobs/{job_id}/cancel"), json!({}))
        .await
        .assert_failure(409, "JOB_NOT_CANCELABLE");
});

api_test!(a_failing_playbook_does_not_stop_the_next, |app| {
    let Some(_workers) = app.workers() else {
        return;
    };
    let (inventory, good) = ids(&app, "name: Say hi\ndebug:\n  msg: hi").await;
    let bad = app
        .post(
            "/api/playbooks",
            local_playbook("fails", "name: Fail\nfail:\n  msg: boom"),
        )
        .await;
    let bad = bad.body["data"]["id"].clone();
    let job_id = execute(&app, json!([bad, good]), &inventory).await;
    let job = app.wait_job(&job_id, 120, finished).await;
    assert_eq!(job["status"], "completed", "{job}");
    assert_eq!(job["playbooks"][0]["status"], "failed", "{job}");
    assert_ne!(job["playbooks"][0]["exitCode"], 0);
    assert_eq!(job["playbooks"][1]["status"], "success", "{job}");
    let catalog = app.get(&format!("/api/playbooks/{bad}")).await;
    assert_eq!(catalog.body["data"]["status"], "Fail");
});

api_test!(a_running_job_is_canceled, |app| {
    let Some(_workers) = app.workers() else {
        return;
    };
    let (inventory, playbook) = ids(&app, "name: Sleep\ncommand: sleep 300").await;
    let job_id = execute(&app, json!([playbook]), &inventory).await;
    app.wait_job(&job_id, 60, |job| {
        job["playbooks"][0]["status"] == "running"
    })
    .await;
    let asked = app
        .post(&format!("/api/playbooks/jobs/{job_id}/cancel"), json!({}))
        .await;
    asked.assert_status(202);
    let job = app.wait_job(&job_id, 15, finished).await;
    assert_eq!(job["status"], "canceled", "{job}");
    assert_eq!(job["playbooks"][0]["status"], "canceled", "{job}");
});
