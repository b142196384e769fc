//! Finding ansible-playbook, a runner over a scratch directory, a collecting sink, and a
//! look at the processes of a run's group in /proc.

use crate::{AnsibleCliConfig, AnsiblePlaybookRunner};
use ansible_core::catalog::PlaybookId;
use ansible_core::jobs::{
    JobId, OutputSink, PlaybookResult, PlaybookRunner, PreparedRun, RunFailure,
};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Duration;
use tempfile::TempDir;

const REQUIRE: &str = "HUB_REQUIRE_ANSIBLE";
const PROGRAM: &str = "ansible-playbook";

fn is_file(p: &Path) -> bool {
    p.is_file()
}

/// ansible-playbook from HUB_ANSIBLE_PLAYBOOK, PATH, or the project's venv; `None` after a
/// loud skip notice (a failure under HUB_REQUIRE_ANSIBLE=1).
pub(super) fn ansible_playbook() -> Option<PathBuf> {
    let from_env = std::env::var_os("HUB_ANSIBLE_PLAYBOOK").map(PathBuf::from);
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|dir| dir.join(PROGRAM));
    let venv = std::env::var_os("HOME").map(|home| {
        Path::new(&home)
            .join(".cache/control-hub/ansible-venv/bin")
            .join(PROGRAM)
    });
    let found = from_env
        .into_iter()
        .chain(on_path)
        .chain(venv)
        .find(|p| is_file(p));
    if found.is_none() {
        hub_testkit::unavailable(
            REQUIRE,
            "ansible-playbook",
            "not in HUB_ANSIBLE_PLAYBOOK, on PATH or in ~/.cache/control-hub/ansible-venv/bin",
        );
    }
    found
}

/// A runner whose job directories and known_hosts live in a scratch directory.
pub(super) struct Fixture {
    pub(super) scratch: TempDir,
    pub(super) runner: AnsiblePlaybookRunner,
    pub(super) program: PathBuf,
}

impl Fixture {
    pub(super) fn new(program: PathBuf, keep_job_dirs: bool) -> Self {
        let scratch = tempfile::tempdir().expect("scratch dir");
        let mut config = AnsibleCliConfig::under(scratch.path());
        config.program = program.clone();
        config.keep_job_dirs = keep_job_dirs;
        Self {
            runner: AnsiblePlaybookRunner::new(config),
            scratch,
            program,
        }
    }

    /// With the real ansible-playbook, or `None` (skipped).
    pub(super) fn ansible(keep_job_dirs: bool) -> Option<Self> {
        ansible_playbook().map(|p| Self::new(p, keep_job_dirs))
    }

    pub(super) fn work_root(&self) -> PathBuf {
        self.scratch.path().join("jobs")
    }

    /// localhost over a local connection, with the venv's python when it is beside
    /// ansible-playbook, and `extra` host variables.
    pub(super) fn inventory(&self, extra: &str) -> String {
        let python = self
            .program
            .parent()
            .map(|bin| bin.join("python3"))
            .filter(|p| is_file(p))
            .map_or_else(|| "auto_silent".to_owned(), |p| p.display().to_string());
        format!("localhost ansible_connection=local ansible_python_interpreter={python} {extra}\n")
    }

    pub(super) fn prepared(
        &self,
        playbook: &str,
        extra_vars: &str,
        inventory: String,
    ) -> PreparedRun {
        PreparedRun {
            job: JobId::generate(),
            playbook: PlaybookId(1),
            inventory,
            playbook_text: playbook.to_owned(),
            extra_vars_json: extra_vars.to_owned(),
            timeout: Duration::from_secs(120),
            known_hosts: None,
        }
    }

    /// Runs to the end with no cancel; the result and the output.
    pub(super) fn run(&self, run: &PreparedRun) -> (Result<PlaybookResult, RunFailure>, Collected) {
        let mut sink = Collected::default();
        let never = AtomicBool::new(false);
        let result = self.runner.run(run, &mut sink, &never);
        (result, sink)
    }
}

/// One play on localhost with these tasks (YAML, indented for `tasks:`).
pub(super) fn play(tasks: &str) -> String {
    format!("- hosts: all\n  gather_facts: false\n  tasks:\n{tasks}")
}

/// Every chunk the runner handed on.
#[derive(Debug, Default)]
pub(super) struct Collected {
    pub(super) chunks: Vec<String>,
}

impl Collected {
    pub(super) fn text(&self) -> String {
        self.chunks.concat()
    }
}

impl OutputSink for Collected {
    fn write(&mut self, chunk: &str) {
        self.chunks.push(chunk.to_owned());
    }
}

/// A process as /proc shows it.
#[derive(Debug, Clone)]
pub(super) struct Proc {
    pub(super) pid: i32,
    pub(super) pgid: i32,
    /// `Z`: a zombie, dead and waiting for its parent (init, for an orphan) to reap it.
    pub(super) state: char,
    pub(super) cmdline: Vec<String>,
}

impl Proc {
    pub(super) fn environ(&self) -> Vec<String> {
        nul_separated(&format!("/proc/{}/environ", self.pid))
    }
}

fn nul_separated(path: &str) -> Vec<String> {
    std::fs::read(path)
        .map(|bytes| {
            bytes
                .split(|b| *b == 0)
                .filter(|s| !s.is_empty())
                .map(|s| String::from_utf8_lossy(s).into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Every process still there (one that vanishes while being read is left out).
pub(super) fn processes() -> Vec<Proc> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // After the command name in parentheses: state, ppid, pgrp.
            let after = stat.get(stat.rfind(')')? + 1..)?;
            let mut fields = after.split_whitespace();
            let state = fields.next()?.chars().next()?;
            let pgid = fields.nth(1)?.parse().ok()?;
            Some(Proc {
                pid,
                pgid,
                state,
                cmdline: nul_separated(&format!("/proc/{pid}/cmdline")),
            })
        })
        .collect()
}

/// The processes of `pgid`'s group.
pub(super) fn group(pgid: i32) -> Vec<Proc> {
    processes().into_iter().filter(|p| p.pgid == pgid).collect()
}

/// The processes that run for `job` (marked in their environment), zombies left out.
pub(super) fn marked(job: &JobId) -> Vec<Proc> {
    let mark = format!("CONTROL_HUB_JOB={job}");
    processes()
        .into_iter()
        .filter(|p| p.state != 'Z' && p.environ().contains(&mark))
        .collect()
}

/// The leader of the run of `job` (ansible-playbook, whose argv names the job directory)
/// and the run's `sleep`, once both are there. The sleep is found by the job's mark, not
/// by the leader's process group: ansible-core 2.19 starts its workers, and so the
/// modules, in sessions of their own.
pub(super) fn wait_for_sleep(job: &JobId, within: Duration) -> Option<(Proc, Proc)> {
    let until = std::time::Instant::now() + within;
    while std::time::Instant::now() < until {
        let all = processes();
        let leader = all
            .iter()
            .find(|p| p.pid == p.pgid && p.cmdline.iter().any(|a| a.contains(job.as_str())));
        if let Some(leader) = leader {
            let sleep = marked(job)
                .into_iter()
                .find(|p| p.cmdline.first().is_some_and(|c| c.ends_with("sleep")));
            if let Some(sleep) = sleep {
                return Some((leader.clone(), sleep));
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}
