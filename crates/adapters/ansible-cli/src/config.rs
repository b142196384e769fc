//! What the runner needs to know from the hub's settings.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// The program ansible-playbook is looked up as when no path is configured.
pub const DEFAULT_PROGRAM: &str = "ansible-playbook";

/// How long a killed run's process group gets between SIGTERM and SIGKILL.
pub const DEFAULT_KILL_GRACE: Duration = Duration::from_secs(2);

/// The runner's settings. The app fills them from `HUB_ANSIBLE_PLAYBOOK`,
/// `HUB_DATA_DIR` and `HUB_KEEP_JOB_DIRS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnsibleCliConfig {
    /// The ansible-playbook to start: a path, or a name looked up on `PATH`.
    pub program: PathBuf,
    /// Where each run's directory is made (`$HUB_DATA_DIR/jobs`); created 0700 if missing.
    pub work_root: PathBuf,
    /// Leave each run's directory behind (for debugging): it holds the inventory, so its
    /// passwords too, readable by the hub's user only.
    pub keep_job_dirs: bool,
    /// The hub's own known_hosts file (`$HUB_DATA_DIR/known_hosts`): ssh reads and extends
    /// it instead of the user's `~/.ssh/known_hosts`.
    pub known_hosts: PathBuf,
    /// Between SIGTERM and SIGKILL when a run is stopped.
    pub kill_grace: Duration,
}

impl AnsibleCliConfig {
    /// The defaults under the hub's data directory: `ansible-playbook` on `PATH`,
    /// `<data>/jobs`, `<data>/known_hosts`, directories removed after each run.
    pub fn under(data_dir: &Path) -> Self {
        Self {
            program: PathBuf::from(DEFAULT_PROGRAM),
            work_root: data_dir.join("jobs"),
            keep_job_dirs: false,
            known_hosts: data_dir.join("known_hosts"),
            kill_grace: DEFAULT_KILL_GRACE,
        }
    }
}
