//! A server killed outright (SIGKILL) in the middle of a job: once a server runs again on
//! the machine, the job is failed with the reason, its ansible processes are gone, its
//! directory too, and new jobs run.

use crate::server::{Server, Setup, ansible_python, finished, processes_of};
use ansible_core::jobs::SERVER_STOPPED;
use serde_json::json;
use std::time::{Duration, Instant};

fn wait_until(within: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let until = Instant::now() + within;
    while !done() {
        assert!(Instant::now() < until, "not within {within:?}: {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn a_killed_server_leaves_no_run_behind(database_url: Option<String>) {
    let Some(python) = ansible_python() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let setup = Setup::new(dir.path(), database_url)
        .with("HUB_JOB_LEASE_SECS", "2")
        .with("HUB_JOB_WORKERS", "1");
    let mut first = Server::start(&setup, "first");
    let inventory = first.local_inventory(&python);
    let playbook = first.playbook("name: Wait\ncommand: sleep 300");
    let job = first.execute(&playbook, &inventory, json!({}));
    first.wait_job(&job, Duration::from_secs(60), |j| {
        j["playbooks"][0]["status"] == "running"
    });
    wait_until(Duration::from_secs(60), "the task's sleep runs", || {
        processes_of(&job).iter().any(|p| p.contains("sleep 300"))
    });

    first.kill9();
    // Nothing stopped the run: that is what a kill -9 does.
    assert!(!processes_of(&job).is_empty());

    let second = Server::start(&setup, "second");
    let failed = second.wait_job(&job, Duration::from_secs(30), finished);
    assert_eq!(failed["status"], "failed", "{failed}");
    assert_eq!(failed["playbooks"][0]["status"], "failed", "{failed}");
    let output = failed["playbooks"][0]["output"].as_str().unwrap();
    assert!(output.contains(SERVER_STOPPED), "{output}");
    wait_until(
        Duration::from_secs(10),
        "the run's processes are gone",
        || processes_of(&job).is_empty(),
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("jobs"))
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(
        leftovers
            .iter()
            .all(|n| !n.to_string_lossy().starts_with(&job)),
        "{leftovers:?}"
    );
    assert!(
        second.log().contains("ended what a stopped server left"),
        "{}",
        second.log()
    );

    let hello = second.playbook("name: Hi\ndebug:\n  msg: hi");
    let next = second.execute(&hello, &inventory, json!({}));
    let done = second.wait_job(&next, Duration::from_secs(60), finished);
    assert_eq!(done["status"], "completed", "{done}");
}

#[test]
fn on_sqlite_a_killed_server_leaves_no_run_behind() {
    a_killed_server_leaves_no_run_behind(None);
}

#[test]
fn on_postgres_a_killed_server_leaves_no_run_behind() {
    let Some(db) = hub_testkit::PgDatabase::create() else {
        return;
    };
    a_killed_server_leaves_no_run_behind(Some(db.url.clone()));
}
