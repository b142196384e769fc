//! [`AnsiblePlaybookRunner`]: one ansible-playbook process per run.

use crate::command::{RunFiles, command};
use crate::config::AnsibleCliConfig;
use crate::extra_vars;
use crate::job_dir::JobDir;
use crate::output::spawn_reader;
use crate::process_group::{ProcessGroup, exit_code};
use crate::recap;
use crate::strays;
use crate::watch::{Outcome, Watch};
use ansible_core::jobs::{
    CancelToken, JobId, OutputSink, PlaybookResult, PlaybookRunner, PreparedRun, RunFailure,
};
use std::io;
use std::process::{Child, Stdio};
use std::time::Instant;

/// Runs playbooks with the configured ansible-playbook. Holds no state between runs, so
/// one value serves every worker.
#[derive(Debug, Clone)]
pub struct AnsiblePlaybookRunner {
    config: AnsibleCliConfig,
}

impl AnsiblePlaybookRunner {
    pub fn new(config: AnsibleCliConfig) -> Self {
        Self { config }
    }

    pub fn config(&self) -> &AnsibleCliConfig {
        &self.config
    }

    /// Lays out the run's directory, and the short one for ssh's sockets.
    fn prepare(&self, run: &PreparedRun) -> io::Result<(JobDir, JobDir, RunFiles)> {
        let name = format!("{}-{}", run.job, run.playbook);
        let dir = JobDir::create(&self.config.work_root, &name, self.config.keep_job_dirs)?;
        // Sockets are of no use once the run is over: never kept.
        let ssh_control = JobDir::create(
            &std::env::temp_dir(),
            &format!("hub-ssh-{}", std::process::id()),
            false,
        )?;
        let vars = extra_vars::unsafe_yaml(&run.extra_vars_json)
            .map_err(|e| io::Error::other(format!("the extra variables are not JSON: {e}")))?;
        let callback_plugins = dir.subdir("callback_plugins")?;
        dir.write_file(
            &format!("callback_plugins/{}.py", recap::PLUGIN_NAME),
            recap::PLUGIN_SOURCE,
        )?;
        // The trusted keys, when the job brings them, in a file of the run's own: what ssh
        // learns of a new host stays with this run.
        let known_hosts = match &run.known_hosts {
            Some(text) => dir.write_file("known_hosts", text)?,
            None => self.config.known_hosts.clone(),
        };
        let files = RunFiles {
            dir: dir.path().to_path_buf(),
            inventory: dir.write_file("inventory", &run.inventory)?,
            playbook: dir.write_file("playbook.yml", &run.playbook_text)?,
            extra_vars: dir.write_file("extra-vars.yml", &vars)?,
            callback_plugins,
            recap: dir.path().join("recap.json"),
            home: dir.subdir("home")?,
            local_temp: dir.subdir("tmp")?,
            ssh_control: ssh_control.path().to_path_buf(),
            known_hosts,
        };
        Ok((dir, ssh_control, files))
    }

    /// Starts the program with stdout and stderr on one pipe, so that the output keeps
    /// the order ansible wrote it in.
    fn spawn(&self, files: &RunFiles, job: &JobId) -> Result<(Child, io::PipeReader), RunFailure> {
        let (reader, writer) = io::pipe().map_err(io_failure("open the output pipe"))?;
        let writer_err = writer
            .try_clone()
            .map_err(io_failure("open the output pipe"))?;
        let mut cmd = command(&self.config.program, files, job);
        cmd.stdin(Stdio::null()).stdout(writer).stderr(writer_err);
        let child = cmd.spawn().map_err(|e| self.spawn_failure(&e))?;
        // The command holds the pipe's write ends; drop them, or the end of the output
        // would never be seen.
        drop(cmd);
        Ok((child, reader))
    }

    /// After a stopped run's process group is gone: kills what is left of the run
    /// elsewhere. ansible-core 2.19 starts each worker in a session of its own (setsid),
    /// so the workers and the modules they run (a `sleep`, an ssh) are not in the group;
    /// they carry the job's mark, which finds them. Its directories are the run's own to
    /// remove. A run that exited by itself is left alone: what it started on purpose
    /// (a daemon on the controller) is not the hub's to end.
    fn end_the_rest(&self, job: &JobId, output: &mut dyn OutputSink) {
        if let Err(e) = strays::end(job, &self.config.work_root, true) {
            output.write(&format!(
                "control-hub: processes of the stopped run are still there ({e})\n"
            ));
        }
    }

    fn spawn_failure(&self, e: &io::Error) -> RunFailure {
        let missing = matches!(
            e.kind(),
            io::ErrorKind::NotFound
                | io::ErrorKind::PermissionDenied
                | io::ErrorKind::NotADirectory
        ) || e.raw_os_error() == Some(nix::errno::Errno::ENOEXEC as i32);
        if missing {
            RunFailure::RunnerMissing {
                program: self.config.program.display().to_string(),
                detail: format!(
                    "{e}; set HUB_ANSIBLE_PLAYBOOK to an ansible-playbook, or install \
                     ansible-core with `pip install ansible-core`"
                ),
            }
        } else {
            RunFailure::Io(format!(
                "could not start {}: {e}",
                self.config.program.display()
            ))
        }
    }
}

impl PlaybookRunner for AnsiblePlaybookRunner {
    fn run(
        &self,
        run: &PreparedRun,
        output: &mut dyn OutputSink,
        cancel: &dyn CancelToken,
    ) -> Result<PlaybookResult, RunFailure> {
        let deadline = Instant::now().checked_add(run.timeout);
        // Dropped last, once the process group is gone: then the directories go too.
        let (_dir, _ssh_control, files) = self
            .prepare(run)
            .map_err(io_failure("prepare the job directory"))?;
        let (mut child, reader) = self.spawn(&files, &run.job)?;
        let watched = ProcessGroup::of(&child).and_then(|group| {
            let output_rx = spawn_reader(reader)?;
            Watch {
                child: &mut child,
                group,
                output: output_rx,
                sink: output,
                cancel,
                deadline,
                kill_grace: self.config.kill_grace,
            }
            .run()
        });
        let outcome = match watched {
            Ok(outcome) => outcome,
            Err(e) => {
                // Watching failed (no reader thread, a failed wait): never leave the run
                // behind unwatched.
                if let Ok(group) = ProcessGroup::of(&child) {
                    let _ = group.stop(&mut child, self.config.kill_grace);
                }
                self.end_the_rest(&run.job, output);
                return Err(RunFailure::Io(format!("could not watch the run: {e}")));
            }
        };
        match outcome {
            Outcome::Canceled => {
                self.end_the_rest(&run.job, output);
                Err(RunFailure::Canceled)
            }
            Outcome::TimedOut => {
                self.end_the_rest(&run.job, output);
                Err(RunFailure::TimedOut)
            }
            Outcome::Exited(status) => {
                let host_stats = recap::read(&files.recap).unwrap_or_else(|e| {
                    // The exit code still says how the run went; the recap is extra.
                    output.write(&format!(
                        "control-hub: the run's recap could not be read ({e})\n"
                    ));
                    Default::default()
                });
                Ok(PlaybookResult {
                    exit_code: exit_code(status),
                    host_stats,
                })
            }
        }
    }

    fn runs_left_here(&self) -> Result<Vec<JobId>, RunFailure> {
        strays::jobs_left(&self.config.work_root, self.config.keep_job_dirs)
            .map_err(io_failure("look for runs left behind"))
    }

    fn end_strays(&self, job: &JobId) -> Result<usize, RunFailure> {
        strays::end(job, &self.config.work_root, self.config.keep_job_dirs)
            .map_err(io_failure("end the runs left behind"))
    }
}

fn io_failure(what: &'static str) -> impl Fn(io::Error) -> RunFailure {
    move |e| RunFailure::Io(format!("could not {what}: {e}"))
}
