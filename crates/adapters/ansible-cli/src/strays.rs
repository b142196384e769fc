//! What a server killed outright (SIGKILL, the OOM killer) leaves of its runs: the
//! process group it could not stop, and the run's directory with the inventory in it.
//! Every process of a run carries the job's id in its environment ([`JOB_VAR`]), which its
//! children inherit (ansible's workers, the modules, a `sleep`, an ssh, even one that left
//! the group), so they are found in `/proc` whoever their parent is now; directories are
//! found by their names under the work root.

use ansible_core::jobs::JobId;
use nix::errno::Errno;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

/// The environment variable naming the job a process runs for.
pub(crate) const JOB_VAR: &str = "CONTROL_HUB_JOB";

/// How long killed strays may take to vanish.
const VANISH: Duration = Duration::from_secs(2);
const POLL: Duration = Duration::from_millis(20);
/// `job-` and 32 hex digits.
const JOB_ID_LEN: usize = 36;

/// The processes of this machine that run for a job, with their jobs. Processes of other
/// users cannot be read and are not ours; a process gone between the listing and the
/// reading is skipped; a zombie has no environment left and is not listed.
fn marked_processes() -> io::Result<Vec<(Pid, JobId)>> {
    let own = std::process::id();
    let mut found = Vec::new();
    for entry in fs::read_dir("/proc")?.flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == own {
            continue;
        }
        let environ = match fs::read(entry.path().join("environ")) {
            Ok(bytes) => bytes,
            Err(_) => continue,
        };
        if let Some(job) = job_in_environ(&environ)
            && let Ok(raw) = i32::try_from(pid)
        {
            found.push((Pid::from_raw(raw), job));
        }
    }
    Ok(found)
}

/// The job named in a `/proc/<pid>/environ` (NUL-separated `NAME=value`), if any.
fn job_in_environ(environ: &[u8]) -> Option<JobId> {
    let prefix = format!("{JOB_VAR}=");
    environ
        .split(|&b| b == 0)
        .find_map(|entry| entry.strip_prefix(prefix.as_bytes()))
        .and_then(|value| std::str::from_utf8(value).ok())
        .and_then(JobId::parse)
}

/// The job whose run made a directory named `<job>-<playbook>` (or `…-<n>`).
fn job_of_dir(name: &str) -> Option<JobId> {
    let (job, rest) = (name.get(..JOB_ID_LEN)?, name.get(JOB_ID_LEN..)?);
    rest.starts_with('-').then(|| JobId::parse(job)).flatten()
}

/// The jobs with a process here, and (unless directories are kept on purpose) those
/// with a directory under `work_root`.
pub(crate) fn jobs_left(work_root: &Path, dirs_kept: bool) -> io::Result<Vec<JobId>> {
    let mut jobs: BTreeSet<JobId> = marked_processes()?.into_iter().map(|(_, j)| j).collect();
    if !dirs_kept {
        match fs::read_dir(work_root) {
            Ok(entries) => jobs.extend(
                entries
                    .flatten()
                    .filter_map(|e| e.file_name().to_str().and_then(job_of_dir)),
            ),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(jobs.into_iter().collect())
}

/// SIGKILLs every process of `job`'s runs until none is left (a dying ansible may still
/// fork: the children carry the mark too), then removes its directories unless kept.
/// Returns how many processes were killed.
pub(crate) fn end(job: &JobId, work_root: &Path, dirs_kept: bool) -> io::Result<usize> {
    let mut killed = BTreeSet::new();
    let until = Instant::now() + VANISH;
    loop {
        let left: Vec<Pid> = marked_processes()?
            .into_iter()
            .filter(|(_, j)| j == job)
            .map(|(pid, _)| pid)
            .collect();
        if left.is_empty() {
            break;
        }
        if Instant::now() >= until {
            return Err(io::Error::other(format!(
                "{} processes of {job} still run after SIGKILL",
                left.len()
            )));
        }
        for pid in left {
            match kill(pid, Signal::SIGKILL) {
                Ok(()) | Err(Errno::ESRCH) => {
                    killed.insert(pid);
                }
                Err(e) => return Err(io::Error::other(format!("killing {pid}: {e}"))),
            }
        }
        thread::sleep(POLL);
    }
    if !dirs_kept {
        remove_dirs(job, work_root)?;
    }
    Ok(killed.len())
}

fn remove_dirs(job: &JobId, work_root: &Path) -> io::Result<()> {
    let entries = match fs::read_dir(work_root) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries.flatten() {
        let ours = entry
            .file_name()
            .to_str()
            .and_then(job_of_dir)
            .is_some_and(|j| &j == job);
        if ours {
            fs::remove_dir_all(entry.path())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_job_is_read_from_an_environment_block() {
        let job = JobId::generate();
        let environ = format!("PATH=/bin\0{JOB_VAR}={job}\0HOME=/x\0");
        assert_eq!(job_in_environ(environ.as_bytes()), Some(job));
        assert_eq!(job_in_environ(b"PATH=/bin\0"), None);
        let forged = format!("{JOB_VAR}=job-not-an-id\0");
        assert_eq!(job_in_environ(forged.as_bytes()), None);
        let suffix = format!("X_{JOB_VAR}=job-0\0");
        assert_eq!(job_in_environ(suffix.as_bytes()), None);
    }

    #[test]
    fn run_directories_name_their_job() {
        let job = JobId::generate();
        assert_eq!(job.as_str().len(), JOB_ID_LEN);
        assert_eq!(job_of_dir(&format!("{job}-7")), Some(job.clone()));
        assert_eq!(job_of_dir(&format!("{job}-7-2")), Some(job.clone()));
        assert_eq!(job_of_dir(job.as_str()), None);
        assert_eq!(job_of_dir("known_hosts"), None);
        assert_eq!(job_of_dir(&format!("{job}x7")), None);
    }
}
