//! Jobs through the real binary and the real ansible-playbook, against localhost over a
//! local connection:
//! - the wall time of one trivial job through the hub (execute → seen completed) against
//!   the same `ansible-playbook` command run directly;
//! - the time from `execute` to the playbook's process starting (its `startedAt`), p50/p99;
//! - jobs per minute for a burst of queued trivial jobs, with 1, 2 and 4 workers.
//!
//! `cargo bench -p control-hub --bench jobs`, with ansible-playbook on PATH and PostgreSQL
//! as for the tests (`HUB_TEST_DATABASE_URL` or 127.0.0.1:5432). `BENCH_SAMPLES` (default
//! 20) single jobs per store, `BENCH_JOBS` (default 200) per burst, `BENCH_WORKERS`
//! (default `1,2,4`) and `BENCH_STORES` (default `sqlite,postgres`) narrow it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    clippy::panic
)]

#[path = "../tests/processes/server.rs"]
#[allow(dead_code)]
mod server;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use server::{Server, Setup, ansible_python, finished};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TASK: &str = "name: Say hi\ndebug:\n  msg: hi";
/// How the hub renders that playbook (what a direct run is given).
const PLAYBOOK: &str =
    "- hosts: all\n  gather_facts: false\n  tasks:\n  - name: Say hi\n    debug:\n      msg: hi\n";

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn list_env(name: &str, default: &str) -> Vec<String> {
    std::env::var(name)
        .unwrap_or_else(|_| default.to_owned())
        .split(',')
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    percentile(samples, 0.5)
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// The same command the hub runs, started directly.
fn direct_runs(python: &Path, samples: usize) -> Vec<Duration> {
    let dir = tempfile::tempdir().unwrap();
    let inventory = dir.path().join("inventory");
    std::fs::write(
        &inventory,
        format!(
            "[local]\nlocalhost ansible_connection=local ansible_python_interpreter={}\n",
            python.display()
        ),
    )
    .unwrap();
    let playbook = dir.path().join("playbook.yml");
    std::fs::write(&playbook, PLAYBOOK).unwrap();
    (0..samples)
        .map(|_| {
            let started = Instant::now();
            let status = Command::new("ansible-playbook")
                .arg("-i")
                .arg(&inventory)
                .arg(&playbook)
                .env("ANSIBLE_FORCE_COLOR", "0")
                .env("ANSIBLE_RETRY_FILES_ENABLED", "0")
                .current_dir(dir.path())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .unwrap();
            assert!(status.success());
            started.elapsed()
        })
        .collect()
}

fn start(store: &str, scratch: &Path, workers: usize) -> (Server, Option<hub_testkit::PgDatabase>) {
    let db = match store {
        "postgres" => Some(hub_testkit::PgDatabase::create().expect("PostgreSQL")),
        _ => None,
    };
    let setup = Setup::new(scratch, db.as_ref().map(|d| d.url.clone()))
        .with("HUB_JOB_WORKERS", &workers.to_string())
        .with("RUST_LOG", "warn");
    (Server::start(&setup, store), db)
}

/// One job at a time: its wall time as a client sees it, and execute → process start.
fn single_jobs(store: &str, python: &Path, samples: usize) -> (Vec<Duration>, Vec<Duration>) {
    let scratch = tempfile::tempdir().unwrap();
    let (server, _db) = start(store, scratch.path(), 1);
    let inventory = server.local_inventory(python);
    let playbook = server.playbook(TASK);
    let (mut walls, mut starts) = (Vec::new(), Vec::new());
    for _ in 0..samples {
        let (t0, at) = (Instant::now(), Utc::now());
        let id = server.execute(&playbook, &inventory, json!({}));
        let job = poll(&server, &id);
        walls.push(t0.elapsed());
        assert_eq!(job["status"], "completed", "{job}");
        let started: DateTime<Utc> = job["playbooks"][0]["startedAt"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        starts.push((started - at).to_std().unwrap_or_default());
    }
    (walls, starts)
}

fn poll(server: &Server, id: &str) -> Value {
    loop {
        let job = server.job(id);
        if finished(&job) {
            return job;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// `jobs` queued at once: how long until the last one completed.
fn burst(store: &str, python: &Path, workers: usize, jobs: usize) -> Duration {
    let scratch = tempfile::tempdir().unwrap();
    let (server, _db) = start(store, scratch.path(), workers);
    let inventory = server.local_inventory(python);
    let playbook = server.playbook(TASK);
    let started = Instant::now();
    for _ in 0..jobs {
        server.execute(&playbook, &inventory, json!({}));
    }
    loop {
        let (_, page) = server.get("/api/playbooks/jobs?status=completed&per_page=1");
        let done = page["data"]["pagination"]["total"].as_u64().unwrap_or(0);
        if done as usize >= jobs {
            return started.elapsed();
        }
        let (_, failed) = server.get("/api/playbooks/jobs?status=failed&per_page=1");
        assert_eq!(failed["data"]["pagination"]["total"], 0, "a job failed");
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn main() {
    let Some(python) = ansible_python() else {
        return;
    };
    let samples = env_or("BENCH_SAMPLES", 20usize);
    let jobs = env_or("BENCH_JOBS", 200usize);
    let stores = list_env("BENCH_STORES", "sqlite,postgres");
    let workers: Vec<usize> = list_env("BENCH_WORKERS", "1,2,4")
        .iter()
        .map(|w| w.parse().unwrap())
        .collect();

    let mut direct = direct_runs(&python, samples);
    let direct_median = median(&mut direct);
    println!(
        "direct ansible-playbook: median {} over {samples} runs",
        ms(direct_median)
    );
    for store in &stores {
        let (mut walls, mut starts) = single_jobs(store, &python, samples);
        let wall = median(&mut walls);
        starts.sort();
        let ratio = wall.as_secs_f64() / direct_median.as_secs_f64();
        let target = direct_median.mul_f64(1.05) + Duration::from_millis(100);
        println!(
            "{store}: one job through the hub: median {} ({ratio:.2}× direct; target ≤ {}: {}); \
             execute → start p50 {} p99 {} max {}",
            ms(wall),
            ms(target),
            if wall <= target { "met" } else { "missed" },
            ms(percentile(&starts, 0.5)),
            ms(percentile(&starts, 0.99)),
            ms(*starts.last().unwrap()),
        );
        for &w in &workers {
            let took = burst(store, &python, w, jobs);
            println!(
                "{store}: {jobs} queued jobs with {w} worker(s): {:.1} s, {:.0} jobs/min",
                took.as_secs_f64(),
                jobs as f64 * 60.0 / took.as_secs_f64()
            );
        }
    }
}
