//! The README's own path: `control-hub` started in an empty directory with no setting at
//! all (the data directory is the relative `./data`), the token taken from
//! `data/admin-token`, and a playbook run to `success`. Every other test sets an absolute
//! `HUB_DATA_DIR`; this one is what a new user does first.

use crate::server::ansible_python;
use hub_testkit::fake_llm::{FakeLlm, Reply};
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The README's default listen address.
const DEFAULT_BASE: &str = "http://127.0.0.1:8000";

/// `control-hub ARGS` in `dir` with none of the hub's settings in its environment (PATH and
/// the rest are kept: ansible-playbook is found on PATH, as the README says), plus `env`.
fn hub(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_control-hub"));
    cmd.args(args).current_dir(dir).stdin(Stdio::null());
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("HUB_") || name == "DATABASE_URL" || name == "RUST_LOG" {
            cmd.env_remove(name.as_ref());
        }
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// A server process; killed (SIGTERM, then SIGKILL) on drop.
struct Started {
    child: Child,
    log: std::path::PathBuf,
}

impl Started {
    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Started {
    fn drop(&mut self) {
        if let Ok(pid) = i32::try_from(self.child.id()) {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGTERM,
            );
        }
        let until = Instant::now() + Duration::from_secs(15);
        while Instant::now() < until && !matches!(self.child.try_wait(), Ok(Some(_))) {
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// Starts `control-hub` (no subcommand, as `cargo run` does) in `dir`, logging to a file
/// beside it, and waits for `/readyz` on `base`.
fn start(dir: &Path, base: &str, env: &[(&str, &str)]) -> Started {
    let log = dir.with_extension("log");
    let out = std::fs::File::create(&log).unwrap();
    let child = hub(dir, &[], env)
        .stdout(out.try_clone().unwrap())
        .stderr(out)
        .spawn()
        .expect("control-hub starts");
    let mut started = Started { child, log };
    let until = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(Some(status)) = started.child.try_wait() {
            panic!("the server exited ({status}):\n{}", started.log());
        }
        let ready = agent()
            .get(format!("{base}/readyz"))
            .call()
            .is_ok_and(|r| r.status() == 200);
        if ready {
            return started;
        }
        assert!(Instant::now() < until, "not ready:\n{}", started.log());
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn call(request: ureq::RequestBuilder<ureq::typestate::WithBody>, body: &Value) -> (u16, Value) {
    let mut response = request.send_json(body).expect("the server answers");
    let text = response.body_mut().read_to_string().unwrap();
    (
        response.status().as_u16(),
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn get(base: &str, token: &str, path: &str) -> (u16, Value) {
    let mut response = agent()
        .get(format!("{base}{path}"))
        .header("Authorization", format!("Bearer {token}"))
        .call()
        .expect("the server answers");
    let text = response.body_mut().read_to_string().unwrap();
    (
        response.status().as_u16(),
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn post(base: &str, token: &str, path: &str, body: &Value) -> (u16, Value) {
    call(
        agent()
            .post(format!("{base}{path}"))
            .header("Authorization", format!("Bearer {token}")),
        body,
    )
}

#[test]
fn an_empty_directory_and_no_settings_run_a_playbook_to_success() {
    let Some(python) = ansible_python() else {
        return;
    };
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().join("fresh");
    std::fs::create_dir(&dir).unwrap();
    assert!(
        std::net::TcpListener::bind("127.0.0.1:8000").is_ok(),
        "the README's default address 127.0.0.1:8000 is taken on this machine; this test needs it"
    );
    let server = start(&dir, DEFAULT_BASE, &[]);
    let token = std::fs::read_to_string(dir.join("data/admin-token"))
        .expect("the first start wrote data/admin-token");
    let token = token.trim();

    let config = format!(
        "localhost ansible_connection=local ansible_python_interpreter={}\n",
        python.display()
    );
    let (status, inventory) = post(
        DEFAULT_BASE,
        token,
        "/api/inventories",
        &json!({ "name": "here", "config": config }),
    );
    assert_eq!(status, 201, "{inventory}");
    let (status, playbook) = post(
        DEFAULT_BASE,
        token,
        "/api/playbooks",
        &json!({
            "name": "hello",
            "type": "Other",
            "main": { "hosts": "all", "gatherFacts": false },
            "tasks": [{ "content": "name: say hello\nansible.builtin.command: echo hello-from-the-default-path\n" }]
        }),
    );
    assert_eq!(status, 201, "{playbook}");
    let (status, queued) = post(
        DEFAULT_BASE,
        token,
        "/api/playbooks/execute",
        &json!({ "playbookIds": [playbook["data"]["id"]] }),
    );
    assert_eq!(status, 202, "{queued}");
    let id = queued["data"]["jobId"].as_str().unwrap().to_owned();

    let until = Instant::now() + Duration::from_secs(120);
    let job = loop {
        let (status, body) = get(DEFAULT_BASE, token, &format!("/api/playbooks/jobs/{id}"));
        assert_eq!(status, 200, "{body}");
        let job = body["data"].clone();
        if job["status"] != "queued" && job["status"] != "running" {
            break job;
        }
        assert!(Instant::now() < until, "{job}\n{}", server.log());
        std::thread::sleep(Duration::from_millis(200));
    };
    let run = &job["playbooks"][0];
    assert_eq!(job["status"], "completed", "{job}");
    assert_eq!(run["status"], "success", "{job}\n{}", server.log());
    assert_eq!(run["exitCode"], 0, "{job}");
    assert_eq!(run["hostStats"]["localhost"]["changed"], 1, "{job}");
    assert!(
        run["output"]
            .as_str()
            .is_some_and(|o| o.contains("say hello")),
        "{job}"
    );
    // The run's directory was under ./data/jobs, and is gone.
    let left: Vec<_> = std::fs::read_dir(dir.join("data/jobs")).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
    // One store per start: opened (and migrated) once, the summary reading the same.
    let log = server.log();
    assert_eq!(log.matches("opening store").count(), 1, "{log}");
    drop(server);

    // The doctor, in the same directory with the same (absent) settings, runs a job's play
    // where jobs run.
    let out = hub(&dir, &["doctor"], &[]).output().unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{report}");
    let jobs_dir = std::fs::canonicalize(dir.join("data"))
        .unwrap()
        .join("jobs");
    let line = report
        .lines()
        .find(|l| l.contains("job run:"))
        .unwrap_or_else(|| panic!("no job run line:\n{report}"));
    assert!(
        line.starts_with("ok ") && line.contains(&jobs_dir.display().to_string()),
        "{report}"
    );
}

#[test]
fn the_doctor_fails_where_a_job_would() {
    if ansible_python().is_none() {
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    std::fs::create_dir(dir.join("data")).unwrap();
    std::fs::set_permissions(
        dir.join("data"),
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .unwrap();
    // A file where the jobs directory must be: every job would fail to make its directory.
    std::fs::write(dir.join("data/jobs"), "not a directory").unwrap();
    let out = hub(dir, &["doctor"], &[("HUB_SECRET_KEY", &"ab".repeat(32))])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{report}");
    assert!(report.contains("FAIL  job run:"), "{report}");
    assert!(report.contains("HUB_DATA_DIR/jobs"), "{report}");
}

#[test]
fn a_start_asks_the_model_nothing_and_the_doctor_asks_for_one_token() {
    let llm = FakeLlm::start(Reply::Answer("OK".into()));
    let base_url = llm.base_url();
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().join("model");
    std::fs::create_dir(&dir).unwrap();
    let port = crate::server::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let bind = format!("127.0.0.1:{port}");
    let env = [
        ("HUB_BIND", bind.as_str()),
        ("HUB_LLM_BASE_URL", base_url.as_str()),
        ("HUB_LLM_MODEL", "m"),
        ("RUST_LOG", "info"),
    ];
    let server = start(&dir, &base, &env);
    // The start-up summary's last line is the model's; wait for it, then look.
    let until = Instant::now() + Duration::from_secs(30);
    while !server.log().contains("AI model") {
        assert!(Instant::now() < until, "no summary:\n{}", server.log());
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(llm.received().is_empty(), "a start asked the model");
    assert!(
        server.log().contains("not asked at start-up"),
        "{}",
        server.log()
    );
    drop(server);

    let out = hub(&dir, &["doctor"], &env).output().unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("ok    AI model:"), "{report}");
    let asked = llm.received();
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!(asked[0].body["max_tokens"], 1);
}

#[test]
fn a_bind_address_that_is_not_one_stops_every_command_before_anything_opens() {
    let scratch = tempfile::tempdir().unwrap();
    for command in [&[][..], &["doctor"][..], &["migrate"][..]] {
        let out = hub(scratch.path(), command, &[("HUB_BIND", "nonsense")])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{command:?}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains("HOST:PORT"), "{command:?}: {said}");
        // Nothing was opened: no data directory, no database.
        assert!(!scratch.path().join("data").exists(), "{command:?}");
    }
}
