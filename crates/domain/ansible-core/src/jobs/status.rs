//! The two lifecycles, written down once: a job's and each of its playbook runs'. Every
//! store moves a job only through these functions, so no adapter can invent a transition.

use crate::catalog::PlaybookId;
use std::fmt;

/// `queued → running → completed | failed | canceled`; a queued job may also be canceled
/// before it runs. Finished states are final: a job is never re-run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobStatus {
    Queued,
    Running,
    /// Every playbook ran, whatever each one's result.
    Completed,
    /// The job could not run to its end: the runner is missing, the server running it
    /// stopped, the time limit passed.
    Failed,
    Canceled,
}

impl JobStatus {
    pub const ALL: [JobStatus; 5] = [
        JobStatus::Queued,
        JobStatus::Running,
        JobStatus::Completed,
        JobStatus::Failed,
        JobStatus::Canceled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Completed => "completed",
            JobStatus::Failed => "failed",
            JobStatus::Canceled => "canceled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub fn is_finished(self) -> bool {
        matches!(
            self,
            JobStatus::Completed | JobStatus::Failed | JobStatus::Canceled
        )
    }

    /// `next`, when a job in this state may move there.
    pub fn transition(self, next: JobStatus) -> Result<JobStatus, IllegalTransition> {
        use JobStatus::*;
        match (self, next) {
            (Queued, Running | Canceled) | (Running, Completed | Failed | Canceled) => Ok(next),
            _ => Err(IllegalTransition::Job {
                from: self,
                to: next,
            }),
        }
    }
}

/// One playbook's run within a job: `queued → running → success | failed | canceled`, or
/// `queued → skipped` when the job ended before reaching it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaybookRunStatus {
    Queued,
    Running,
    Success,
    Failed,
    Canceled,
    Skipped,
}

impl PlaybookRunStatus {
    pub const ALL: [PlaybookRunStatus; 6] = [
        PlaybookRunStatus::Queued,
        PlaybookRunStatus::Running,
        PlaybookRunStatus::Success,
        PlaybookRunStatus::Failed,
        PlaybookRunStatus::Canceled,
        PlaybookRunStatus::Skipped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PlaybookRunStatus::Queued => "queued",
            PlaybookRunStatus::Running => "running",
            PlaybookRunStatus::Success => "success",
            PlaybookRunStatus::Failed => "failed",
            PlaybookRunStatus::Canceled => "canceled",
            PlaybookRunStatus::Skipped => "skipped",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// Whether the run is over (its output is complete).
    pub fn is_finished(self) -> bool {
        !matches!(self, PlaybookRunStatus::Queued | PlaybookRunStatus::Running)
    }

    /// `next`, when a run in this state may move there.
    pub fn transition(
        self,
        playbook: PlaybookId,
        next: PlaybookRunStatus,
    ) -> Result<PlaybookRunStatus, IllegalTransition> {
        use PlaybookRunStatus::*;
        match (self, next) {
            (Queued, Running | Skipped) | (Running, Success | Failed | Canceled) => Ok(next),
            _ => Err(IllegalTransition::Playbook {
                playbook,
                from: self,
                to: next,
            }),
        }
    }
}

impl fmt::Display for JobStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for PlaybookRunStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A write the job's state does not allow; a store answering it changed nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IllegalTransition {
    #[error("a {from} job cannot become {to}")]
    Job { from: JobStatus, to: JobStatus },
    #[error("playbook {playbook}: a {from} run cannot become {to}")]
    Playbook {
        playbook: PlaybookId,
        from: PlaybookRunStatus,
        to: PlaybookRunStatus,
    },
    #[error("playbook {0} is not part of the job")]
    NotInJob(PlaybookId),
    /// Output comes only while the playbook runs.
    #[error("playbook {0} is not running, so it takes no output")]
    NotRunning(PlaybookId),
    /// `completed` means every playbook ran.
    #[error("playbook {0} has not finished, so the job cannot complete")]
    Unfinished(PlaybookId),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_transitions_are_exactly_the_lifecycle() {
        use JobStatus::*;
        let legal = [
            (Queued, Running),
            (Queued, Canceled),
            (Running, Completed),
            (Running, Failed),
            (Running, Canceled),
        ];
        for from in JobStatus::ALL {
            for to in JobStatus::ALL {
                let expected = legal.contains(&(from, to));
                assert_eq!(from.transition(to).is_ok(), expected, "{from} → {to}");
            }
        }
        assert_eq!(
            Completed.transition(Running).map_err(|e| e.to_string()),
            Err("a completed job cannot become running".to_owned())
        );
        assert!(
            JobStatus::ALL
                .iter()
                .all(|s| s.is_finished() == !matches!(s, Queued | Running)
                    && JobStatus::parse(s.as_str()) == Some(*s))
        );
    }

    #[test]
    fn run_transitions_are_exactly_the_lifecycle() {
        use PlaybookRunStatus::*;
        let legal = [
            (Queued, Running),
            (Queued, Skipped),
            (Running, Success),
            (Running, Failed),
            (Running, Canceled),
        ];
        for from in PlaybookRunStatus::ALL {
            for to in PlaybookRunStatus::ALL {
                let expected = legal.contains(&(from, to));
                let got = from.transition(PlaybookId(7), to);
                assert_eq!(got.is_ok(), expected, "{from} → {to}");
            }
            assert_eq!(PlaybookRunStatus::parse(from.as_str()), Some(from));
        }
        assert_eq!(
            Success
                .transition(PlaybookId(7), Running)
                .map_err(|e| e.to_string()),
            Err("playbook 7: a success run cannot become running".to_owned())
        );
    }
}
