//! Watching a started run: its output onto the sink as it arrives, the cancel token and
//! the deadline checked while it runs, and the process group stopped when either says so.

use crate::output::{Batcher, PipeRead, Utf8Stream};
use crate::process_group::ProcessGroup;
use ansible_core::jobs::{CancelToken, OutputSink};
use std::io;
use std::process::{Child, ExitStatus};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

/// The longest the loop sleeps: how soon an exit or a cancel is seen.
const TICK: Duration = Duration::from_millis(100);
/// How often the cancel token is asked (it may renew a lease, so not at every read).
const CANCEL_EVERY: Duration = Duration::from_millis(200);
/// How often an exit is looked for once the pipe has closed.
const EXIT_POLL: Duration = Duration::from_millis(10);
/// After the leader exits, how long output may still come: a process it left behind
/// (a daemon a task started) may hold the pipe open for ever.
const DRAIN_AFTER_EXIT: Duration = Duration::from_secs(1);

/// How the watch ended.
#[derive(Debug)]
pub(crate) enum Outcome {
    Exited(ExitStatus),
    Canceled,
    TimedOut,
}

/// The run's output path and what may stop it.
pub(crate) struct Watch<'a> {
    pub(crate) child: &'a mut Child,
    pub(crate) group: ProcessGroup,
    pub(crate) output: Receiver<PipeRead>,
    pub(crate) sink: &'a mut dyn OutputSink,
    pub(crate) cancel: &'a dyn CancelToken,
    pub(crate) deadline: Option<Instant>,
    pub(crate) kill_grace: Duration,
}

struct Text {
    stream: Utf8Stream,
    batch: Batcher,
    closed: bool,
}

impl Watch<'_> {
    pub(crate) fn run(mut self) -> io::Result<Outcome> {
        let mut text = Text {
            stream: Utf8Stream::default(),
            batch: Batcher::default(),
            closed: false,
        };
        let mut next_cancel_check = Instant::now();
        let mut exited: Option<(ExitStatus, Instant)> = None;
        loop {
            let now = Instant::now();
            let wake = [Some(now + TICK), text.batch.due_at(), self.deadline]
                .into_iter()
                .flatten()
                .min()
                .unwrap_or(now);
            self.receive(&mut text, wake.saturating_duration_since(now));
            for chunk in text.batch.take_due(Instant::now()) {
                self.sink.write(&chunk);
            }
            if exited.is_none()
                && let Some(status) = self.child.try_wait()?
            {
                exited = Some((status, Instant::now() + DRAIN_AFTER_EXIT));
            }
            if let Some((status, drain_until)) = exited {
                if text.closed || Instant::now() >= drain_until {
                    self.flush(&mut text);
                    return Ok(Outcome::Exited(status));
                }
                continue;
            }
            let now = Instant::now();
            if self.deadline.is_some_and(|d| now >= d) {
                return self.stop(&mut text, Outcome::TimedOut);
            }
            if now >= next_cancel_check {
                next_cancel_check = now + CANCEL_EVERY;
                if self.cancel.is_canceled() {
                    return self.stop(&mut text, Outcome::Canceled);
                }
            }
        }
    }

    /// Waits up to `wait` for output and takes what came.
    fn receive(&mut self, text: &mut Text, wait: Duration) {
        if text.closed {
            thread::sleep(wait.min(EXIT_POLL));
            return;
        }
        match self.output.recv_timeout(wait) {
            Ok(Ok(bytes)) => {
                let decoded = text.stream.decode(&bytes);
                text.batch.push(&decoded, Instant::now());
            }
            Err(RecvTimeoutError::Timeout) => {}
            // The end of the pipe, or a read that failed: either way no more output comes.
            Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => {
                text.closed = true;
                let tail = text.stream.finish();
                text.batch.push(&tail, Instant::now());
            }
        }
    }

    fn flush(&mut self, text: &mut Text) {
        let tail = text.stream.finish();
        text.batch.push(&tail, Instant::now());
        for chunk in text.batch.take_all() {
            self.sink.write(&chunk);
        }
    }

    /// Kills the group, reaps the leader, keeps its last words, and says why it stopped.
    fn stop(&mut self, text: &mut Text, why: Outcome) -> io::Result<Outcome> {
        self.group.stop(self.child, self.kill_grace)?;
        // The group is gone, so the pipe's writers are too: what is left is short.
        let until = Instant::now() + TICK;
        while !text.closed && Instant::now() < until {
            self.receive(text, until.saturating_duration_since(Instant::now()));
        }
        self.flush(text);
        Ok(why)
    }
}
