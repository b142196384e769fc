//! The run's process group: ansible-playbook leads it, and its workers, the modules and
//! whatever they start (a `sleep`, an ssh) are in it unless they leave on purpose. Killing
//! only the leader would leave those running (Semaphore's cancel did), so a stop signals
//! the whole group.

mod members;

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use std::io;
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, ExitStatus};
use std::thread;
use std::time::{Duration, Instant};

const POLL: Duration = Duration::from_millis(20);
/// After SIGKILL, how long the group may take to vanish (the kernel tearing it down).
const AFTER_KILL: Duration = Duration::from_secs(2);

/// The group led by a child started with `process_group(0)`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ProcessGroup(Pid);

impl ProcessGroup {
    pub(crate) fn of(child: &Child) -> io::Result<Self> {
        let pid = i32::try_from(child.id())
            .map_err(|_| io::Error::other("the child's pid does not fit a pid_t"))?;
        Ok(Self(Pid::from_raw(pid)))
    }

    /// Whether a process of the group still runs (zombies do not count).
    pub(crate) fn alive(self) -> bool {
        members::any_running(self.0)
    }

    fn signal(self, signal: Signal) {
        // ESRCH: the group is gone already, which is what we want.
        let _ = killpg(self.0, signal);
    }

    /// SIGTERM to the group, `grace` for it to go, then SIGKILL; reaps the leader and
    /// returns its status once nothing of the group is left (or the kernel took too long).
    pub(crate) fn stop(self, child: &mut Child, grace: Duration) -> io::Result<ExitStatus> {
        self.signal(Signal::SIGTERM);
        let mut status = None;
        let until = Instant::now() + grace;
        while Instant::now() < until {
            if status.is_none() {
                status = child.try_wait()?;
            }
            if let Some(done) = status
                && !self.alive()
            {
                return Ok(done);
            }
            thread::sleep(POLL);
        }
        self.signal(Signal::SIGKILL);
        let status = match status {
            Some(s) => s,
            None => child.wait()?,
        };
        // The others were children of the leader; init reaps them once they are dead.
        let until = Instant::now() + AFTER_KILL;
        while self.alive() && Instant::now() < until {
            thread::sleep(POLL);
        }
        Ok(status)
    }
}

/// The exit code as a shell reports it: the process's own, or 128 + the signal that
/// killed it.
pub(crate) fn exit_code(status: ExitStatus) -> i32 {
    match (status.code(), status.signal()) {
        (Some(code), _) => code,
        (None, Some(signal)) => 128 + signal,
        (None, None) => -1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signal_reports_128_plus_its_number() {
        // Wait statuses as the kernel gives them: exit code in the high byte, signal low.
        assert_eq!(exit_code(ExitStatus::from_raw(0)), 0);
        assert_eq!(exit_code(ExitStatus::from_raw(2 << 8)), 2);
        assert_eq!(exit_code(ExitStatus::from_raw(Signal::SIGKILL as i32)), 137);
        assert_eq!(exit_code(ExitStatus::from_raw(Signal::SIGTERM as i32)), 143);
    }
}
