//! The threads the assistant's turns run on (`HUB_LLM_CONCURRENCY` of them), apart from the
//! blocking pool that store calls use: a model that hangs holds these threads and the places
//! in their line, never a thread a store request needs.
//!
//! A turn is admitted while fewer than `threads + queue` turns are running or waiting
//! ([`ModelPool::run`]), the queue being [`QUEUE_PER_THREAD`] places per thread; past that it
//! is refused at once ([`Busy`]: 503, nothing stored). The handler awaits the turn's answer
//! without holding any thread. A waiting turn whose request is gone (its [`Answer`] dropped:
//! the client disconnected) is skipped, not run. Threads start as turns arrive, up to the
//! limit, and stay until the pool is dropped.

use crate::http::ApiError;
use crate::http::code::Code;
use std::collections::VecDeque;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};

/// `HUB_LLM_CONCURRENCY`'s default: turns waiting on the model at once.
pub const DEFAULT_THREADS: usize = 4;
/// The most threads a pool has (`HUB_LLM_CONCURRENCY` is 1 to 64).
pub const MAX_THREADS: usize = 64;
/// Places in line per thread: a turn waits at most two model calls before its own starts.
pub const QUEUE_PER_THREAD: usize = 2;

type Job = Box<dyn FnOnce() + Send>;

/// The line and the threads' bookkeeping, under one lock.
#[derive(Default)]
struct Line {
    jobs: VecDeque<Job>,
    /// Turns running or waiting.
    admitted: usize,
    /// Threads started and not ended.
    threads: usize,
    /// Threads waiting for a job.
    idle: usize,
    /// The pool was dropped: threads end once the line is empty.
    closed: bool,
}

struct Shared {
    line: Mutex<Line>,
    work: Condvar,
}

/// Jobs run outside the lock and their panics are caught: a poisoned lock is still sound.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The model pool: at most `threads` turns at once, `queue` more waiting.
pub struct ModelPool {
    shared: Arc<Shared>,
    threads: usize,
    queue: usize,
}

impl std::fmt::Debug for ModelPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ModelPool")
            .field("threads", &self.threads)
            .field("queue", &self.queue)
            .finish_non_exhaustive()
    }
}

/// The pool was full: the turn was not started (`AI_SERVICE_UNAVAILABLE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

impl From<Busy> for ApiError {
    fn from(_: Busy) -> Self {
        ApiError::new(
            Code::AiServiceUnavailable,
            "the assistant is busy answering other messages; try again shortly",
        )
    }
}

impl ModelPool {
    /// A pool of `threads` threads (1 to [`MAX_THREADS`]) and twice as many places in line.
    pub fn new(threads: usize) -> Self {
        let threads = threads.clamp(1, MAX_THREADS);
        Self {
            shared: Arc::new(Shared {
                line: Mutex::new(Line::default()),
                work: Condvar::new(),
            }),
            threads,
            queue: threads * QUEUE_PER_THREAD,
        }
    }

    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Places in line.
    pub fn queue(&self) -> usize {
        self.queue
    }

    /// Runs `call` on a pool thread, or refuses it at once when the pool is full. The answer
    /// is `None` when `call` panicked.
    pub fn run<T, F>(&self, call: F) -> Result<Answer<T>, Busy>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let slot = Arc::new(Mutex::new(Slot {
            value: None,
            waker: None,
            replied: false,
            abandoned: false,
        }));
        let reply = Replier(Arc::clone(&slot));
        self.submit(Box::new(move || {
            if !reply.abandoned() {
                reply.send(call());
            }
        }))?;
        Ok(Answer(slot))
    }

    fn submit(&self, job: Job) -> Result<(), Busy> {
        let mut line = lock(&self.shared.line);
        if line.admitted >= self.threads + self.queue {
            tracing::warn!(
                threads = self.threads,
                queue = self.queue,
                "assistant busy: a message was refused (HUB_LLM_CONCURRENCY)"
            );
            return Err(Busy);
        }
        line.admitted += 1;
        line.jobs.push_back(job);
        if line.jobs.len() <= line.idle {
            self.shared.work.notify_one();
        } else if line.threads < self.threads {
            let shared = Arc::clone(&self.shared);
            let started = std::thread::Builder::new()
                .name("llm-turn".to_owned())
                .spawn(move || work(&shared));
            match started {
                Ok(_) => line.threads += 1,
                Err(e) => {
                    tracing::error!(error = %e, "could not start a model thread");
                    if line.threads == 0 {
                        line.jobs.pop_back();
                        line.admitted -= 1;
                        return Err(Busy);
                    }
                }
            }
        }
        Ok(())
    }
}

impl Drop for ModelPool {
    /// The threads finish what is in line, then end.
    fn drop(&mut self) {
        lock(&self.shared.line).closed = true;
        self.shared.work.notify_all();
    }
}

/// A pool thread: runs jobs in order until the pool is dropped and the line is empty.
fn work(shared: &Shared) {
    let mut line = lock(&shared.line);
    loop {
        if let Some(job) = line.jobs.pop_front() {
            drop(line);
            // A panic drops the job's replier unanswered: its request sees `None`.
            let _ = catch_unwind(AssertUnwindSafe(job));
            line = lock(&shared.line);
            line.admitted = line.admitted.saturating_sub(1);
            continue;
        }
        if line.closed {
            line.threads -= 1;
            return;
        }
        line.idle += 1;
        line = shared
            .work
            .wait(line)
            .unwrap_or_else(PoisonError::into_inner);
        line.idle -= 1;
    }
}

/// Where a turn's result meets its request.
struct Slot<T> {
    value: Option<T>,
    waker: Option<Waker>,
    /// The job ended, with a value or without (it panicked).
    replied: bool,
    /// The request is gone.
    abandoned: bool,
}

/// The pool's side of a slot: answering, or (dropped unanswered) ending the wait.
struct Replier<T>(Arc<Mutex<Slot<T>>>);

impl<T> Replier<T> {
    fn abandoned(&self) -> bool {
        lock(&self.0).abandoned
    }

    fn send(self, value: T) {
        lock(&self.0).value = Some(value);
    }
}

impl<T> Drop for Replier<T> {
    fn drop(&mut self) {
        let waker = {
            let mut slot = lock(&self.0);
            slot.replied = true;
            slot.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// The result of a turn, once it ran; `None` when it panicked. Dropping it before the turn
/// started leaves the turn unrun.
pub struct Answer<T>(Arc<Mutex<Slot<T>>>);

impl<T> std::fmt::Debug for Answer<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Answer").finish_non_exhaustive()
    }
}

impl<T> Future for Answer<T> {
    type Output = Option<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut slot = lock(&self.0);
        if let Some(value) = slot.value.take() {
            return Poll::Ready(Some(value));
        }
        if slot.replied {
            return Poll::Ready(None);
        }
        slot.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

impl<T> Drop for Answer<T> {
    fn drop(&mut self) {
        lock(&self.0).abandoned = true;
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    fn block_on<F: Future>(future: F) -> F::Output {
        actix_web::rt::System::new().block_on(future)
    }

    /// Waits until `done` holds, at most 5 s.
    fn eventually(done: impl Fn() -> bool) {
        let until = Instant::now() + Duration::from_secs(5);
        while !done() {
            assert!(Instant::now() < until, "timed out");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn it_runs_threads_at_once_queues_twice_as_many_and_refuses_the_next() {
        let pool = ModelPool::new(2);
        assert_eq!((pool.threads(), pool.queue()), (2, 4));
        let (release, gate) = mpsc::channel::<()>();
        let gate = Arc::new(Mutex::new(gate));
        let (running, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let answers: Vec<Answer<usize>> = (0..6)
            .map(|n| {
                let (gate, running, peak) = (gate.clone(), running.clone(), peak.clone());
                pool.run(move || {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    let _ = lock(&gate).recv();
                    running.fetch_sub(1, Ordering::SeqCst);
                    n
                })
                .unwrap()
            })
            .collect();
        eventually(|| running.load(Ordering::SeqCst) == 2);
        assert_eq!(pool.run(|| 99).unwrap_err(), Busy);
        for _ in 0..6 {
            release.send(()).unwrap();
        }
        let results: Vec<_> = answers.into_iter().map(block_on).collect();
        assert_eq!(results, (0..6).map(Some).collect::<Vec<_>>());
        assert_eq!(peak.load(Ordering::SeqCst), 2);
        // Every place is free again.
        eventually(|| lock(&pool.shared.line).admitted == 0);
        assert_eq!(block_on(pool.run(|| 7).unwrap()), Some(7));
    }

    #[test]
    fn a_waiting_turn_whose_request_is_gone_is_not_run() {
        let pool = ModelPool::new(1);
        let (release, gate) = mpsc::channel::<()>();
        let first = pool
            .run(move || {
                let _ = gate.recv();
                1
            })
            .unwrap();
        let ran = Arc::new(AtomicUsize::new(0));
        let counted = ran.clone();
        drop(
            pool.run(move || counted.fetch_add(1, Ordering::SeqCst))
                .unwrap(),
        );
        release.send(()).unwrap();
        assert_eq!(block_on(first), Some(1));
        assert_eq!(block_on(pool.run(|| 2).unwrap()), Some(2));
        assert_eq!(ran.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn a_panicking_turn_answers_none_and_its_thread_goes_on() {
        let pool = ModelPool::new(1);
        let answer: Answer<u8> = pool.run(|| panic!("a turn bug")).unwrap();
        assert_eq!(block_on(answer), None);
        assert_eq!(block_on(pool.run(|| 3).unwrap()), Some(3));
        assert_eq!(lock(&pool.shared.line).threads, 1);
    }

    #[test]
    fn threads_start_as_needed_and_end_with_the_pool() {
        let pool = ModelPool::new(8);
        assert_eq!(lock(&pool.shared.line).threads, 0);
        assert_eq!(block_on(pool.run(|| 1).unwrap()), Some(1));
        // One turn at a time needs one thread, once it waits for the next.
        eventually(|| lock(&pool.shared.line).idle == 1);
        assert_eq!(block_on(pool.run(|| 2).unwrap()), Some(2));
        assert_eq!(lock(&pool.shared.line).threads, 1);
        let shared = Arc::downgrade(&pool.shared);
        drop(pool);
        // Each thread holds the shared state until it ends.
        eventually(|| shared.upgrade().is_none());
    }
}
