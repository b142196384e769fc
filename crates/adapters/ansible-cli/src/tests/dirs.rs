//! The run's directory: private while it exists, gone afterwards unless kept.

use super::support::{Fixture, play};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn the_job_directory_is_removed_after_the_run() {
    let Some(fx) = Fixture::ansible(false) else {
        return;
    };
    let (result, out) = fx.run(&fx.prepared(&play("    - ping:\n"), "{}", fx.inventory("")));
    assert_eq!(result.expect("the run").exit_code, 0, "{}", out.text());
    assert_eq!(mode(&fx.work_root()), 0o700);
    let left: Vec<_> = std::fs::read_dir(fx.work_root()).expect("root").collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_kept_job_directory_is_0700_with_files_0600() {
    let Some(fx) = Fixture::ansible(true) else {
        return;
    };
    let run = fx.prepared(&play("    - ping:\n"), r#"{"x": 1}"#, fx.inventory(""));
    let (result, out) = fx.run(&run);
    assert_eq!(result.expect("the run").exit_code, 0, "{}", out.text());
    let dir = fx.work_root().join(format!("{}-{}", run.job, run.playbook));
    assert_eq!(mode(&dir), 0o700);
    for sub in ["callback_plugins", "home", "tmp"] {
        assert_eq!(mode(&dir.join(sub)), 0o700, "{sub}");
    }
    for file in [
        "inventory",
        "playbook.yml",
        "extra-vars.yml",
        "callback_plugins/hub_recap.py",
        "recap.json",
    ] {
        assert_eq!(mode(&dir.join(file)), 0o600, "{file}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("extra-vars.yml")).expect("vars"),
        "{\"x\": 1}\n"
    );
    // A second run of the same playbook of the same job gets a directory of its own.
    let (again, _) = fx.run(&run);
    assert_eq!(again.expect("the run").exit_code, 0);
    assert!(
        fx.work_root()
            .join(format!("{}-{}-2", run.job, run.playbook))
            .is_dir()
    );
}
