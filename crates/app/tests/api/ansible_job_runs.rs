//! Jobs run by workers through the real ansible-playbook, against localhost
//! (`ansible_connection=local`), on both stores.

use crate::ansible_jobs::{finished, ids, local_playbook};
use crate::api_test;
use crate::support::TestApp;
use serde_json::{Value, json};

/// The events of a stream: (id, event, data).
fn events(text: &str) -> Vec<(Option<u64>, String, Value)> {
    text.split("\n\n")
        .filter(|block| !block.trim().is_empty())
        .map(|block| {
            let (mut id, mut name, mut data) = (None, String::new(), Value::Null);
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("id: ") {
                    id = Some(v.parse().unwrap());
                } else if let Some(v) = line.strip_prefix("event: ") {
                    name = v.to_owned();
                } else if let Some(v) = line.strip_prefix("data: ") {
                    data = serde_json::from_str(v).unwrap();
                }
            }
            (id, name, data)
        })
        .collect()
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

    // A finished job's events replay its output, say its status, and end.
    let stream_path = format!("/api/playbooks/jobs/{job_id}/events");
    let stream = app.get(&stream_path).await;
    stream.assert_status(200);
    assert_eq!(stream.header("content-type"), Some("text/event-stream"));
    let all = events(&stream.text);
    let outputs: Vec<_> = all.iter().filter(|e| e.1 == "output").collect();
    let replayed: String = outputs
        .iter()
        .map(|e| e.2["text"].as_str().unwrap())
        .collect();
    assert_eq!(replayed, output);
    assert!(outputs.iter().all(|e| e.2["playbookId"] == playbook));
    assert!(
        all.iter()
            .any(|e| e.1 == "status" && e.2["status"] == "completed")
    );
    assert_eq!(all.last().map(|e| e.1.as_str()), Some("end"));
    let first = outputs[0].0.unwrap();
    let resumed = app
        .send(
            actix_web::test::TestRequest::get()
                .uri(&stream_path)
                .insert_header(("Authorization", format!("Bearer {}", crate::support::TOKEN)))
                .insert_header(("Last-Event-ID", first.to_string())),
        )
        .await;
    let again: Vec<_> = events(&resumed.text)
        .into_iter()
        .filter(|e| e.1 == "output")
        .collect();
    assert_eq!(again.len(), outputs.len() - 1);
    assert!(again.iter().all(|e| e.0.unwrap() > first));
    app.get("/api/playbooks/jobs/nope/events")
        .await
        .assert_failure(404, "JOB_NOT_FOUND");
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
    // A live stream follows the job to its end while the cancel goes in.
    let stream_path = format!("/api/playbooks/jobs/{job_id}/events");
    let cancel = async {
        actix_web::rt::time::sleep(std::time::Duration::from_millis(300)).await;
        app.post(&format!("/api/playbooks/jobs/{job_id}/cancel"), json!({}))
            .await
    };
    let (stream, asked) = futures_util::future::join(app.get(&stream_path), cancel).await;
    asked.assert_status(202);
    let seen = events(&stream.text);
    let statuses: Vec<_> = seen
        .iter()
        .filter(|e| e.1 == "status")
        .map(|e| e.2["status"].clone())
        .collect();
    assert_eq!(statuses.first(), Some(&json!("running")), "{}", stream.text);
    assert_eq!(statuses.last(), Some(&json!("canceled")), "{}", stream.text);
    assert_eq!(seen.last().map(|e| e.1.as_str()), Some("end"));
    let job = app.wait_job(&job_id, 15, finished).await;
    assert_eq!(job["status"], "canceled", "{job}");
    assert_eq!(job["playbooks"][0]["status"], "canceled", "{job}");
});
