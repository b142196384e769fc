//! One `control-hub serve` process on a loopback port, driven over HTTP; killed on drop.

use serde_json::{Value, json};
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const TOKEN: &str = "processes-test-token-0123456789abcdef";

/// The python beside the ansible-playbook on PATH (its venv's), for the inventory's
/// `ansible_python_interpreter`: the machine's own discovery may find a python without
/// what modules need. `None` after a loud skip (a failure under HUB_REQUIRE_ANSIBLE=1)
/// when there is no ansible-playbook.
pub fn ansible_python() -> Option<PathBuf> {
    let found = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join("ansible-playbook"))
        .find(|p| p.is_file());
    match found {
        Some(program) => Some(
            program
                .parent()
                .map(|bin| bin.join("python3"))
                .filter(|p| p.is_file())
                .unwrap_or_else(|| PathBuf::from("/usr/bin/python3")),
        ),
        None => {
            hub_testkit::unavailable("HUB_REQUIRE_ANSIBLE", "ansible-playbook", "not on PATH");
            None
        }
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// How a server is started: its data directory and database, and extra settings.
#[derive(Debug, Clone)]
pub struct Setup {
    pub data_dir: PathBuf,
    /// `None`: the SQLite default under the data directory.
    pub database_url: Option<String>,
    pub env: Vec<(String, String)>,
}

impl Setup {
    pub fn new(data_dir: &Path, database_url: Option<String>) -> Self {
        Self {
            data_dir: data_dir.to_path_buf(),
            database_url,
            env: Vec::new(),
        }
    }

    pub fn with(mut self, name: &str, value: &str) -> Self {
        self.env.push((name.to_owned(), value.to_owned()));
        self
    }
}

pub struct Server {
    child: Child,
    pub base: String,
    log: PathBuf,
    agent: ureq::Agent,
}

impl Server {
    /// Starts `control-hub serve` and waits until `/readyz` answers 200.
    pub fn start(setup: &Setup, name: &str) -> Self {
        let port = free_port();
        std::fs::create_dir_all(&setup.data_dir).unwrap();
        std::fs::set_permissions(&setup.data_dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        let log = setup.data_dir.join(format!("{name}.log"));
        let out = std::fs::File::create(&log).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_control-hub"));
        cmd.arg("serve")
            .env("HUB_BIND", format!("127.0.0.1:{port}"))
            .env("HUB_DATA_DIR", &setup.data_dir)
            .env("HUB_API_TOKEN", TOKEN)
            .env("RUST_LOG", "info")
            .env_remove("HUB_DATABASE_URL")
            .env_remove("DATABASE_URL")
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out);
        if let Some(url) = &setup.database_url {
            cmd.env("HUB_DATABASE_URL", url);
        }
        for (k, v) in &setup.env {
            cmd.env(k, v);
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        let mut server = Self {
            child: cmd.spawn().expect("control-hub starts"),
            base: format!("http://127.0.0.1:{port}"),
            log,
            agent,
        };
        server.wait_ready();
        server
    }

    fn wait_ready(&mut self) {
        let until = Instant::now() + Duration::from_secs(60);
        while Instant::now() < until {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the server exited ({status}):\n{}", self.log());
            }
            let ready = self
                .agent
                .get(format!("{}/readyz", self.base))
                .call()
                .is_ok_and(|r| r.status() == 200);
            if ready {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the server did not get ready:\n{}", self.log());
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL: the server gets no chance to stop anything.
    pub fn kill9(&mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }

    fn reply(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> (u16, Value) {
        let mut response = response.expect("the server answers");
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().expect("a body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    pub fn get(&self, path: &str) -> (u16, Value) {
        Self::reply(
            self.agent
                .get(format!("{}{path}", self.base))
                .header("Authorization", format!("Bearer {TOKEN}"))
                .call(),
        )
    }

    pub fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        Self::reply(
            self.agent
                .post(format!("{}{path}", self.base))
                .header("Authorization", format!("Bearer {TOKEN}"))
                .send_json(body),
        )
    }

    /// Creates an inventory of localhost over a local connection with `python`.
    pub fn local_inventory(&self, python: &Path) -> Value {
        let config = format!(
            "[local]\nlocalhost ansible_connection=local ansible_python_interpreter={}\n",
            python.display()
        );
        let (status, inventory) = self.post(
            "/api/inventories",
            &json!({ "name": format!("local {}", uuid::Uuid::now_v7()), "config": config }),
        );
        assert_eq!(status, 201, "{inventory}");
        inventory["data"]["id"].clone()
    }

    /// Creates a playbook of `task` on every host; its id.
    pub fn playbook(&self, task: &str) -> Value {
        let (status, playbook) = self.post(
            "/api/playbooks",
            &json!({
                "name": format!("processes {}", uuid::Uuid::now_v7()),
                "type": "Other",
                "main": { "hosts": "all", "gatherFacts": false },
                "tasks": [{ "content": task }]
            }),
        );
        assert_eq!(status, 201, "{playbook}");
        playbook["data"]["id"].clone()
    }

    /// Queues the playbook on the inventory; the job's id.
    pub fn execute(&self, playbook: &Value, inventory: &Value, extra_vars: Value) -> String {
        let (status, queued) = self.post(
            "/api/playbooks/execute",
            &json!({ "playbookIds": [playbook], "inventoryId": inventory, "extraVars": extra_vars }),
        );
        assert_eq!(status, 202, "{queued}");
        queued["data"]["jobId"].as_str().unwrap().to_owned()
    }

    pub fn job(&self, id: &str) -> Value {
        let (status, body) = self.get(&format!("/api/playbooks/jobs/{id}"));
        assert_eq!(status, 200, "{body}");
        body["data"].clone()
    }

    /// Polls the job until `done` says so; its last state.
    pub fn wait_job(&self, id: &str, within: Duration, done: impl Fn(&Value) -> bool) -> Value {
        let until = Instant::now() + within;
        loop {
            let job = self.job(id);
            if done(&job) {
                return job;
            }
            assert!(
                Instant::now() < until,
                "job {id} did not get there in {within:?}: {job}\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Server {
    /// A graceful stop (its runs killed, their jobs failed), then SIGKILL if it lingers.
    fn drop(&mut self) {
        if let Ok(pid) = i32::try_from(self.child.id()) {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGTERM,
            );
        }
        let until = Instant::now() + Duration::from_secs(15);
        while Instant::now() < until {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The processes of this machine that run for `job` (their argv), zombies left out.
pub fn processes_of(job: &str) -> Vec<String> {
    let mark = format!("CONTROL_HUB_JOB={job}");
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.parse::<u32>().is_ok())
        })
        .filter(|e| {
            let stat = std::fs::read_to_string(e.path().join("stat")).unwrap_or_default();
            let state = stat
                .rfind(')')
                .and_then(|i| stat[i + 1..].split_whitespace().next().map(str::to_owned));
            state.is_some_and(|s| s != "Z" && s != "X")
        })
        .filter(|e| {
            std::fs::read(e.path().join("environ"))
                .is_ok_and(|env| env.split(|b| *b == 0).any(|v| v == mark.as_bytes()))
        })
        .map(|e| {
            std::fs::read(e.path().join("cmdline"))
                .map(|c| String::from_utf8_lossy(&c).replace('\0', " "))
                .unwrap_or_default()
        })
        .collect()
}

pub fn finished(job: &Value) -> bool {
    matches!(
        job["status"].as_str(),
        Some("completed" | "failed" | "canceled")
    )
}
