//! The run's closing line: how many tests of this `cargo test` run skipped themselves, and
//! why (see `hub_testkit::skip`). Cargo runs this binary after every other test binary of
//! the workspace (it runs them in package-name order, this package's name sorts last, which
//! its own unit test checks, and no crate has doc-tests), so its line is the last of the run.
#![allow(clippy::print_stdout)]

fn main() {
    let file = hub_testkit::skip::tally_file();
    let tally = std::fs::read_to_string(&file).unwrap_or_default();
    // The run is over: the next run starts a tally of its own.
    let _ = std::fs::remove_file(&file);
    println!("\n{}", hub_testkit::skip::summary(&tally));
}
