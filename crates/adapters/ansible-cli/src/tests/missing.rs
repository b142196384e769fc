//! A runner that cannot be started says so, and what to do.

use super::support::{Fixture, play};
use ansible_core::jobs::RunFailure;
use std::os::unix::fs::PermissionsExt;

fn assert_missing(fx: &Fixture) {
    let (result, _) = fx.run(&fx.prepared(&play("    - ping:\n"), "{}", String::new()));
    let Err(failure @ RunFailure::RunnerMissing { .. }) = result else {
        panic!("not RunnerMissing: {result:?}");
    };
    let RunFailure::RunnerMissing { program, .. } = &failure else {
        unreachable!()
    };
    assert_eq!(program, &fx.program.display().to_string());
    let message = failure.to_string();
    assert!(message.contains("HUB_ANSIBLE_PLAYBOOK"), "{message}");
    assert!(message.contains("pip install ansible-core"), "{message}");
    // The directory made for the run is gone again.
    assert!(
        std::fs::read_dir(fx.work_root())
            .expect("root")
            .next()
            .is_none()
    );
}

#[test]
fn a_program_that_is_not_there_is_runner_missing() {
    assert_missing(&Fixture::new("/nonexistent/ansible-playbook".into(), false));
    assert_missing(&Fixture::new(
        "no-such-ansible-playbook-on-path".into(),
        false,
    ));
}

#[test]
fn a_program_that_is_not_executable_is_runner_missing() {
    let scratch = tempfile::tempdir().expect("scratch");
    let program = scratch.path().join("ansible-playbook");
    std::fs::write(&program, "#!/bin/sh\n").expect("write");
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    assert_missing(&Fixture::new(program, false));
}
