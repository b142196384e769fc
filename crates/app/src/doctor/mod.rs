//! `control-hub doctor`: each piece the server needs, checked in order, one line each, with
//! what to do when it fails. Opening the database applies pending migrations, as `serve`
//! and `migrate` do.

mod ssh;
#[cfg(test)]
mod ssh_tests;

pub use ssh::{PASSPHRASE_VAR, PASSWORD_VAR, SshRequest};

use crate::config::Settings;
use ai_assist::{ChatMessage, ChatRole};
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};
use std::time::Duration;

/// The most the job check's play may take: it runs one `debug` task on localhost in a
/// second or two, so past this ansible is hung and doctor must not hang with it.
const PLAY_TIMEOUT: Duration = Duration::from_secs(60);

/// What a run checks beyond what is always checked.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Run a one-task play as a job would run. `control-hub doctor` does; `serve`'s
    /// start-up summary does not, so that a start never runs ansible nor leaves a play
    /// behind when the server is killed.
    pub play: bool,
    /// The host to probe over SSH, when asked for.
    pub ssh: Option<SshRequest>,
}

/// One check's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Ok(String),
    /// What went wrong, and what to do about it.
    Failed {
        error: String,
        fix: String,
    },
    /// Not configured, so not checked.
    Skipped(String),
}

#[derive(Debug, Clone)]
pub struct Check {
    pub name: &'static str,
    pub verdict: Verdict,
}

impl Check {
    fn ok(name: &'static str, detail: impl Into<String>) -> Self {
        Self {
            name,
            verdict: Verdict::Ok(detail.into()),
        }
    }

    fn failed(name: &'static str, error: impl Into<String>, fix: impl Into<String>) -> Self {
        // One line each: drivers' messages span several.
        let error = error
            .into()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let fix = fix.into();
        Self {
            name,
            verdict: Verdict::Failed { error, fix },
        }
    }

    /// The check's line of the report.
    pub fn line(&self) -> String {
        match &self.verdict {
            Verdict::Ok(detail) => format!("ok    {}: {detail}", self.name),
            Verdict::Failed { error, fix } => {
                format!("FAIL  {}: {error}\n      fix: {fix}", self.name)
            }
            Verdict::Skipped(why) => format!("skip  {}: {why}", self.name),
        }
    }

    pub fn failed_check(&self) -> bool {
        matches!(self.verdict, Verdict::Failed { .. })
    }
}

fn data_dir(settings: &Settings) -> Check {
    const NAME: &str = "data directory";
    let dir = &settings.data_dir;
    if let Err(e) = crate::private_files::ensure_private_dir(dir) {
        return Check::failed(
            NAME,
            format!("{}: {e}", dir.display()),
            "create it, owned by the server's user, or set HUB_DATA_DIR",
        );
    }
    match std::fs::metadata(dir).map(|m| m.permissions().mode() & 0o777) {
        Ok(mode) if mode & 0o077 != 0 => {
            return Check::failed(
                NAME,
                format!(
                    "{} is mode {mode:o}: other users can read the secret key and the token",
                    dir.display()
                ),
                format!("chmod 700 {}", dir.display()),
            );
        }
        Ok(_) => {}
        Err(e) => {
            return Check::failed(
                NAME,
                format!("{}: {e}", dir.display()),
                "set HUB_DATA_DIR to a directory the server's user owns",
            );
        }
    }
    let probe = dir.join(".doctor-probe");
    let written = std::fs::write(&probe, b"probe").and_then(|()| std::fs::remove_file(&probe));
    match written {
        Ok(()) => Check::ok(NAME, format!("{} is writable and private", dir.display())),
        Err(e) => Check::failed(
            NAME,
            format!("cannot write in {}: {e}", dir.display()),
            "give the server's user write access, or set HUB_DATA_DIR",
        ),
    }
}

/// The database and the secret key: opening the store checks both (the key against the
/// stored key check), so one open gives two lines.
fn store(settings: &Settings) -> [Check; 2] {
    const DB: &str = "database";
    const KEY: &str = "secret key";
    match crate::serve::open_store(settings) {
        Ok(store) => opened_store(&store),
        // The store's key check names the key; any other failure is the database's.
        Err(e) if e.contains("secret key") => [
            Check::ok(DB, "answers"),
            Check::failed(
                KEY,
                e,
                "set HUB_SECRET_KEY (or $HUB_DATA_DIR/secret-key) to the key the data was sealed with",
            ),
        ],
        Err(e) => [
            Check::failed(
                DB,
                e,
                "check HUB_DATABASE_URL and that the database server is up and reachable",
            ),
            Check {
                name: KEY,
                verdict: Verdict::Skipped("the database did not open".into()),
            },
        ],
    }
}

/// The two store lines for a store that opened (so its key opened the stored secrets).
fn opened_store(store: &store_diesel::DieselStore) -> [Check; 2] {
    const DB: &str = "database";
    const KEY: &str = "secret key";
    match store.readiness() {
        Ok(()) => [
            Check::ok(
                DB,
                format!("{:?} answers, migrations current", store.backend()),
            ),
            Check::ok(KEY, "opens the stored secrets"),
        ],
        Err(e) => [
            Check::failed(
                DB,
                e.to_string(),
                "run `control-hub migrate`, check HUB_DATABASE_URL",
            ),
            Check {
                name: KEY,
                verdict: Verdict::Skipped("the database is not ready".into()),
            },
        ],
    }
}

/// `ansible-playbook --version`: the first line names the version.
fn ansible(settings: &Settings) -> Check {
    const NAME: &str = "ansible-playbook";
    let program = &settings.ansible_playbook;
    let fix =
        "install ansible-core (pip install ansible-core) or set HUB_ANSIBLE_PLAYBOOK to its path";
    let output = Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    match output {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout);
            Check::ok(
                NAME,
                text.lines().next().unwrap_or("runs").trim().to_owned(),
            )
        }
        Ok(out) => Check::failed(
            NAME,
            format!("{} --version exited with {}", program.display(), out.status),
            fix,
        ),
        Err(e) => Check::failed(
            NAME,
            format!("{} cannot be started: {e}", program.display()),
            fix,
        ),
    }
}

/// A one-task local play run as a job is run: the same runner, the configured data
/// directory's jobs directory, a run directory laid out like a job's, the recap callback.
/// Skipped when ansible-playbook itself did not run: its own line has failed already, and
/// this one could only fail for the same reason.
fn job_run(settings: &Settings, ansible_runs: bool, play: bool) -> Check {
    const NAME: &str = "job run";
    let skipped = |why: &str| Check {
        name: NAME,
        verdict: Verdict::Skipped(why.to_owned()),
    };
    if !ansible_runs {
        return skipped("not checked: ansible-playbook does not run (see its line)");
    }
    if !play {
        return skipped("not checked at start-up: `control-hub doctor` runs a play for it");
    }
    match ansible_cli::check_job_run(&settings.ansible_cli(), PLAY_TIMEOUT) {
        Ok(detail) => Check::ok(NAME, detail),
        Err(e) => Check::failed(
            NAME,
            e,
            "jobs would fail the same way: make $HUB_DATA_DIR/jobs a directory the server's \
             user can write, upgrade ansible-core (pip install -U ansible-core) if the recap \
             callback did not load, and see the ansible output quoted in the error",
        ),
    }
}

/// Whether the assistant has a model: `HUB_LLM_BASE_URL` and `HUB_LLM_MODEL` set.
fn model_configured(settings: &Settings) -> Result<(), Check> {
    let set = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.trim().is_empty());
    match (set(&settings.llm_base_url), set(&settings.llm_model)) {
        (true, true) => Ok(()),
        (url, model) => {
            let missing = match (url, model) {
                (false, false) => "HUB_LLM_BASE_URL and HUB_LLM_MODEL are not set",
                (false, true) => "HUB_LLM_BASE_URL is not set",
                _ => "HUB_LLM_MODEL is not set",
            };
            Err(Check {
                name: MODEL,
                verdict: Verdict::Skipped(format!(
                    "{missing}: the assistant answers 503 saying no model is configured"
                )),
            })
        }
    }
}

const MODEL: &str = "AI model";

/// One request to the model for one token (`max_tokens: 1`), when one is configured: it
/// shows the endpoint, the key and the model name work, at the cost of one token.
fn model(settings: &Settings) -> Check {
    if let Err(skipped) = model_configured(settings) {
        return skipped;
    }
    let ask = [ChatMessage::new(ChatRole::User, "Reply with OK.")];
    match settings.chat_model_with_max_tokens(1).complete(&ask) {
        Ok(_) => Check::ok(MODEL, "the model endpoint answers"),
        Err(e) => Check::failed(
            MODEL,
            e.to_string(),
            "check HUB_LLM_BASE_URL, HUB_LLM_MODEL and HUB_LLM_API_KEY, and that the model server is up",
        ),
    }
}

/// What the start-up summary says of the model: whether one is configured, never asking it
/// (a start must cost no model call).
fn model_setting(settings: &Settings) -> Check {
    match model_configured(settings) {
        Ok(()) => Check {
            name: MODEL,
            verdict: Verdict::Skipped(
                "configured; not asked at start-up (`control-hub doctor` asks it for one token)"
                    .into(),
            ),
        },
        Err(skipped) => skipped,
    }
}

/// The first line: the settings that are read when used, not when parsed.
fn configuration(settings: &Settings) -> Check {
    match settings
        .database_url()
        .and(settings.timezone())
        .and(settings.links())
    {
        Ok(_) => Check::ok("configuration", "parses"),
        Err(e) => Check::failed(
            "configuration",
            e,
            "correct the setting named (control-hub --help lists them)",
        ),
    }
}

/// Every check, in order, opening the store (and so applying pending migrations) as `serve`
/// does. Blocking (the database, processes, an SSH login, an HTTP call): run it off the
/// async threads.
pub fn run(settings: &Settings, options: &Options) -> Vec<Check> {
    let mut checks = Vec::with_capacity(8);
    checks.push(configuration(settings));
    checks.push(data_dir(settings));
    checks.extend(store(settings));
    let ansible = ansible(settings);
    let ansible_runs = !ansible.failed_check();
    checks.push(ansible);
    checks.push(job_run(settings, ansible_runs, options.play));
    checks.push(ssh::check(
        settings,
        options.ssh.as_ref(),
        &ssh_libssh2::Libssh2Probe::new(),
    ));
    checks.push(model(settings));
    checks
}

/// The same checks, logged once (`serve` at start-up) on the store `serve` opened:
/// failures as warnings, so that what will not work is said before the first job or
/// question needs it. No play, no SSH login and no model call are part of it: a start
/// costs none of them.
pub fn log_summary(settings: &Settings, store: &store_diesel::DieselStore) {
    let mut checks = vec![configuration(settings), data_dir(settings)];
    checks.extend(opened_store(store));
    let ansible = ansible(settings);
    let ansible_runs = !ansible.failed_check();
    checks.push(ansible);
    checks.push(job_run(settings, ansible_runs, false));
    checks.push(ssh::check(
        settings,
        None,
        &ssh_libssh2::Libssh2Probe::new(),
    ));
    checks.push(model_setting(settings));
    for check in checks {
        match &check.verdict {
            Verdict::Ok(detail) => tracing::info!(check = check.name, %detail, "doctor: ok"),
            Verdict::Skipped(why) => tracing::info!(check = check.name, %why, "doctor: skipped"),
            Verdict::Failed { error, fix } => {
                tracing::warn!(check = check.name, %error, %fix, "doctor: failed");
            }
        }
    }
}
