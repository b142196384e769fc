//! Whether a process group still has a member that runs. A killed member's zombie stays
//! in the group until its parent reaps it, and an orphan's parent is init, which may be
//! slow to reap (a container's init often is); a zombie runs nothing, so it does not
//! count, or every stop would wait out its grace for init.

use nix::errno::Errno;
use nix::sys::signal::killpg;
use nix::unistd::Pid;
use std::fs;

/// `true` while some member of `pgid`'s group is not a zombie.
pub(super) fn any_running(pgid: Pid) -> bool {
    match running_in_proc(pgid.as_raw()) {
        Some(running) => running,
        // Without /proc, the kernel's word: any member at all, zombies included.
        None => !matches!(killpg(pgid, None), Err(Errno::ESRCH)),
    }
}

/// From /proc: `None` when it cannot be read.
fn running_in_proc(pgid: i32) -> Option<bool> {
    let entries = fs::read_dir("/proc").ok()?;
    let running = entries
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()))
        })
        .filter_map(|e| fs::read_to_string(e.path().join("stat")).ok())
        .any(|stat| {
            member_state(&stat).is_some_and(|(group, state)| group == pgid && !dead(state))
        });
    Some(running)
}

/// The process group and state in a /proc/<pid>/stat line: after the command name in
/// parentheses (which may itself hold spaces and parentheses) come state, ppid, pgrp.
fn member_state(stat: &str) -> Option<(i32, char)> {
    let after = stat.get(stat.rfind(')')? + 1..)?;
    let mut fields = after.split_whitespace();
    let state = fields.next()?.chars().next()?;
    let group = fields.nth(1)?.parse().ok()?;
    Some((group, state))
}

/// Zombie, or dead and about to go.
fn dead(state: char) -> bool {
    matches!(state, 'Z' | 'X' | 'x')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stat_line_gives_its_group_and_state() {
        let line = "4242 (odd) name) (x) S 17 4200 4200 0 -1 4194560 120 0 0 0";
        assert_eq!(member_state(line), Some((4200, 'S')));
        assert_eq!(
            member_state("4243 (sleep) Z 1 4200 4200 0"),
            Some((4200, 'Z'))
        );
        assert_eq!(member_state("garbage"), None);
    }

    #[test]
    fn this_process_runs_in_its_own_group() {
        let own = nix::unistd::getpgrp();
        assert!(any_running(own));
        assert_eq!(running_in_proc(own.as_raw()), Some(true));
    }
}
