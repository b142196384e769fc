//! Several servers on one PostgreSQL share the queue: every job runs exactly once (the
//! playbook itself writes down each run), and every server takes some.

use crate::server::{Server, Setup, ansible_python, finished};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

const SERVERS: usize = 3;
const JOBS: usize = 60;

#[test]
fn three_servers_on_one_database_run_each_job_exactly_once() {
    let Some(python) = ansible_python() else {
        return;
    };
    let Some(db) = hub_testkit::PgDatabase::create() else {
        return;
    };
    let scratch = tempfile::tempdir().unwrap();
    let records = scratch.path().join("runs");
    std::fs::create_dir(&records).unwrap();
    let servers: Vec<Server> = (0..SERVERS)
        .map(|n| {
            // Each server its own data directory, so a run shows whose it was: the
            // playbook's directory is under its server's.
            let setup = Setup::new(
                &scratch.path().join(format!("server-{n}")),
                Some(db.url.clone()),
            )
            .with("HUB_JOB_WORKERS", "2")
            // Replicas share the database, so they share the key its secrets are sealed
            // with.
            .with("HUB_SECRET_KEY", &"ab".repeat(32));
            Server::start(&setup, &format!("server-{n}"))
        })
        .collect();
    let inventory = servers[0].local_inventory(&python);
    // One line per run, appended to the job's own file: two runs of a job make two lines.
    let playbook = servers[0].playbook(
        "name: Write the run down\n\
         shell: echo '{{ playbook_dir }}' >> '{{ records }}/{{ mark }}'",
    );
    let jobs: Vec<(String, String)> = (0..JOBS)
        .map(|n| {
            let mark = format!("job-{n}");
            // Queued through every server, as a load balancer would spread them.
            let server = &servers[n % SERVERS];
            let vars = json!({ "records": records, "mark": mark });
            (server.execute(&playbook, &inventory, vars), mark)
        })
        .collect();

    for (id, _) in &jobs {
        let job = servers[0].wait_job(id, Duration::from_secs(600), finished);
        assert_eq!(job["status"], "completed", "{job}");
        assert_eq!(job["playbooks"][0]["status"], "success", "{job}");
    }
    let mut runs_by_server: BTreeMap<usize, usize> = BTreeMap::new();
    for (id, mark) in &jobs {
        let lines = std::fs::read_to_string(records.join(mark)).unwrap_or_default();
        let runs: Vec<&str> = lines.lines().collect();
        assert_eq!(runs.len(), 1, "{id} ran {} times: {runs:?}", runs.len());
        let server = (0..SERVERS)
            .find(|n| runs[0].contains(&format!("/server-{n}/")))
            .unwrap_or_else(|| panic!("{id} ran outside every server: {}", runs[0]));
        *runs_by_server.entry(server).or_default() += 1;
    }
    let took_some: BTreeSet<usize> = runs_by_server.keys().copied().collect();
    assert_eq!(
        took_some.len(),
        SERVERS,
        "every server takes some: {runs_by_server:?}"
    );
    assert_eq!(runs_by_server.values().sum::<usize>(), JOBS);
}
