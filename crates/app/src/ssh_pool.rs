//! The threads SSH probes run on (`HUB_SSH_CONCURRENCY` at once, across every request):
//! libssh2 blocks, so probes never run on the async workers. Each request's probes wait in a
//! queue of its own; a free place goes to the request with the fewest probes running, and one
//! request never takes the last places ([`reserve`]), so a small test starts at once while a
//! large one runs. A request's queue is dropped at its deadline or when it is canceled: what
//! had not started never starts.

mod batch;
#[cfg(test)]
mod tests;

use ansible_core::connectivity::{
    CancelFlag, ProbeBatch, ProbeExecutor, ProbeOutcome, ProbeTask, TaskResult, TestLimits,
};
use clap::Args;
use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// What bounds each SSH test request (flattened into the server's settings).
#[derive(Debug, Clone, Args)]
pub struct SshTestSettings {
    /// The most hosts one SSH test may cover (the selected inventories together); a test
    /// over more is refused (422 SSH_TOO_MANY_HOSTS) before anything is probed.
    #[arg(long, env = "HUB_SSH_MAX_HOSTS", default_value_t = 1000, global = true)]
    pub ssh_max_hosts: usize,
    /// The most one SSH test request may take, in seconds: hosts without a result by then
    /// are reported SSH_TIMEOUT, and the answer is sent.
    #[arg(
        long,
        env = "HUB_SSH_TEST_DEADLINE_SECS",
        default_value_t = 30,
        global = true
    )]
    pub ssh_test_deadline_secs: u64,
}

impl SshTestSettings {
    /// At least one host; a deadline of 1 s to an hour.
    pub fn limits(&self) -> TestLimits {
        TestLimits {
            max_hosts: self.ssh_max_hosts.max(1),
            deadline: Duration::from_secs(self.ssh_test_deadline_secs.clamp(1, 3600)),
        }
    }
}

/// The places one request cannot take while it has a probe running: an eighth of the pool
/// (at least one; none in a pool of one), so that another request starts at once.
pub fn reserve(limit: usize) -> usize {
    if limit < 2 { 0 } else { (limit / 8).max(1) }
}

/// What a probe thread tells the batch that queued it.
enum Report {
    Started(usize, Instant),
    /// `None`: the task panicked, or its thread could not start.
    Done(usize, Option<ProbeOutcome>),
}

/// One request's probes not started yet, and how many of its probes run.
struct Queue {
    id: u64,
    pending: VecDeque<(usize, ProbeTask)>,
    running: usize,
    /// When it last got a place (a counter): among equals, the one served longest ago next.
    served: u64,
    cancel: CancelFlag,
    deadline: Instant,
    reply: Sender<Report>,
}

impl Queue {
    fn may_start(&self, now: Instant) -> bool {
        !self.pending.is_empty() && !self.cancel.is_canceled() && now < self.deadline
    }
}

#[derive(Default)]
struct State {
    running: usize,
    queues: Vec<Queue>,
    last_id: u64,
    turns: u64,
}

impl State {
    fn queue(&mut self, id: u64) -> Option<&mut Queue> {
        self.queues.iter_mut().find(|q| q.id == id)
    }
}

struct Shared {
    state: Mutex<State>,
    limit: usize,
    reserve: usize,
}

/// A probe to start: popped from its queue, its place already counted.
struct Start {
    queue: u64,
    index: usize,
    task: ProbeTask,
    reply: Sender<Report>,
    cancel: CancelFlag,
    deadline: Instant,
}

/// At most `limit` probe threads at once, across every request, shared fairly. Each probe
/// gets a thread of its own while it runs (tens of microseconds to start, against
/// milliseconds for a login): handing work to idle threads through one shared channel
/// serialised the hand-offs on a busy machine and staggered the starts of a large batch.
pub struct ProbePool {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for ProbePool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProbePool")
            .field("limit", &self.shared.limit)
            .field("reserve", &self.shared.reserve)
            .finish_non_exhaustive()
    }
}

/// A place in the pool, given back when the probe thread ends (even by panicking); giving
/// it back starts whatever may start next.
struct Place {
    shared: Arc<Shared>,
    queue: u64,
}

impl Drop for Place {
    fn drop(&mut self) {
        if let Some(mut state) = self.shared.lock() {
            state.running = state.running.saturating_sub(1);
            if let Some(queue) = state.queue(self.queue) {
                queue.running = queue.running.saturating_sub(1);
            }
        }
        self.shared.dispatch();
    }
}

impl Shared {
    /// `None` only when a thread panicked holding the lock (a bug here): nothing starts then,
    /// and every batch ends at its deadline.
    fn lock(&self) -> Option<MutexGuard<'_, State>> {
        self.state.lock().ok()
    }

    /// Takes places for every probe that may start now: the queue with the fewest probes
    /// running first (then the one served longest ago); a queue with one running already
    /// leaves the reserved places to others.
    fn admit(&self, state: &mut State) -> Vec<Start> {
        let now = Instant::now();
        let mut starts = Vec::new();
        while state.running < self.limit {
            let next = state
                .queues
                .iter_mut()
                .filter(|q| q.may_start(now))
                .min_by_key(|q| (q.running, q.served));
            let Some(queue) = next else { break };
            if queue.running > 0 && state.running >= self.limit - self.reserve {
                break;
            }
            let Some((index, task)) = queue.pending.pop_front() else {
                break;
            };
            state.turns += 1;
            queue.served = state.turns;
            queue.running += 1;
            state.running += 1;
            starts.push(Start {
                queue: queue.id,
                index,
                task,
                reply: queue.reply.clone(),
                cancel: queue.cancel.clone(),
                deadline: queue.deadline,
            });
        }
        starts
    }

    /// Starts what may start, each probe on a thread of its own (outside the lock).
    fn dispatch(self: &Arc<Self>) {
        let starts = match self.lock() {
            Some(mut state) => self.admit(&mut state),
            None => return,
        };
        for start in starts {
            self.spawn(start);
        }
    }

    fn spawn(self: &Arc<Self>, start: Start) {
        let Start {
            queue,
            index,
            task,
            reply,
            cancel,
            deadline,
        } = start;
        let place = Place {
            shared: self.clone(),
            queue,
        };
        let failed = reply.clone();
        let spawned = std::thread::Builder::new()
            .name("ssh-probe".to_owned())
            .spawn(move || {
                let _place = place;
                // Canceled, or out of time, between being admitted and starting: not probed.
                if cancel.is_canceled() || Instant::now() >= deadline {
                    return;
                }
                let _ = reply.send(Report::Started(index, Instant::now()));
                let outcome = catch_unwind(AssertUnwindSafe(task)).ok();
                let _ = reply.send(Report::Done(index, outcome));
            });
        // On failure the closure, and with it the place, is dropped: the place is free again.
        if spawned.is_err() {
            tracing::error!("could not start an SSH probe thread");
            let _ = failed.send(Report::Done(index, None));
        }
    }
}

impl ProbePool {
    /// A pool of at most `threads` probes at once (at least one).
    pub fn new(threads: usize) -> Self {
        let limit = threads.max(1);
        Self {
            shared: Arc::new(Shared {
                state: Mutex::new(State::default()),
                limit,
                reserve: reserve(limit),
            }),
        }
    }

    pub fn threads(&self) -> usize {
        self.shared.limit
    }
}

impl ProbeExecutor for ProbePool {
    fn run_batch(&self, batch: ProbeBatch) -> Vec<TaskResult> {
        batch::run(&self.shared, batch)
    }
}
