//! [`check_job_run`]: one trivial play through the real runner, with the hub's own runner
//! settings, to show that a job can run (`control-hub doctor`): ansible-playbook starts,
//! the run's directory can be made under the jobs directory of the configured data
//! directory, ansible finds the playbook and inventory there and can write its home and
//! temporary files, and the hub's recap callback loads and writes its recap. Going through
//! [`AnsiblePlaybookRunner`] with the server's own [`AnsibleCliConfig`], rather than a
//! command of its own in a directory of its own, is the point: the check fails where a job
//! would.

use crate::config::AnsibleCliConfig;
use crate::recap::PLUGIN_NAME;
use crate::runner::AnsiblePlaybookRunner;
use ansible_core::catalog::PlaybookId;
use ansible_core::jobs::{JobId, OutputSink, PlaybookRunner, PreparedRun, RunFailure};
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// localhost over a local connection: nothing leaves the machine, and `debug` runs on the
/// controller, so no Python interpreter needs to be found for it.
const INVENTORY: &str = "localhost ansible_connection=local\n";

/// One task, so that localhost has counts in the recap (a host that ran nothing has none).
const PLAY: &str = "- name: control-hub doctor\n  hosts: all\n  gather_facts: false\n  tasks:\n    - name: recap callback check\n      ansible.builtin.debug:\n        msg: control-hub doctor\n";

/// How much of ansible's output a failure quotes: its last lines say why.
const TAIL_LINES: usize = 6;
const TAIL_CHARS: usize = 600;

/// What ansible-playbook printed; only the end is kept for the message.
#[derive(Default)]
struct Output(String);

impl OutputSink for Output {
    fn write(&mut self, chunk: &str) {
        self.0.push_str(chunk);
        // A trivial play prints a few hundred bytes; bound it anyway against a program
        // that is not ansible and prints without end.
        if self.0.len() > 64 * 1024 {
            let cut = self.0.len() - 16 * 1024;
            let cut = (cut..self.0.len())
                .find(|i| self.0.is_char_boundary(*i))
                .unwrap_or(0);
            self.0.drain(..cut);
        }
    }
}

impl Output {
    /// The last non-blank lines, on one line.
    fn tail(&self) -> String {
        let lines: Vec<&str> = self
            .0
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let kept = lines[lines.len().saturating_sub(TAIL_LINES)..].join(" | ");
        if kept.is_empty() {
            return "no output".to_owned();
        }
        let mut short: String = kept.chars().take(TAIL_CHARS).collect();
        if short.len() < kept.len() {
            short.push('…');
        }
        short
    }
}

/// Runs one `debug` task on localhost as a job of its own would run: the program, the
/// jobs directory and the known-hosts file of `config`, a run directory laid out and named
/// like a job's (removed afterwards, whatever `config.keep_job_dirs` says), the recap
/// callback enabled the way every job enables it, for at most `timeout` (the run's whole
/// process group is killed then).
///
/// `Ok`: a sentence saying where the run ran and that the plugin wrote its recap. `Err`:
/// what went wrong (the program could not be started, the run's directory could not be
/// made, the run timed out or failed, or it ended without a recap, which is what a plugin
/// ansible could not load looks like), quoting the end of ansible's output.
pub fn check_job_run(config: &AnsibleCliConfig, timeout: Duration) -> Result<String, String> {
    let config = AnsibleCliConfig {
        keep_job_dirs: false,
        ..config.clone()
    };
    let where_ran = config.work_root.display().to_string();
    let run = PreparedRun {
        job: JobId::generate(),
        playbook: PlaybookId(0),
        inventory: INVENTORY.to_owned(),
        playbook_text: PLAY.to_owned(),
        extra_vars_json: "{}".to_owned(),
        timeout,
        known_hosts: None,
    };
    let mut output = Output::default();
    let never = AtomicBool::new(false);
    let result = AnsiblePlaybookRunner::new(config).run(&run, &mut output, &never);
    match result {
        Ok(result) if result.exit_code != 0 => Err(format!(
            "the check's play exited with {}: {}",
            result.exit_code,
            output.tail()
        )),
        Ok(result) => match result.host_stats.get("localhost") {
            Some(stats) if stats.ok >= 1 => Ok(format!(
                "a one-task play ran in {where_ran}; {PLUGIN_NAME} loaded and wrote its recap (localhost ok={})",
                stats.ok
            )),
            Some(_) => Err(format!(
                "{PLUGIN_NAME} wrote a recap without the check's task: {}",
                output.tail()
            )),
            None => Err(format!(
                "ansible-playbook ran but {PLUGIN_NAME} wrote no recap (not loaded?): {}",
                output.tail()
            )),
        },
        Err(RunFailure::TimedOut) => Err(format!(
            "no end within {} s; the run was killed",
            timeout.as_secs_f32()
        )),
        Err(failure) => Err(failure.to_string()),
    }
}
