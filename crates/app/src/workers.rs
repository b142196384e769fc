//! The job workers: threads of their own (a run blocks for its whole length) that claim and
//! run queued jobs, and a reaper that fails the jobs of servers that stopped and ends what
//! their runs left on this machine (at start-up and every lease period). Stopped by a flag,
//! which also kills the runs in progress.

use ansible_core::catalog::PlaybookRunRecorder;
use ansible_core::jobs::{JobRepository, JobService, RunEnd, Wakeup, WorkerId};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long an idle worker waits, unless woken by a new job, before it looks at the queue
/// again: what a missed wake-up costs (another server's job on SQLite, a listener that lost
/// its connection), and all an idle worker asks of the database (one claim a second).
pub const IDLE_POLL: Duration = Duration::from_secs(1);
/// How often a napping thread looks at the stop flag.
const STOP_CHECK: Duration = Duration::from_millis(250);

/// Worker slots of this process, numbered across every [`Workers::start`].
static NEXT_SLOT: AtomicUsize = AtomicUsize::new(0);

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned())
}

/// `host:pid:n`, unique to one slot of one process.
fn worker_id() -> Result<WorkerId, String> {
    let n = NEXT_SLOT.fetch_add(1, Ordering::SeqCst);
    let host: String = hostname().chars().take(200).collect();
    let raw = format!("{host}:{}:{n}", std::process::id());
    WorkerId::new(raw.clone()).ok_or_else(|| format!("{raw:?} is no worker id"))
}

/// Sleeps `total`, waking early when `stop` is set.
fn nap(stop: &AtomicBool, total: Duration) {
    let until = Instant::now() + total;
    while !stop.load(Ordering::SeqCst) {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return;
        }
        std::thread::sleep(left.min(STOP_CHECK));
    }
}

fn reap<J: JobRepository, C: PlaybookRunRecorder>(service: &JobService<J, C>) {
    match service.reap() {
        Ok(report) => {
            for id in &report.jobs {
                tracing::warn!(job = %id, "failed a job whose server stopped");
            }
            for (playbook, e) in &report.unrecorded {
                tracing::warn!(playbook = playbook.0, error = %e, "could not record a run in the catalogue");
            }
            for (id, killed) in &report.strays {
                tracing::warn!(job = %id, killed, "ended what a stopped server left of a job's run");
            }
            for e in &report.stray_failures {
                tracing::error!(error = %e, "could not end what a stopped server left of a run");
            }
        }
        Err(e) => tracing::warn!(error = %e, "reaping jobs failed"),
    }
}

fn work<J: JobRepository, C: PlaybookRunRecorder>(
    service: &JobService<J, C>,
    worker: &WorkerId,
    stop: &AtomicBool,
) {
    let wakeup = service.wakeup();
    while !stop.load(Ordering::SeqCst) {
        // Read before the claim, so that a job queued after it ends the wait at once.
        let rings = wakeup.rings();
        let started = Instant::now();
        match service.run_one(worker, stop) {
            Ok(Some(report)) => {
                match report.end {
                    RunEnd::Ended(status) => {
                        metrics::histogram!(crate::telemetry::JOB_DURATION, "status" => status.as_str())
                            .record(started.elapsed().as_secs_f64());
                        tracing::info!(job = %report.job, %worker, status = status.as_str(), "job ended");
                    }
                    RunEnd::LeaseLost => {
                        tracing::warn!(job = %report.job, %worker, "lost a job's lease; stopped it");
                    }
                }
                for (playbook, e) in &report.unrecorded {
                    tracing::warn!(playbook = playbook.0, error = %e, "could not record a run in the catalogue");
                }
            }
            Ok(None) => {
                wakeup.wait(rings, IDLE_POLL);
            }
            Err(e) => {
                tracing::warn!(%worker, error = %e, "running a job failed");
                nap(stop, IDLE_POLL * 4);
            }
        }
    }
}

/// Says once, at start-up, when the configured ansible-playbook cannot be started.
pub fn check_runner(program: &std::path::Path) {
    let runs = Command::new(program)
        .arg("--version")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
    if let Err(e) = runs {
        tracing::warn!(
            program = %program.display(),
            error = %e,
            "ansible-playbook cannot be started: jobs will fail until HUB_ANSIBLE_PLAYBOOK names one"
        );
    }
}

/// Running workers and their reaper; stopped (and joined) by [`Workers::stop`] or on drop.
#[derive(Debug)]
pub struct Workers {
    stop: Arc<AtomicBool>,
    wakeup: Arc<Wakeup>,
    threads: Vec<JoinHandle<()>>,
}

impl Workers {
    /// Reaps once, then starts `count` workers and the reaper over `service`. Call it off
    /// the async threads: the first reap is a store call.
    pub fn start<J, C>(service: Arc<JobService<J, C>>, count: usize) -> Result<Self, String>
    where
        J: JobRepository + 'static,
        C: PlaybookRunRecorder + Send + Sync + 'static,
    {
        reap(&service);
        let stop = Arc::new(AtomicBool::new(false));
        let mut workers = Self {
            stop: stop.clone(),
            wakeup: service.wakeup(),
            threads: Vec::with_capacity(count + 2),
        };
        for _ in 0..count {
            let (service, stop, worker) = (service.clone(), stop.clone(), worker_id()?);
            let thread = std::thread::Builder::new()
                .name(format!("job-worker-{worker}"))
                .spawn(move || work(&service, &worker, &stop))
                .map_err(|e| format!("starting a job worker: {e}"))?;
            workers.threads.push(thread);
        }
        let lease = service
            .settings()
            .lease
            .to_std()
            .unwrap_or(Duration::from_secs(30));
        let reaper = std::thread::Builder::new()
            .name("job-reaper".to_owned())
            .spawn(move || {
                loop {
                    nap(&stop, lease);
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    reap(&service);
                }
            })
            .map_err(|e| format!("starting the job reaper: {e}"))?;
        workers.threads.push(reaper);
        Ok(workers)
    }

    /// The flag that stops them, for a thread that serves them (the queue's listener).
    pub fn stop_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.stop)
    }

    /// A thread that lives as long as the workers, to be joined with them; it must end
    /// once [`stop_flag`](Self::stop_flag) is set.
    pub fn attach(&mut self, thread: JoinHandle<()>) {
        self.threads.push(thread);
    }

    /// Sets the stop flag (runs in progress are killed, their jobs failed) and waits for
    /// every thread. Blocks: call it off the async threads.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Idle workers wait on the bell: wake them to see the flag.
        self.wakeup.ring();
        for thread in self.threads.drain(..) {
            if thread.join().is_err() {
                tracing::error!("a job worker panicked");
            }
        }
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        self.halt();
    }
}
