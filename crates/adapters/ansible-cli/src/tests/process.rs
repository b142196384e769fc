//! Stopping a run: the whole process group goes, within seconds; and what the processes
//! of a run can see (no password, no variable of the hub's own).

use super::support::{Fixture, group, marked, play, wait_for_sleep};
use ansible_core::jobs::JobId;
use ansible_core::jobs::{PlaybookRunner, RunFailure};
use nix::errno::Errno;
use nix::sys::signal::kill;
use nix::unistd::Pid;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

const SLEEP: &str = "    - command: sleep 300\n";
/// How long a stopped run's processes may take to be gone.
const GONE_WITHIN: Duration = Duration::from_secs(5);

/// When the run returns nothing of its group, and no process of its job (ansible-core 2.19
/// starts its workers in sessions of their own), runs any more; and within [`GONE_WITHIN`]
/// of the stop the group has left /proc altogether (its zombies reaped by init).
fn assert_gone(job: &JobId, pgid: i32, sleep_pid: i32, stopped_at: Instant) {
    let running: Vec<_> = group(pgid).into_iter().filter(|p| p.state != 'Z').collect();
    assert!(running.is_empty(), "still running: {running:?}");
    assert!(marked(job).is_empty(), "still running: {:?}", marked(job));
    while !group(pgid).is_empty() && stopped_at.elapsed() < GONE_WITHIN {
        thread::sleep(Duration::from_millis(50));
    }
    assert!(group(pgid).is_empty(), "left behind: {:?}", group(pgid));
    // The sleep's zombie, out of the group, is reaped by init too.
    let sleep = Pid::from_raw(sleep_pid);
    while kill(sleep, None) != Err(Errno::ESRCH) && stopped_at.elapsed() < GONE_WITHIN {
        thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(kill(sleep, None), Err(Errno::ESRCH));
}

#[test]
fn cancel_kills_the_whole_process_group() {
    let Some(fx) = Fixture::ansible(false) else {
        return;
    };
    let run = fx.prepared(&play(SLEEP), "{}", fx.inventory(""));
    let cancel = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (job, cancel) = (run.job.clone(), Arc::clone(&cancel));
        thread::spawn(move || {
            let found = wait_for_sleep(&job, Duration::from_secs(60));
            let at = Instant::now();
            cancel.store(true, Ordering::SeqCst);
            found.map(|f| (f, at))
        })
    };
    let mut out = super::support::Collected::default();
    let result = fx.runner.run(&run, &mut out, &*cancel);
    let returned = Instant::now();
    let ((leader, sleep), canceled_at) = watcher.join().expect("watcher").expect("the sleep ran");
    assert_eq!(result, Err(RunFailure::Canceled), "{}", out.text());
    assert!(
        returned - canceled_at < GONE_WITHIN,
        "took {:?}",
        returned - canceled_at
    );
    assert_gone(&run.job, leader.pgid, sleep.pid, canceled_at);
    assert!(
        std::fs::read_dir(fx.work_root())
            .expect("root")
            .next()
            .is_none()
    );
}

#[test]
fn a_timeout_kills_the_whole_process_group() {
    let Some(fx) = Fixture::ansible(false) else {
        return;
    };
    let mut run = fx.prepared(&play(SLEEP), "{}", fx.inventory(""));
    run.timeout = Duration::from_secs(8);
    let watcher = {
        let job = run.job.clone();
        thread::spawn(move || wait_for_sleep(&job, Duration::from_secs(60)))
    };
    let started = Instant::now();
    let (result, out) = fx.run(&run);
    let took = started.elapsed();
    let (leader, sleep) = watcher.join().expect("watcher").expect("the sleep ran");
    assert_eq!(result, Err(RunFailure::TimedOut), "{}", out.text());
    assert!(took < run.timeout + GONE_WITHIN, "took {took:?}");
    assert_gone(&run.job, leader.pgid, sleep.pid, started + run.timeout);
}

#[test]
fn a_password_never_reaches_argv_the_environment_or_the_output() {
    let Some(fx) = Fixture::ansible(false) else {
        return;
    };
    let password = "Pa55-never-shown-7f3e";
    let inventory = fx.inventory(&format!(
        "ansible_password={password} ansible_become_password={password}"
    ));
    let run = fx.prepared(&play(SLEEP), "{}", inventory);
    let cancel = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (job, cancel) = (run.job.clone(), Arc::clone(&cancel));
        thread::spawn(move || {
            let found = wait_for_sleep(&job, Duration::from_secs(60));
            // Every process of the run, while the task runs.
            let seen = found.as_ref().map(|_| {
                marked(&job)
                    .into_iter()
                    .map(|p| (p.cmdline.clone(), p.environ()))
                    .collect::<Vec<_>>()
            });
            cancel.store(true, Ordering::SeqCst);
            seen
        })
    };
    let mut out = super::support::Collected::default();
    let result = fx.runner.run(&run, &mut out, &*cancel);
    let seen = watcher.join().expect("watcher").expect("the sleep ran");
    assert_eq!(result, Err(RunFailure::Canceled));
    assert!(seen.len() >= 2, "{seen:?}");
    for (argv, env) in &seen {
        assert!(!argv.iter().any(|a| a.contains(password)), "{argv:?}");
        assert!(!env.iter().any(|v| v.contains(password)), "{argv:?}");
        // Nothing of the hub's own environment (HUB_REQUIRE_ANSIBLE among others).
        assert!(!env.iter().any(|v| v.starts_with("HUB_")), "{env:?}");
    }
    let (leader_argv, leader_env) = &seen[0];
    assert!(
        leader_argv.iter().any(|a| a.ends_with("/inventory")),
        "{leader_argv:?}"
    );
    for wanted in [
        "ANSIBLE_NOCOLOR=1",
        "ANSIBLE_HOST_KEY_CHECKING=True",
        "PYTHONUNBUFFERED=1",
    ] {
        assert!(
            leader_env.iter().any(|v| v == wanted),
            "{wanted} in {leader_env:?}"
        );
    }
    assert!(
        leader_env.iter().any(|v| v.starts_with("ANSIBLE_SSH_ARGS=")
            && v.contains("StrictHostKeyChecking=accept-new")
            && v.contains(&fx.scratch.path().join("known_hosts").display().to_string())),
        "{leader_env:?}"
    );
    assert!(!out.text().contains(password), "{}", out.text());
    // ssh's sockets go in a directory short enough for a socket path, gone after the run.
    let control = leader_env
        .iter()
        .find_map(|v| v.strip_prefix("ANSIBLE_SSH_CONTROL_PATH_DIR="))
        .expect("a control path dir");
    assert!(control.len() < 48, "{control}");
    assert!(!std::path::Path::new(control).exists(), "{control}");
}
