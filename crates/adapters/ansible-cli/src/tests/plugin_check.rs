//! The doctor's callback check: it passes on the real ansible-playbook, and fails, saying
//! why, on a program that writes no recap, fails, hangs or is not there.

use super::support::ansible_playbook;
use crate::AnsibleCliConfig;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// An executable shell script named ansible-playbook in `dir`.
fn fake(dir: &Path, body: &str) -> PathBuf {
    let program = dir.join("ansible-playbook");
    std::fs::write(&program, format!("#!/bin/sh\n{body}\n")).expect("script");
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    program
}

/// No run directory is left in the data directory's jobs directory.
fn empty(data_dir: &Path) -> bool {
    std::fs::read_dir(data_dir.join("jobs"))
        .expect("the jobs directory was made")
        .next()
        .is_none()
}

/// The check as a server with `data_dir` and `program` runs it.
fn check_in(data_dir: &Path, program: &Path, timeout: Duration) -> Result<String, String> {
    let config = AnsibleCliConfig {
        program: program.to_path_buf(),
        ..AnsibleCliConfig::under(data_dir)
    };
    crate::check_job_run(&config, timeout)
}

#[test]
fn the_real_ansible_loads_the_plugin_and_the_directory_is_gone_afterwards() {
    let Some(program) = ansible_playbook() else {
        return;
    };
    let parent = tempfile::tempdir().expect("parent");
    let said = check_in(parent.path(), &program, Duration::from_secs(120));
    let said = said.expect("the plugin loads");
    assert!(said.contains("hub_recap loaded"), "{said}");
    assert!(said.contains("ok=1"), "{said}");
    assert!(
        empty(parent.path()),
        "a temporary directory was left behind"
    );
}

#[test]
fn a_run_without_a_recap_fails_and_ran_in_a_private_directory() {
    let scripts = tempfile::tempdir().expect("scripts");
    let seen = scripts.path().join("mode");
    // The run's working directory is its job directory, inside the check's own one.
    let program = fake(
        scripts.path(),
        &format!(
            "stat -c %a .. > '{}'\necho 'PLAY RECAP ok=1'\nexit 0",
            seen.display()
        ),
    );
    let parent = tempfile::tempdir().expect("parent");
    let said = check_in(parent.path(), &program, Duration::from_secs(30));
    let why = said.expect_err("no recap is a failure");
    assert!(why.contains("wrote no recap"), "{why}");
    assert!(why.contains("PLAY RECAP ok=1"), "quotes the output: {why}");
    let mode = std::fs::read_to_string(&seen).expect("the script ran");
    assert_eq!(mode.trim(), "700");
    assert!(
        empty(parent.path()),
        "a temporary directory was left behind"
    );
}

#[test]
fn a_failing_run_quotes_its_output_and_exit_code() {
    let scripts = tempfile::tempdir().expect("scripts");
    let program = fake(scripts.path(), "echo 'ERROR! something broke' >&2\nexit 4");
    let parent = tempfile::tempdir().expect("parent");
    let why = check_in(parent.path(), &program, Duration::from_secs(30)).expect_err("fails");
    assert!(why.contains("exited with 4"), "{why}");
    assert!(why.contains("something broke"), "{why}");
}

#[test]
fn a_hung_run_is_killed_at_its_timeout() {
    let scripts = tempfile::tempdir().expect("scripts");
    let program = fake(scripts.path(), "sleep 60");
    let parent = tempfile::tempdir().expect("parent");
    let started = Instant::now();
    let why = check_in(parent.path(), &program, Duration::from_millis(500)).expect_err("times out");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert!(why.contains("no end within"), "{why}");
    assert!(
        empty(parent.path()),
        "a temporary directory was left behind"
    );
}

#[test]
fn a_missing_program_names_the_setting() {
    let parent = tempfile::tempdir().expect("parent");
    let why = check_in(
        parent.path(),
        Path::new("/nonexistent/ansible-playbook"),
        Duration::from_secs(5),
    )
    .expect_err("not there");
    assert!(why.contains("HUB_ANSIBLE_PLAYBOOK"), "{why}");
}
