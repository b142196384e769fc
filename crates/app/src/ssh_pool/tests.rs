#![allow(clippy::unwrap_used, clippy::panic)]

use super::*;
use ansible_core::connectivity::{ProbeFailure, Unprobed};
use std::sync::atomic::{AtomicUsize, Ordering};

fn outcome(n: u64) -> ProbeOutcome {
    ProbeOutcome::failed(
        ProbeFailure::Timeout,
        n.to_string(),
        Duration::from_millis(n),
    )
}

fn batch(tasks: Vec<ProbeTask>, overrun: Duration, deadline: Duration) -> ProbeBatch {
    ProbeBatch {
        tasks,
        overrun,
        deadline: Instant::now() + deadline,
        cancel: CancelFlag::new(),
    }
}

/// A task that sleeps `ms`, counting how many of its kind run at once (and the peak).
fn counted(now: &Arc<AtomicUsize>, peak: &Arc<AtomicUsize>, ms: u64, n: u64) -> ProbeTask {
    let (now, peak) = (now.clone(), peak.clone());
    Box::new(move || {
        let running = now.fetch_add(1, Ordering::SeqCst) + 1;
        peak.fetch_max(running, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(ms));
        now.fetch_sub(1, Ordering::SeqCst);
        outcome(n)
    })
}

fn counters() -> (Arc<AtomicUsize>, Arc<AtomicUsize>) {
    (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)))
}

fn messages(results: &[TaskResult]) -> Vec<String> {
    let message = |r: &TaskResult| {
        r.as_ref()
            .map_or_else(|e| format!("{e:?}"), |o| o.message.clone())
    };
    results.iter().map(message).collect()
}

#[test]
fn the_reserve_is_an_eighth_of_the_pool() {
    let reserves: Vec<_> = [1, 2, 4, 8, 16, 64, 256].map(reserve).into();
    assert_eq!(reserves, [0, 1, 1, 1, 2, 8, 32]);
    let settings = SshTestSettings {
        ssh_max_hosts: 0,
        ssh_test_deadline_secs: 0,
    };
    assert_eq!(
        settings.limits(),
        TestLimits {
            max_hosts: 1,
            deadline: Duration::from_secs(1)
        }
    );
}

#[test]
fn a_batch_runs_at_most_its_share_at_once_and_keeps_task_order() {
    // Four places, one kept for other requests: three at once.
    let pool = ProbePool::new(4);
    let (now, peak) = counters();
    let tasks = (0..12u64).map(|n| counted(&now, &peak, 30, n)).collect();
    let started = Instant::now();
    let results = pool.run_batch(batch(
        tasks,
        Duration::from_secs(5),
        Duration::from_secs(10),
    ));
    let expected: Vec<_> = (0..12).map(|n| n.to_string()).collect();
    assert_eq!(messages(&results), expected);
    assert_eq!(peak.load(Ordering::SeqCst), 3);
    // Four rounds of three, not twelve in a row.
    assert!(
        started.elapsed() < Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    assert!(
        pool.run_batch(batch(Vec::new(), Duration::ZERO, Duration::ZERO))
            .is_empty()
    );
}

#[test]
fn a_pool_held_by_stuck_probes_answers_at_the_deadline() {
    let pool = ProbePool::new(1);
    let stuck: Vec<ProbeTask> = vec![Box::new(|| {
        std::thread::sleep(Duration::from_secs(2));
        outcome(1)
    })];
    let started = Instant::now();
    let long = Duration::from_secs(10);
    let results = pool.run_batch(batch(stuck, Duration::from_millis(100), long));
    assert_eq!(results, [Err(Unprobed::Lost)]);
    // The only place is still taken: the next batch waits for it until its deadline.
    let next: Vec<ProbeTask> = vec![Box::new(|| outcome(2)), Box::new(|| outcome(3))];
    let deadline = Duration::from_millis(200);
    let results = pool.run_batch(batch(next, Duration::from_secs(5), deadline));
    assert_eq!(results, vec![Err(Unprobed::DeadlineBeforeStart); 2]);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn an_overrunning_or_panicking_task_is_lost_and_does_not_hold_the_batch() {
    // Three places for one batch, so no task waits for another's: a panic's unwinding (its
    // hook may print a symbolised backtrace, slow on a loaded machine) must not decide it.
    let pool = ProbePool::new(4);
    let tasks: Vec<ProbeTask> = vec![
        Box::new(|| {
            std::thread::sleep(Duration::from_secs(3));
            outcome(1)
        }),
        Box::new(|| panic!("a probe bug")),
        Box::new(|| outcome(3)),
    ];
    let started = Instant::now();
    let results = pool.run_batch(batch(
        tasks,
        Duration::from_millis(200),
        Duration::from_secs(10),
    ));
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(messages(&results), ["Lost", "Lost", "3"]);
    // The panicked probe gave its place back: with the sleeper still holding one, two more
    // run at the same time (each waits to see the other; a leaked place would leave one
    // alone, as the second would have to leave the reserved place free).
    let arrived = Arc::new(AtomicUsize::new(0));
    let together = |arrived: Arc<AtomicUsize>| {
        Box::new(move || {
            arrived.fetch_add(1, Ordering::SeqCst);
            let until = Instant::now() + Duration::from_millis(1500);
            while arrived.load(Ordering::SeqCst) < 2 && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(5));
            }
            outcome(arrived.load(Ordering::SeqCst) as u64)
        }) as ProbeTask
    };
    let next = vec![together(arrived.clone()), together(arrived)];
    let results = pool.run_batch(batch(next, Duration::from_secs(2), Duration::from_secs(10)));
    assert_eq!(messages(&results), ["2", "2"]);
}

#[test]
fn a_small_batch_starts_at_once_while_a_large_one_holds_the_pool() {
    let pool = Arc::new(ProbePool::new(4));
    let (now, peak) = counters();
    let large: Vec<ProbeTask> = (0..20).map(|n| counted(&now, &peak, 1000, n)).collect();
    let started = Instant::now();
    let large = {
        let pool = pool.clone();
        std::thread::spawn(move || {
            let deadline = Duration::from_millis(1500);
            let results = pool.run_batch(batch(large, Duration::from_secs(5), deadline));
            (results, started.elapsed())
        })
    };
    std::thread::sleep(Duration::from_millis(100));
    let small_started = Instant::now();
    let small = pool.run_batch(batch(
        vec![Box::new(|| outcome(7))],
        Duration::from_secs(5),
        Duration::from_secs(10),
    ));
    let small_took = small_started.elapsed();
    assert_eq!(messages(&small), ["7"]);
    assert!(
        small_took < Duration::from_millis(300),
        "small batch took {small_took:?}"
    );
    let (results, large_took) = large.join().unwrap();
    // Three at once: three answered in the first second, three ran at the deadline, the
    // rest never started; the answer came at the deadline.
    let count = |wanted: &dyn Fn(&TaskResult) -> bool| results.iter().filter(|r| wanted(r)).count();
    assert_eq!(count(&|r| r.is_ok()), 3, "{results:?}");
    assert_eq!(count(&|r| *r == Err(Unprobed::DeadlineWhileRunning)), 3);
    assert_eq!(count(&|r| *r == Err(Unprobed::DeadlineBeforeStart)), 14);
    assert_eq!(peak.load(Ordering::SeqCst), 3);
    assert!(
        large_took >= Duration::from_millis(1500) && large_took < Duration::from_millis(2300),
        "{large_took:?}"
    );
}

#[test]
fn two_large_batches_share_the_pool() {
    let pool = Arc::new(ProbePool::new(8));
    let (a_now, a_peak) = counters();
    let (b_now, b_peak) = counters();
    let b_done = Arc::new(AtomicUsize::new(0));
    let a: Vec<ProbeTask> = (0..40).map(|n| counted(&a_now, &a_peak, 100, n)).collect();
    let b: Vec<ProbeTask> = (0..40)
        .map(|n| {
            let (task, done) = (counted(&b_now, &b_peak, 100, n), b_done.clone());
            Box::new(move || {
                let outcome = task();
                done.fetch_add(1, Ordering::SeqCst);
                outcome
            }) as ProbeTask
        })
        .collect();
    let run = |pool: Arc<ProbePool>, tasks: Vec<ProbeTask>| {
        std::thread::spawn(move || {
            let long = Duration::from_secs(20);
            let results = pool.run_batch(batch(tasks, Duration::from_secs(5), long));
            results.iter().all(Result::is_ok)
        })
    };
    let a = run(pool.clone(), a);
    std::thread::sleep(Duration::from_millis(30));
    let b = run(pool, b);
    assert!(a.join().unwrap());
    // When the first ends, the second has had its share all along: first come, first
    // served would have run it after the first (about seven of its forty done by now).
    let b_done_then = b_done.load(Ordering::SeqCst);
    assert!(b.join().unwrap());
    assert!(b_done_then >= 20, "{b_done_then} of 40");
    assert_eq!(a_peak.load(Ordering::SeqCst), 7);
    assert!(b_peak.load(Ordering::SeqCst) >= 3, "{b_peak:?}");
}

#[test]
fn a_canceled_batch_starts_nothing_more() {
    // Two places, one for this batch: one probe at a time.
    let pool = ProbePool::new(2);
    let starts = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<ProbeTask> = (0..10u64)
        .map(|n| {
            let starts = starts.clone();
            Box::new(move || {
                starts.fetch_add(1, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(200));
                outcome(n)
            }) as ProbeTask
        })
        .collect();
    let batch = batch(tasks, Duration::from_secs(5), Duration::from_secs(10));
    let cancel = batch.cancel.clone();
    let canceler = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        cancel.cancel();
        Instant::now()
    });
    let results = pool.run_batch(batch);
    let canceled_at = canceler.join().unwrap();
    assert!(
        canceled_at.elapsed() < Duration::from_millis(200),
        "{:?}",
        canceled_at.elapsed()
    );
    assert_eq!(results[0].as_ref().map(|o| o.message.as_str()), Ok("0"));
    assert!(
        results[1..].iter().all(|r| *r == Err(Unprobed::Canceled)),
        "{results:?}"
    );
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(starts.load(Ordering::SeqCst), 2);
}
