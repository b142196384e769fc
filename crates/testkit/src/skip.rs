//! Skipped tests, visible in the README's test command's own output.
//!
//! libtest captures what a passing test prints with `print!`/`eprint!`, so a skip said
//! that way never shows. A skip is written straight to the process's standard error
//! instead (libtest does not capture that), and recorded in a tally file shared by every
//! test binary of one `cargo test` run (named after cargo's process id, the parent of each
//! test binary). The run's last test binary (`zz-skip-summary`'s `skipped_tests`) reads the
//! tally and ends the run with one line that counts the skips and names their causes.

use std::io::Write;
use std::path::PathBuf;

/// Whether an environment flag is set to 1 (or true).
pub fn required(flag: &str) -> bool {
    std::env::var(flag).is_ok_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
}

/// The tally file of the `cargo test` run this process belongs to.
pub fn tally_file() -> PathBuf {
    std::env::temp_dir().join(format!(
        "control-hub-test-skips-{}",
        std::os::unix::process::parent_id()
    ))
}

/// The name of the test running on this thread (libtest names each test's thread after it).
fn test_name() -> String {
    std::thread::current()
        .name()
        .filter(|n| *n != "main")
        .unwrap_or("a test")
        .to_owned()
}

/// Skips a test for want of `what`, or fails it when `flag` requires `what`: a loud line on
/// the process's own standard error, and one line in the run's tally.
pub fn unavailable(flag: &str, what: &str, why: &str) {
    assert!(
        !required(flag),
        "{flag}=1 but {what} is not available: {why}"
    );
    let test = test_name();
    let line = format!(
        "*** SKIPPED {test}: {what} is not available ({why}); set {flag}=1 to make this a failure ***\n"
    );
    // Not eprintln!: libtest would capture it and show it only for a failing test.
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
    record(&format!("{what}\t{flag}\t{why}"));
}

/// Appends one line to the run's tally. Each line is one small append, so the test
/// binaries' threads never interleave within a line.
fn record(line: &str) {
    let appended = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(tally_file())
        .and_then(|mut f| f.write_all(format!("{}\n", line.replace('\n', " ")).as_bytes()));
    if let Err(e) = appended {
        let _ = writeln!(
            std::io::stderr(),
            "*** could not record a skip in {}: {e} ***",
            tally_file().display()
        );
    }
}

/// The run's one closing line for `tally` (the tally file's text): how many tests were
/// skipped, and for each cause how many, with the flag that makes it a failure.
pub fn summary(tally: &str) -> String {
    let mut causes: Vec<(String, String, String, usize)> = Vec::new();
    for line in tally.lines().filter(|l| !l.trim().is_empty()) {
        let mut parts = line.splitn(3, '\t');
        let what = parts.next().unwrap_or_default().to_owned();
        let flag = parts.next().unwrap_or_default().to_owned();
        let why = parts.next().unwrap_or_default().to_owned();
        match causes
            .iter_mut()
            .find(|(w, f, y, _)| *w == what && *f == flag && *y == why)
        {
            Some(cause) => cause.3 += 1,
            None => causes.push((what, flag, why, 1)),
        }
    }
    let total: usize = causes.iter().map(|c| c.3).sum();
    if total == 0 {
        return "SKIPPED: 0 tests; every optional piece was there".to_owned();
    }
    let named: Vec<String> = causes
        .iter()
        .map(|(what, flag, why, n)| format!("{n} for want of {what} ({why}; {flag}=1 fails them)"))
        .collect();
    format!(
        "SKIPPED: {total} test(s) did not run: {}. The README says how to get each piece.",
        named.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::summary;

    #[test]
    fn the_summary_counts_each_cause() {
        let tally = "ansible-playbook\tHUB_REQUIRE_ANSIBLE\tnot on PATH\n\
                     PostgreSQL\tHUB_REQUIRE_POSTGRES\tconnection refused\n\
                     ansible-playbook\tHUB_REQUIRE_ANSIBLE\tnot on PATH\n";
        let line = summary(tally);
        assert!(line.starts_with("SKIPPED: 3 test(s)"), "{line}");
        assert!(
            line.contains("2 for want of ansible-playbook (not on PATH; HUB_REQUIRE_ANSIBLE=1"),
            "{line}"
        );
        assert!(line.contains("1 for want of PostgreSQL"), "{line}");
        assert!(!line.contains('\n'));
    }

    #[test]
    fn no_skip_says_so() {
        assert!(summary("").starts_with("SKIPPED: 0 tests"));
    }
}
