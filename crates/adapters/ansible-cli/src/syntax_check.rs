//! The syntax-check port ([`ansible_core::catalog::PlaybookSyntaxCheck`]) on
//! `ansible-playbook --syntax-check`: the playbook in a private directory of its own
//! (0700, removed afterwards), no shell, an environment built from scratch, its own
//! process group killed whole when it outlives its time.

use ansible_core::catalog::{PlaybookSyntaxCheck, SyntaxCheckError};
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use std::fs::{DirBuilder, File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Variables passed on from the hub's environment (the runner's list, for the same
/// reason: the hub's environment holds its own secrets, such as the LLM API key).
const PASSED_ON: &[&str] = &["PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ"];

/// The most of Ansible's complaint kept as the reason.
const MAX_REASON_CHARS: usize = 2000;

/// How often a running check is polled for its end.
const POLL: Duration = Duration::from_millis(20);

/// `ansible-playbook --syntax-check` with a time bound.
#[derive(Debug, Clone)]
pub struct AnsibleSyntaxCheck {
    program: PathBuf,
    timeout: Duration,
    temp_root: PathBuf,
}

impl AnsibleSyntaxCheck {
    /// Checks with `program` (a path, or a name looked up on `PATH`), each check given at
    /// most `timeout`, in directories under the system's temporary directory.
    pub fn new(program: impl Into<PathBuf>, timeout: Duration) -> Self {
        Self {
            program: program.into(),
            timeout,
            temp_root: std::env::temp_dir(),
        }
    }
}

/// A directory only the hub's user can enter, removed with everything in it on drop.
struct PrivateDir(PathBuf);

impl PrivateDir {
    fn create(root: &Path) -> std::io::Result<Self> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        loop {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let name = format!(
                "hub-syntax-{}-{}-{nanos}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            );
            let path = root.join(name);
            match DirBuilder::new().mode(0o700).create(&path) {
                Ok(()) => return Ok(Self(path)),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    fn file(&self, name: &str) -> std::io::Result<(PathBuf, File)> {
        let path = self.0.join(name);
        let file = OpenOptions::new()
            .write(true)
            .read(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)?;
        Ok((path, file))
    }
}

impl Drop for PrivateDir {
    fn drop(&mut self) {
        // A leftover directory holds only a playbook the model suggested; nothing to do
        // about a failure but leave it.
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn failed(what: &str, e: impl std::fmt::Display) -> SyntaxCheckError {
    SyntaxCheckError::Failed(format!("{what}: {e}"))
}

impl AnsibleSyntaxCheck {
    fn command(
        &self,
        dir: &PrivateDir,
        playbook: &Path,
        output: &File,
    ) -> std::io::Result<Command> {
        let mut cmd = Command::new(&self.program);
        // A host list given inline (`localhost,`) spares an inventory file; the check
        // never connects to it.
        cmd.arg("--syntax-check")
            .arg("-i")
            .arg("localhost,")
            .arg(playbook)
            .current_dir(&dir.0)
            .process_group(0)
            .env_clear()
            .stdin(Stdio::null())
            .stdout(output.try_clone()?)
            .stderr(output.try_clone()?);
        for name in PASSED_ON {
            if let Some(value) = std::env::var_os(name) {
                cmd.env(name, value);
            }
        }
        cmd.envs([
            ("HOME", dir.0.clone().into_os_string()),
            ("ANSIBLE_LOCAL_TEMP", dir.0.join("tmp").into_os_string()),
            ("ANSIBLE_NOCOLOR", "1".into()),
            ("ANSIBLE_FORCE_COLOR", "0".into()),
            ("ANSIBLE_RETRY_FILES_ENABLED", "0".into()),
        ]);
        Ok(cmd)
    }

    /// Waits for the check, killing its whole group once the time is up.
    fn wait(&self, mut child: Child) -> Result<bool, SyntaxCheckError> {
        let deadline = Instant::now() + self.timeout;
        loop {
            match child.try_wait() {
                Ok(Some(status)) => return Ok(status.success()),
                Ok(None) if Instant::now() < deadline => std::thread::sleep(POLL),
                Ok(None) => {
                    let group = i32::try_from(child.id()).map(Pid::from_raw);
                    if let Ok(group) = group {
                        let _ = killpg(group, Signal::SIGKILL);
                    }
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(SyntaxCheckError::Failed(format!(
                        "no answer within {} s",
                        self.timeout.as_secs_f32()
                    )));
                }
                Err(e) => return Err(failed("waiting for ansible-playbook", e)),
            }
        }
    }
}

/// Ansible's complaint, without the blank lines and within [`MAX_REASON_CHARS`].
fn reason(mut output: File) -> String {
    let mut text = String::new();
    let mut bytes = Vec::new();
    if output.read_to_end(&mut bytes).is_ok() {
        text = String::from_utf8_lossy(&bytes).into_owned();
    }
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let joined = lines.join("\n");
    let mut kept: String = joined.chars().take(MAX_REASON_CHARS).collect();
    if kept.len() < joined.len() {
        kept.push('…');
    }
    if kept.is_empty() {
        "ansible-playbook exited non-zero without a message".to_owned()
    } else {
        kept
    }
}

impl PlaybookSyntaxCheck for AnsibleSyntaxCheck {
    fn check(&self, rendered_playbook: &str) -> Result<(), SyntaxCheckError> {
        let dir = PrivateDir::create(&self.temp_root)
            .map_err(|e| failed("creating a private directory", e))?;
        let (playbook, mut file) = dir
            .file("playbook.yml")
            .map_err(|e| failed("writing the playbook", e))?;
        file.write_all(rendered_playbook.as_bytes())
            .map_err(|e| failed("writing the playbook", e))?;
        drop(file);
        let (output_path, output) = dir
            .file("output.txt")
            .map_err(|e| failed("creating the output file", e))?;
        let child = self
            .command(&dir, &playbook, &output)
            .map_err(|e| failed("preparing ansible-playbook", e))?
            .spawn();
        let child = match child {
            Ok(child) => child,
            Err(e) if e.kind() == ErrorKind::NotFound => {
                return Err(SyntaxCheckError::NotInstalled(format!(
                    "{} not found (set HUB_ANSIBLE_PLAYBOOK or put it on PATH)",
                    self.program.display()
                )));
            }
            Err(e) => return Err(failed("starting ansible-playbook", e)),
        };
        if self.wait(child)? {
            return Ok(());
        }
        let output = File::open(&output_path).map_err(|e| failed("reading the output", e))?;
        Err(SyntaxCheckError::Rejected(reason(output)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ansible() -> Option<AnsibleSyntaxCheck> {
        let found = Command::new("ansible-playbook")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if !found.is_ok_and(|s| s.success()) {
            hub_testkit::unavailable("HUB_REQUIRE_ANSIBLE", "ansible-playbook", "not on PATH");
            return None;
        }
        Some(AnsibleSyntaxCheck::new(
            "ansible-playbook",
            Duration::from_secs(60),
        ))
    }

    const GOOD: &str = "---\n- name: \"p\"\n  hosts: \"all\"\n  gather_facts: false\n  tasks:\n    - name: \"hi\"\n      ansible.builtin.debug:\n        msg: \"hi\"\n";

    #[test]
    fn a_good_play_passes_and_a_bad_one_is_rejected_with_ansibles_reason() {
        let Some(check) = ansible() else { return };
        assert_eq!(check.check(GOOD), Ok(()));
        let unknown = GOOD.replace("ansible.builtin.debug", "no_such_module_anywhere");
        match check.check(&unknown) {
            Err(SyntaxCheckError::Rejected(why)) => {
                assert!(why.contains("no_such_module_anywhere"), "{why}")
            }
            other => panic!("expected a rejection, got {other:?}"),
        }
    }

    #[test]
    fn a_missing_program_is_not_installed() {
        let check =
            AnsibleSyntaxCheck::new("/nonexistent/ansible-playbook", Duration::from_secs(5));
        assert!(matches!(
            check.check(GOOD),
            Err(SyntaxCheckError::NotInstalled(_))
        ));
    }

    #[test]
    fn a_check_that_hangs_is_killed_at_its_time() {
        let dir = tempfile::tempdir().expect("a directory");
        let script = dir.path().join("slow");
        std::fs::write(&script, "#!/bin/sh\nsleep 30\n").expect("script");
        std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .expect("executable");
        let check = AnsibleSyntaxCheck::new(&script, Duration::from_millis(300));
        let started = Instant::now();
        assert!(matches!(
            check.check(GOOD),
            Err(SyntaxCheckError::Failed(_))
        ));
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
