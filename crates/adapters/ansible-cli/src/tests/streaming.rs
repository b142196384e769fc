//! Output reaches the sink while the process runs, and the cancel token is asked often,
//! but not at every read.

use super::support::{Fixture, play};
use ansible_core::jobs::{CancelToken, OutputSink, PlaybookRunner};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

#[derive(Default)]
struct Timed {
    chunks: Vec<(Instant, String)>,
}

impl OutputSink for Timed {
    fn write(&mut self, chunk: &str) {
        self.chunks.push((Instant::now(), chunk.to_owned()));
    }
}

#[derive(Default)]
struct Counting(AtomicUsize);

impl CancelToken for Counting {
    fn is_canceled(&self) -> bool {
        self.0.fetch_add(1, Ordering::SeqCst);
        false
    }
}

#[test]
fn output_arrives_while_the_run_goes_on() {
    let Some(fx) = Fixture::ansible(false) else {
        return;
    };
    let book = play("    - debug: { msg: early-line }\n    - command: sleep 3\n");
    let run = fx.prepared(&book, "{}", fx.inventory(""));
    let (mut sink, token) = (Timed::default(), Counting::default());
    let started = Instant::now();
    let result = fx.runner.run(&run, &mut sink, &token).expect("the run");
    let (ended, took) = (Instant::now(), started.elapsed());
    let text: String = sink.chunks.iter().map(|(_, c)| c.as_str()).collect();
    assert_eq!(result.exit_code, 0, "{text}");
    let early = sink
        .chunks
        .iter()
        .find(|(_, c)| c.contains("early-line"))
        .map(|(at, _)| *at)
        .expect("the debug line");
    assert!(
        ended - early >= Duration::from_secs(2),
        "came {:?} before the end",
        ended - early
    );
    assert!(
        sink.chunks
            .iter()
            .all(|(_, c)| !c.is_empty() && c.len() <= 64 * 1024)
    );
    // Asked about every 200 ms: at least twice a second, and far from once per read.
    let asked = token.0.load(Ordering::SeqCst);
    let secs = took.as_secs_f64();
    assert!(
        asked as f64 >= 2.0 * secs && (asked as f64) <= 12.0 * secs,
        "{asked} in {took:?}"
    );
}

#[test]
fn long_multibyte_output_comes_whole_in_bounded_chunks() {
    let Some(fx) = Fixture::ansible(false) else {
        return;
    };
    // 120,000 three-byte characters on one line: more than five chunks' worth.
    let book = play("    - debug: { msg: \"{{ '€' * 120000 }}\" }\n");
    let (result, out) = fx.run(&fx.prepared(&book, "{}", fx.inventory("")));
    assert_eq!(result.expect("the run").exit_code, 0);
    assert!(out.chunks.len() >= 6, "{} chunks", out.chunks.len());
    assert!(out.chunks.iter().all(|c| c.len() <= 64 * 1024));
    let text = out.text();
    assert!(text.contains(&"€".repeat(120_000)));
    assert!(!text.contains('\u{fffd}'));
}
