//! A playbook runner that plays scripts instead of processes: output chunks, actions in
//! the middle of a run (a cancel request, the clock moving on), and an end. It honours the
//! cancel token as the real runner must: checked before each step, and waited on.

use crate::catalog::PlaybookId;
use crate::jobs::id::JobId;
use crate::jobs::ports::{CancelToken, OutputSink, PlaybookRunner, PreparedRun, RunFailure};
use crate::jobs::recap::PlaybookResult;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

/// How many polls [`Step::WaitForCancel`] makes before it gives up, 1 ms apart.
const WAIT_POLLS: u32 = 2_000;

/// One step of a scripted run.
#[derive(Clone)]
pub enum Step {
    /// The process writes this.
    Output(String),
    /// Something happens in the world while the process runs.
    Act(Arc<dyn Fn() + Send + Sync>),
    /// The process runs until canceled; one never canceled ends `TimedOut` after about two
    /// seconds, so that a test that forgets the cancel fails instead of hanging.
    WaitForCancel,
}

impl fmt::Debug for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Output(text) => f.debug_tuple("Output").field(text).finish(),
            Step::Act(_) => f.write_str("Act(..)"),
            Step::WaitForCancel => f.write_str("WaitForCancel"),
        }
    }
}

/// What one playbook's run does, and how it ends.
#[derive(Debug, Clone)]
pub struct Script {
    pub steps: Vec<Step>,
    pub end: Result<PlaybookResult, RunFailure>,
}

impl Script {
    /// Writes `output` and exits with `exit_code`, no host stats.
    pub fn exits(exit_code: i32, output: &[&str]) -> Self {
        Self {
            steps: output
                .iter()
                .map(|o| Step::Output((*o).to_owned()))
                .collect(),
            end: Ok(PlaybookResult {
                exit_code,
                host_stats: Default::default(),
            }),
        }
    }
}

#[derive(Debug, Default)]
struct Inner {
    scripts: HashMap<PlaybookId, Script>,
    /// For every run: this, when no script names the playbook.
    fallback: Option<Script>,
    runs: Vec<PreparedRun>,
    /// Jobs with a run left on the machine, and how many processes each has.
    left_here: BTreeMap<JobId, usize>,
    /// Jobs whose strays were ended, in order.
    ended: Vec<JobId>,
}

/// Plays a [`Script`] per playbook id (every job that runs the playbook plays it); an
/// unscripted playbook exits 0 silently. Clones share scripts and the record of runs.
#[derive(Debug, Clone, Default)]
pub struct FakeRunner {
    inner: Arc<Mutex<Inner>>,
}

impl FakeRunner {
    pub fn new() -> Self {
        Self::default()
    }

    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs of `playbook` play `script`.
    pub fn script(&self, playbook: PlaybookId, script: Script) -> &Self {
        self.inner().scripts.insert(playbook, script);
        self
    }

    /// A runner whose program is not there: every run fails as the real one would.
    pub fn missing(program: &str) -> Self {
        let runner = Self::new();
        runner.inner().fallback = Some(Script {
            steps: Vec::new(),
            end: Err(RunFailure::RunnerMissing {
                program: program.to_owned(),
                detail: "No such file or directory (os error 2)".to_owned(),
            }),
        });
        runner
    }

    /// As if a killed server had left `processes` processes of a run of `job` behind.
    pub fn leave_behind(&self, job: &JobId, processes: usize) -> &Self {
        self.inner().left_here.insert(job.clone(), processes);
        self
    }

    /// The jobs whose strays were ended, in order.
    pub fn ended_strays(&self) -> Vec<JobId> {
        self.inner().ended.clone()
    }

    /// Every run it was given, in order.
    pub fn runs(&self) -> Vec<PreparedRun> {
        self.inner().runs.clone()
    }
}

impl PlaybookRunner for FakeRunner {
    fn run(
        &self,
        run: &PreparedRun,
        output: &mut dyn OutputSink,
        cancel: &dyn CancelToken,
    ) -> Result<PlaybookResult, RunFailure> {
        let script = {
            let mut inner = self.inner();
            inner.runs.push(run.clone());
            inner
                .scripts
                .get(&run.playbook)
                .or(inner.fallback.as_ref())
                .cloned()
                .unwrap_or_else(|| Script::exits(0, &[]))
        };
        for step in &script.steps {
            if cancel.is_canceled() {
                return Err(RunFailure::Canceled);
            }
            match step {
                Step::Output(text) => output.write(text),
                Step::Act(act) => act(),
                Step::WaitForCancel => {
                    for _ in 0..WAIT_POLLS {
                        if cancel.is_canceled() {
                            return Err(RunFailure::Canceled);
                        }
                        thread::sleep(Duration::from_millis(1));
                    }
                    return Err(RunFailure::TimedOut);
                }
            }
        }
        if cancel.is_canceled() {
            return Err(RunFailure::Canceled);
        }
        script.end
    }

    fn runs_left_here(&self) -> Result<Vec<JobId>, RunFailure> {
        Ok(self.inner().left_here.keys().cloned().collect())
    }

    fn end_strays(&self, job: &JobId) -> Result<usize, RunFailure> {
        let mut inner = self.inner();
        let killed = inner.left_here.remove(job).unwrap_or(0);
        inner.ended.push(job.clone());
        Ok(killed)
    }
}
