//! What a job runs: the playbook as it was queued (an edit afterwards changes nothing),
//! its tasks in order with the disabled ones left out, extra variables as data never as
//! code; and a job past its time limit fails, naming the setting.

use crate::ansible_jobs::{finished, local_inventory, local_playbook};
use crate::api_test;
use serde_json::json;

api_test!(
    a_job_runs_what_was_queued_in_order_with_vars_as_data,
    |app| {
        let inventory = app
            .create("/api/inventories", local_inventory("local"))
            .await["data"]["id"]
            .clone();
        let tasks = |first: &str| {
            json!([
                { "content": format!("name: First\ndebug:\n  msg: {first}") },
                { "enabled": false, "content": "name: Disabled\ndebug:\n  msg: never-run" },
                { "content": "name: Probe\ndebug:\n  msg: \"probe={{ probe }}\"" },
                { "content": "name: Last\ndebug:\n  msg: last-task" }
            ])
        };
        let body = |first: &str| {
            json!({
                "name": "ordered", "type": "Other",
                "main": { "hosts": "all", "gatherFacts": false },
                "tasks": tasks(first)
            })
        };
        let playbook = app.create("/api/playbooks", body("as-queued")).await["data"]["id"].clone();
        let marker = tempfile::tempdir().unwrap().path().join("touched");
        let probe = format!("$(touch {}) '; rm -rf /' {{{{ 7 * 6 }}}}", marker.display());
        let queued = app
        .post(
            "/api/playbooks/execute",
            json!({ "playbookIds": [playbook], "inventoryId": inventory, "extraVars": { "probe": probe } }),
        )
        .await;
        queued.assert_status(202);
        let job_id = queued.body["data"]["jobId"].as_str().unwrap().to_owned();
        // Edited while queued: the job still runs what it was queued with.
        app.put(&format!("/api/playbooks/{playbook}"), body("edited-later"))
            .await
            .assert_status(200);

        let Some(_workers) = app.workers() else {
            return;
        };
        let job = app.wait_job(&job_id, 120, finished).await;
        assert_eq!(job["status"], "completed", "{job}");
        assert_eq!(job["playbooks"][0]["status"], "success", "{job}");
        let output = job["playbooks"][0]["output"].as_str().unwrap();
        assert!(!output.contains("edited-later"), "{output}");
        assert!(
            !output.contains("never-run") && !output.contains("Disabled"),
            "{output}"
        );
        let at = |needle: &str| {
            output
                .find(needle)
                .unwrap_or_else(|| panic!("{needle} in {output}"))
        };
        assert!(at("as-queued") < at("probe=") && at("probe=") < at("last-task"));
        // Ansible templates variables once: the value's own braces stay text, and nothing
        // of it was run by a shell.
        assert!(output.contains("$(touch "), "{output}");
        assert!(output.contains("'; rm -rf /'"), "{output}");
        assert!(!marker.exists(), "the value ran as a command");
        eprintln!("OUT {output}");
    }
);

api_test!(a_job_past_its_time_limit_fails_naming_the_setting, |app| {
    let inventory = app
        .create("/api/inventories", local_inventory("local"))
        .await["data"]["id"]
        .clone();
    let playbook = app
        .create(
            "/api/playbooks",
            local_playbook("slow", "name: Wait\npause:\n  seconds: 300"),
        )
        .await["data"]["id"]
        .clone();
    let Some(_workers) = app.workers_with(ansible_core::jobs::JobSettings {
        timeout: chrono::TimeDelta::seconds(3),
        renew_every: chrono::TimeDelta::milliseconds(500),
        ..Default::default()
    }) else {
        return;
    };
    let queued = app
        .post(
            "/api/playbooks/execute",
            json!({ "playbookIds": [playbook], "inventoryId": inventory }),
        )
        .await;
    queued.assert_status(202);
    let job_id = queued.body["data"]["jobId"].as_str().unwrap();
    let job = app.wait_job(job_id, 60, finished).await;
    assert_eq!(job["status"], "failed", "{job}");
    assert_eq!(job["playbooks"][0]["status"], "failed", "{job}");
    let output = job["playbooks"][0]["output"].as_str().unwrap();
    assert!(output.contains("HUB_JOB_TIMEOUT_SECS"), "{output}");
});
