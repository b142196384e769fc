//! Finding and running the real Ansible tools.
//!
//! A tool is looked up in its `HUB_ANSIBLE_*` variable, then on `PATH`, then in the
//! project's venv. When it is missing the test fails if `HUB_REQUIRE_ANSIBLE=1`, and is
//! otherwise skipped with a loud message.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const VENV_BIN: &str = "/root/.cache/control-hub/ansible-venv/bin";

fn executable(p: &Path) -> bool {
    p.is_file()
}

/// Locate `tool` (e.g. `ansible-inventory`) via `env_var`, `PATH`, then the venv.
pub(crate) fn find(env_var: &str, tool: &str) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env_var).map(PathBuf::from) {
        return executable(&p).then_some(p);
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(tool);
            if executable(&p) {
                return Some(p);
            }
        }
    }
    let p = Path::new(VENV_BIN).join(tool);
    executable(&p).then_some(p)
}

/// The tool, or `None` after printing a skip notice; panics when Ansible is required.
pub(crate) fn require(env_var: &str, tool: &str, test: &str) -> Option<PathBuf> {
    if let Some(p) = find(env_var, tool) {
        return Some(p);
    }
    // `test` is the thread's name, which the skip line shows already.
    let _ = test;
    hub_testkit::unavailable(
        "HUB_REQUIRE_ANSIBLE",
        tool,
        &format!("not on PATH, nor in {env_var} or {VENV_BIN}"),
    );
    None
}

/// Whether the Ansible beside `bin` is ansible-core 2.19 or later, whose data tagging
/// reports unsafe markers differently (see `json::strip_unsafe`).
pub(crate) fn marks_trust_by_tags(bin: &Path) -> bool {
    let out = Command::new(bin)
        .arg("--version")
        .stdin(Stdio::null())
        .output();
    let text = out
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let version = text
        .split("[core ")
        .nth(1)
        .and_then(|rest| rest.split(']').next())
        .unwrap_or_default();
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (major, minor) >= (2, 19)
}

/// Output of one tool run.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) success: bool,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// Run `cmd` in `dir` with a clean Ansible environment and a time limit.
pub(crate) fn run(mut cmd: Command, dir: &Path) -> Run {
    cmd.current_dir(dir)
        .env("ANSIBLE_INVENTORY_UNPARSED_FAILED", "1")
        .env("ANSIBLE_INVENTORY_ENABLED", "ini,yaml")
        .env("ANSIBLE_NOCOLOR", "1")
        .env("ANSIBLE_DEPRECATION_WARNINGS", "0")
        .env("ANSIBLE_LOCAL_TEMP", dir.join(".ansible-tmp"))
        .env("ANSIBLE_CONFIG", dir.join("no-ansible.cfg"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            return Run {
                success: false,
                stdout: String::new(),
                stderr: format!("spawn failed: {e}"),
            };
        }
    };
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() > Duration::from_secs(180) => {
                let _ = child.kill();
                break;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => break,
        }
    }
    match child.wait_with_output() {
        Ok(out) => Run {
            success: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        },
        Err(e) => Run {
            success: false,
            stdout: String::new(),
            stderr: format!("wait failed: {e}"),
        },
    }
}
