//! What the end of a run means: a playbook's result from its process, a job's end, and
//! what each leaves in the catalogue.

use super::status::{JobStatus, PlaybookRunStatus};
use crate::catalog::RunStatus;
use std::collections::BTreeMap;

/// Why the reaper failed a job: its lease ran out, so the process that ran it is gone.
pub const SERVER_STOPPED: &str = "the server running this job stopped";

/// One host's line of Ansible's `PLAY RECAP`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HostStats {
    pub ok: u64,
    pub changed: u64,
    pub unreachable: u64,
    pub failed: u64,
    pub skipped: u64,
    pub rescued: u64,
    pub ignored: u64,
}

/// The recap of a run, by host name.
pub type HostStatsByHost = BTreeMap<String, HostStats>;

/// What a finished ansible-playbook process reported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlaybookResult {
    /// The exit status; a process killed by signal N reports 128 + N, as a shell does.
    pub exit_code: i32,
    pub host_stats: HostStatsByHost,
}

impl PlaybookResult {
    /// `success` iff the process exited 0. The exit code decides, not the recap: Ansible
    /// exits 0 when every failure was ignored or rescued, and non-zero for failed (2) or
    /// unreachable (4) hosts and for errors that leave no recap at all.
    pub fn status(&self) -> PlaybookRunStatus {
        if self.exit_code == 0 {
            PlaybookRunStatus::Success
        } else {
            PlaybookRunStatus::Failed
        }
    }
}

/// How a running job ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobEnd {
    /// Every playbook ran (each may have failed: a failing playbook does not stop the next).
    Completed,
    /// On request: the running playbook is `canceled`, the rest `skipped`.
    Canceled,
    /// The job could not go on, for the reason given: the running playbook is `failed`,
    /// the rest `skipped`, and the reason is written to the output.
    Failed(String),
}

/// What the job's output says about a cancel.
const CANCELED_NOTICE: &str = "the job was canceled on request";

impl JobEnd {
    pub fn status(&self) -> JobStatus {
        match self {
            JobEnd::Completed => JobStatus::Completed,
            JobEnd::Canceled => JobStatus::Canceled,
            JobEnd::Failed(_) => JobStatus::Failed,
        }
    }

    /// What becomes of a run that was still `running` when the job ended; queued runs are
    /// always `skipped`. `None` for `Completed`, which has no unfinished runs.
    pub fn interrupted(&self) -> Option<PlaybookRunStatus> {
        match self {
            JobEnd::Completed => None,
            JobEnd::Canceled => Some(PlaybookRunStatus::Canceled),
            JobEnd::Failed(_) => Some(PlaybookRunStatus::Failed),
        }
    }

    /// The line the end writes to the output of the playbook the job was at.
    pub fn notice(&self) -> Option<&str> {
        match self {
            JobEnd::Completed => None,
            JobEnd::Canceled => Some(CANCELED_NOTICE),
            JobEnd::Failed(reason) => Some(reason),
        }
    }
}

/// What a finished run leaves as the playbook's status in the catalogue (`Success`, or
/// `Fail` for a failed or canceled run). `None` for a run that never started or has not
/// ended: the catalogue keeps its last real result.
pub fn catalog_status(run: PlaybookRunStatus) -> Option<RunStatus> {
    match run {
        PlaybookRunStatus::Success => Some(RunStatus::Success),
        PlaybookRunStatus::Failed | PlaybookRunStatus::Canceled => Some(RunStatus::Fail),
        PlaybookRunStatus::Queued | PlaybookRunStatus::Running | PlaybookRunStatus::Skipped => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exit(code: i32) -> PlaybookResult {
        PlaybookResult {
            exit_code: code,
            host_stats: HostStatsByHost::new(),
        }
    }

    #[test]
    fn only_exit_zero_is_success() {
        assert_eq!(exit(0).status(), PlaybookRunStatus::Success);
        for code in [1, 2, 4, 8, 99, 137, -1] {
            assert_eq!(exit(code).status(), PlaybookRunStatus::Failed, "{code}");
        }
        // Failures in the recap do not make an exit 0 fail (ignore_errors, rescue).
        let mut ignored = exit(0);
        ignored.host_stats.insert(
            "web1".into(),
            HostStats {
                failed: 0,
                ignored: 2,
                rescued: 1,
                ..HostStats::default()
            },
        );
        assert_eq!(ignored.status(), PlaybookRunStatus::Success);
    }

    #[test]
    fn an_end_says_what_becomes_of_the_running_playbook() {
        let failed = JobEnd::Failed(SERVER_STOPPED.to_owned());
        assert_eq!(
            (failed.status(), failed.interrupted(), failed.notice()),
            (
                JobStatus::Failed,
                Some(PlaybookRunStatus::Failed),
                Some(SERVER_STOPPED)
            )
        );
        assert_eq!(
            (JobEnd::Canceled.status(), JobEnd::Canceled.interrupted()),
            (JobStatus::Canceled, Some(PlaybookRunStatus::Canceled))
        );
        assert_eq!(
            (JobEnd::Completed.interrupted(), JobEnd::Completed.notice()),
            (None, None)
        );
    }

    #[test]
    fn the_catalogue_keeps_real_results_only() {
        use PlaybookRunStatus::*;
        let got: Vec<_> = PlaybookRunStatus::ALL
            .into_iter()
            .map(catalog_status)
            .collect();
        assert_eq!(
            got,
            vec![
                None,
                None,
                Some(RunStatus::Success),
                Some(RunStatus::Fail),
                Some(RunStatus::Fail),
                None
            ]
        );
        assert_eq!(catalog_status(Skipped), None);
    }
}
