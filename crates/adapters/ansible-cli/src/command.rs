//! The ansible-playbook command line and environment: paths only in argv, nothing
//! inherited but a few harmless variables, and every Ansible setting the hub relies on.

use crate::recap::{PLUGIN_NAME, RECAP_FILE_VAR};
use crate::strays::JOB_VAR;
use ansible_core::jobs::JobId;
use std::ffi::OsString;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Variables passed on from the hub's environment: where programs are, the locale, the
/// time zone, an ssh agent. Everything else is left behind, since the hub's environment
/// holds its own secrets (database URL, API keys) and ANSIBLE_* settings the run must not
/// take by accident.
const PASSED_ON: &[&str] = &["PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "SSH_AUTH_SOCK"];

/// Where a run's pieces are, all inside its directory.
#[derive(Debug)]
pub(crate) struct RunFiles {
    pub(crate) dir: PathBuf,
    pub(crate) inventory: PathBuf,
    pub(crate) playbook: PathBuf,
    pub(crate) extra_vars: PathBuf,
    pub(crate) callback_plugins: PathBuf,
    pub(crate) recap: PathBuf,
    pub(crate) home: PathBuf,
    pub(crate) local_temp: PathBuf,
    /// ssh's connection-sharing sockets: outside the job directory, whose path is too long
    /// for a Unix socket (about 107 bytes) under most data directories.
    pub(crate) ssh_control: PathBuf,
    /// What ssh checks host keys against: the job's trusted keys, or the runner's file.
    pub(crate) known_hosts: PathBuf,
}

/// `ansible-playbook -i <inventory> <playbook> -e @<extra-vars>`, in a process group of
/// its own, started directly (never through a shell). Its working directory is the job's,
/// and HOME too, so neither `./ansible.cfg` nor `~/.ansible.cfg` of anyone is read; the
/// system's `/etc/ansible/ansible.cfg` still is: that one is the operator's to set.
pub(crate) fn command(program: &Path, files: &RunFiles, job: &JobId) -> Command {
    let mut extra_vars = OsString::from("@");
    extra_vars.push(&files.extra_vars);
    let mut cmd = Command::new(program);
    cmd.arg("-i")
        .arg(&files.inventory)
        .arg(&files.playbook)
        .arg("-e")
        .arg(extra_vars)
        .current_dir(&files.dir)
        .process_group(0)
        .env_clear();
    for name in PASSED_ON {
        if let Some(value) = std::env::var_os(name) {
            cmd.env(name, value);
        }
    }
    cmd.envs([
        // Not a secret: how a later server finds this run's processes if this one is
        // killed outright (strays.rs).
        (JOB_VAR, OsString::from(job.as_str())),
        ("ANSIBLE_FORCE_COLOR", OsString::from("0")),
        ("ANSIBLE_NOCOLOR", OsString::from("1")),
        ("ANSIBLE_RETRY_FILES_ENABLED", OsString::from("0")),
        ("ANSIBLE_HOST_KEY_CHECKING", OsString::from("True")),
        (
            "ANSIBLE_SSH_ARGS",
            OsString::from(ssh_args(&files.known_hosts)),
        ),
        (
            "ANSIBLE_CALLBACK_PLUGINS",
            files.callback_plugins.clone().into(),
        ),
        ("ANSIBLE_CALLBACKS_ENABLED", OsString::from(PLUGIN_NAME)),
        (RECAP_FILE_VAR, files.recap.clone().into()),
        // Ansible's local temporary files, its ~/.ansible (ssh control sockets, caches,
        // galaxy), and a local connection's remote_tmp: all inside this run's directory,
        // so that nothing passes from one job to the next.
        ("HOME", files.home.clone().into()),
        ("ANSIBLE_LOCAL_TEMP", files.local_temp.clone().into()),
        (
            "ANSIBLE_SSH_CONTROL_PATH_DIR",
            files.ssh_control.clone().into(),
        ),
        // The inventory formats the hub parses and checks (ansible-syntax), and no other:
        // not `script` nor `auto`, which would run code or plugins an inventory names; and
        // an inventory ansible cannot parse fails the run instead of matching no host.
        ("ANSIBLE_INVENTORY_ENABLED", OsString::from("ini,yaml")),
        ("ANSIBLE_INVENTORY_UNPARSED_FAILED", OsString::from("True")),
        ("PYTHONUNBUFFERED", OsString::from("1")),
    ]);
    cmd
}

/// Ansible's usual ssh options (connection reuse) with the hub's known_hosts: host keys are
/// checked, a new host's key is learnt, a changed key refuses, and the user's own
/// `~/.ssh/known_hosts` is never read or written. Ansible splits this like a POSIX shell,
/// so the path is quoted.
fn ssh_args(known_hosts: &Path) -> String {
    format!(
        "-C -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile={} \
         -o StrictHostKeyChecking=accept-new",
        shell_quote(&known_hosts.to_string_lossy())
    )
}

/// One word for a POSIX-shell-like split (Python's shlex.split).
fn shell_quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r#"'"'"'"#))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_known_hosts_path_survives_ansibles_split() {
        let args = ssh_args(Path::new("/data dir/it's/known_hosts"));
        assert!(args.contains(r#"UserKnownHostsFile='/data dir/it'"'"'s/known_hosts'"#));
        assert!(args.ends_with("StrictHostKeyChecking=accept-new"));
    }
}
