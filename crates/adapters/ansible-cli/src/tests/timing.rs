//! How much the runner adds to a trivial run, and how fast a cancel takes effect. Not a
//! check, a measurement: `cargo test -p ansible-cli timing -- --ignored --nocapture`.

use super::support::{Collected, Fixture, play, wait_for_sleep};
use ansible_core::jobs::PlaybookRunner;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

#[test]
#[ignore = "a measurement; run it by name"]
fn timing() {
    let Some(fx) = Fixture::ansible(false) else {
        return;
    };
    let book = play("    - debug: { msg: hi }\n");
    let direct_dir = tempfile::tempdir().expect("dir");
    std::fs::write(direct_dir.path().join("inventory"), fx.inventory("")).expect("inv");
    std::fs::write(direct_dir.path().join("playbook.yml"), &book).expect("book");
    std::fs::write(direct_dir.path().join("vars.json"), "{}").expect("vars");
    for round in 1..=RUNS {
        let started = Instant::now();
        let (result, out) = fx.run(&fx.prepared(&book, "{}", fx.inventory("")));
        let through_runner = started.elapsed();
        assert_eq!(result.expect("run").exit_code, 0, "{}", out.text());

        let started = Instant::now();
        let status = Command::new(&fx.program)
            .args(["-i", "inventory", "playbook.yml", "-e", "@vars.json"])
            .current_dir(direct_dir.path())
            .env("ANSIBLE_NOCOLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("direct");
        let direct = started.elapsed();
        assert!(status.success());
        eprintln!("round {round}: runner {through_runner:?}, direct {direct:?}");
    }
    for round in 1..=3 {
        let run = fx.prepared(&play("    - command: sleep 300\n"), "{}", fx.inventory(""));
        let cancel = Arc::new(AtomicBool::new(false));
        let watcher = {
            let (job, cancel) = (run.job.clone(), Arc::clone(&cancel));
            thread::spawn(move || {
                wait_for_sleep(&job, Duration::from_secs(60));
                cancel.store(true, Ordering::SeqCst);
                Instant::now()
            })
        };
        let mut out = Collected::default();
        let _ = fx.runner.run(&run, &mut out, &*cancel);
        let returned = Instant::now();
        let canceled_at = watcher.join().expect("watcher");
        eprintln!(
            "cancel {round}: returned {:?} after the cancel",
            returned - canceled_at
        );
    }
}
