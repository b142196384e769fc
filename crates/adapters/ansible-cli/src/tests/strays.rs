//! What a server killed outright leaves: every process of its run carries the job's id, so
//! a later server finds them all (the `sleep` a module started too) and ends them, and
//! removes the run's directory.

use super::support::{Collected, Fixture, play, processes, wait_for_sleep};
use ansible_core::jobs::{JobId, PlaybookRunner};
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::thread;
use std::time::{Duration, Instant};

fn marked(job: &JobId) -> Vec<i32> {
    let mark = format!("CONTROL_HUB_JOB={job}");
    processes()
        .into_iter()
        .filter(|p| p.state != 'Z' && p.environ().contains(&mark))
        .map(|p| p.pid)
        .collect()
}

#[test]
fn every_process_of_a_run_is_found_by_its_job_and_ended() {
    let Some(fx) = Fixture::ansible(false) else {
        return;
    };
    let run = fx.prepared(&play("    - command: sleep 300\n"), "{}", fx.inventory(""));
    // The run goes on in a thread of its own, as if its server had stopped watching it.
    let runner = fx.runner.clone();
    let orphaned = run.clone();
    let watcher = thread::spawn(move || {
        let never = AtomicBool::new(false);
        runner.run(&orphaned, &mut Collected::default(), &never)
    });
    let (leader, sleep) = wait_for_sleep(&run.job, Duration::from_secs(60)).expect("the sleep ran");
    // A process of another job's run, which must be left alone.
    let other = JobId::generate();
    let mut bystander = Command::new("sleep")
        .arg("300")
        .env("CONTROL_HUB_JOB", other.as_str())
        .stdin(Stdio::null())
        .spawn()
        .expect("sleep");
    // Until it has exec'd, the child shows this process's environment.
    let until = Instant::now() + Duration::from_secs(5);
    while marked(&other).is_empty() && Instant::now() < until {
        thread::sleep(Duration::from_millis(10));
    }

    let left = fx.runner.runs_left_here().expect("listed");
    assert!(left.contains(&run.job), "{left:?}");
    assert!(left.contains(&other), "{left:?}");
    let marked_before = marked(&run.job);
    assert!(marked_before.contains(&leader.pid) && marked_before.contains(&sleep.pid));

    let started = Instant::now();
    let killed = fx.runner.end_strays(&run.job).expect("ended");

    assert!(killed >= 2, "killed {killed} of {marked_before:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(marked(&run.job).is_empty(), "left: {:?}", marked(&run.job));
    let sleep_runs = processes()
        .iter()
        .any(|p| p.pid == sleep.pid && p.state != 'Z');
    assert!(!sleep_runs, "the module's sleep still runs");
    let dirs: Vec<_> = std::fs::read_dir(fx.work_root())
        .expect("root")
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().starts_with(run.job.as_str()))
        .collect();
    assert!(dirs.is_empty(), "{dirs:?}");
    // The killed run's watcher sees its process die.
    let _ = watcher.join().expect("watcher");
    assert_eq!(
        bystander.try_wait().expect("bystander"),
        None,
        "another job's process runs on"
    );
    let _ = bystander.kill();
    let _ = bystander.wait();
}
