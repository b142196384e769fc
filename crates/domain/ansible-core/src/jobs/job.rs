//! The job record and its lifecycle. Stores apply these methods (the memory store on its
//! records, a SQL store on the row it read in its transaction), so every adapter moves a
//! job the same way; a method that refuses changes nothing.

use super::extra_vars::ExtraVars;
use super::id::{JobId, WorkerId};
use super::recap::{HostStatsByHost, JobEnd, PlaybookResult};
use super::snapshot::JobSnapshot;
use super::status::{IllegalTransition, JobStatus, PlaybookRunStatus};
use crate::catalog::{InventoryId, PlaybookId};
use chrono::{DateTime, TimeDelta, Utc};

/// Who runs a job, and until when the others must assume so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub worker: WorkerId,
    pub expires_at: DateTime<Utc>,
}

/// One playbook of a job and how its run went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaybookRun {
    pub playbook: PlaybookId,
    /// The playbook's name when the job was queued.
    pub name: String,
    pub status: PlaybookRunStatus,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    /// Set when the process exited; none for a run that was canceled or never ran.
    pub exit_code: Option<i32>,
    pub host_stats: HostStatsByHost,
    /// The bytes of output stored so far, the truncation marker and notices included.
    pub output_bytes: u64,
    /// The output reached the cap: what came after it was dropped.
    pub output_truncated: bool,
}

/// A job: playbooks to run, in order, against one inventory.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: JobId,
    pub inventory: InventoryId,
    pub status: JobStatus,
    pub playbooks: Vec<PlaybookRun>,
    pub extra_vars: ExtraVars,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    /// Held while running; gone once the job ends.
    pub lease: Option<Lease>,
    /// A cancel was asked for while the job ran; its worker stops it.
    pub cancel_requested: bool,
}

/// A job to queue, with what it runs: the playbooks of the snapshot, in its order.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    pub id: JobId,
    pub inventory: InventoryId,
    pub extra_vars: ExtraVars,
    pub snapshot: JobSnapshot,
    pub created_at: DateTime<Utc>,
}

impl NewJob {
    /// The record the job starts as: queued, every playbook queued.
    pub fn queued(&self) -> Job {
        let playbooks = self
            .snapshot
            .playbooks
            .iter()
            .map(|p| PlaybookRun {
                playbook: p.id,
                name: p.name.clone(),
                status: PlaybookRunStatus::Queued,
                started_at: None,
                completed_at: None,
                exit_code: None,
                host_stats: HostStatsByHost::new(),
                output_bytes: 0,
                output_truncated: false,
            })
            .collect();
        Job {
            id: self.id.clone(),
            inventory: self.inventory,
            status: JobStatus::Queued,
            playbooks,
            extra_vars: self.extra_vars.clone(),
            created_at: self.created_at,
            started_at: None,
            completed_at: None,
            lease: None,
            cancel_requested: false,
        }
    }
}

/// What a cancel request did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelEffect {
    /// The job was queued: it is canceled now and will never run.
    Canceled,
    /// The job runs: its worker will stop it.
    Requested,
}

/// A line an ending writes to one playbook's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub playbook: PlaybookId,
    pub message: String,
}

impl Job {
    pub fn run(&self, playbook: PlaybookId) -> Option<&PlaybookRun> {
        self.playbooks.iter().find(|r| r.playbook == playbook)
    }

    pub fn run_mut(&mut self, playbook: PlaybookId) -> Option<&mut PlaybookRun> {
        self.playbooks.iter_mut().find(|r| r.playbook == playbook)
    }

    fn run_in_job(&mut self, playbook: PlaybookId) -> Result<&mut PlaybookRun, IllegalTransition> {
        self.run_mut(playbook)
            .ok_or(IllegalTransition::NotInJob(playbook))
    }

    /// Whether `worker` holds the lease of this running job: the condition of every write a
    /// worker makes, so that a worker whose job was reaped cannot write to it.
    pub fn held_by(&self, worker: &WorkerId) -> bool {
        self.status == JobStatus::Running
            && self.lease.as_ref().is_some_and(|l| &l.worker == worker)
    }

    /// Whether the job runs under a lease that ended before `now`: its worker is gone.
    pub fn lease_expired(&self, now: DateTime<Utc>) -> bool {
        self.status == JobStatus::Running && self.lease.as_ref().is_none_or(|l| l.expires_at < now)
    }

    /// Whether the job keeps `inventory` from being deleted: it waits or runs on it.
    pub fn uses_inventory(&self, inventory: InventoryId) -> bool {
        self.inventory == inventory && !self.status.is_finished()
    }

    /// A worker takes the queued job: running from `now`, leased until `now + lease`.
    pub fn claim(
        &mut self,
        worker: &WorkerId,
        now: DateTime<Utc>,
        lease: TimeDelta,
    ) -> Result<(), IllegalTransition> {
        self.status = self.status.transition(JobStatus::Running)?;
        self.started_at = Some(now);
        self.lease = Some(Lease {
            worker: worker.clone(),
            expires_at: now + lease,
        });
        Ok(())
    }

    /// The holder extends its lease to `now + lease`; `false` (and no change) when `worker`
    /// does not hold it.
    pub fn renew(&mut self, worker: &WorkerId, now: DateTime<Utc>, lease: TimeDelta) -> bool {
        if !self.held_by(worker) {
            return false;
        }
        self.lease = Some(Lease {
            worker: worker.clone(),
            expires_at: now + lease,
        });
        true
    }

    pub fn start_playbook(
        &mut self,
        playbook: PlaybookId,
        at: DateTime<Utc>,
    ) -> Result<(), IllegalTransition> {
        let run = self.run_in_job(playbook)?;
        run.status = run
            .status
            .transition(playbook, PlaybookRunStatus::Running)?;
        run.started_at = Some(at);
        Ok(())
    }

    /// Records the process's result; the run's status is what the result means
    /// ([`PlaybookResult::status`]).
    pub fn finish_playbook(
        &mut self,
        playbook: PlaybookId,
        result: &PlaybookResult,
        at: DateTime<Utc>,
    ) -> Result<PlaybookRunStatus, IllegalTransition> {
        let run = self.run_in_job(playbook)?;
        run.status = run.status.transition(playbook, result.status())?;
        run.completed_at = Some(at);
        run.exit_code = Some(result.exit_code);
        run.host_stats = result.host_stats.clone();
        Ok(run.status)
    }

    /// A queued job is canceled at once (every playbook `skipped`); a running one is marked
    /// for its worker. `Err` with the status of a finished job, which cannot be canceled.
    pub fn cancel(&mut self, at: DateTime<Utc>) -> Result<CancelEffect, JobStatus> {
        match self.status {
            JobStatus::Queued => {
                self.status = JobStatus::Canceled;
                self.completed_at = Some(at);
                for run in &mut self.playbooks {
                    run.status = PlaybookRunStatus::Skipped;
                }
                Ok(CancelEffect::Canceled)
            }
            JobStatus::Running => {
                self.cancel_requested = true;
                Ok(CancelEffect::Requested)
            }
            finished => Err(finished),
        }
    }

    /// The playbook the job is at: the running one, else the next to run, else the last.
    /// An ending's notice goes to its output.
    pub fn position(&self) -> Option<PlaybookId> {
        let at = |s| self.playbooks.iter().find(|r| r.status == s);
        at(PlaybookRunStatus::Running)
            .or_else(|| at(PlaybookRunStatus::Queued))
            .or(self.playbooks.last())
            .map(|r| r.playbook)
    }

    /// Ends a running job: the playbook it was at becomes what the end makes of it and the
    /// rest `skipped` (see [`JobEnd`]); the lease is released. Returns the notice the store
    /// appends to that playbook's output, whatever the cap.
    pub fn end(
        &mut self,
        end: &JobEnd,
        at: DateTime<Utc>,
    ) -> Result<Option<Notice>, IllegalTransition> {
        let status = self.status.transition(end.status())?;
        let interrupted = end.interrupted();
        if interrupted.is_none() {
            // `completed` means every playbook ran.
            if let Some(unfinished) = self.playbooks.iter().find(|r| !r.status.is_finished()) {
                return Err(IllegalTransition::Unfinished(unfinished.playbook));
            }
        }
        let notice = end.notice().and_then(|message| {
            self.position().map(|playbook| Notice {
                playbook,
                message: message.to_owned(),
            })
        });
        for run in &mut self.playbooks {
            match run.status {
                PlaybookRunStatus::Running => {
                    if let Some(interrupted) = interrupted {
                        run.status = interrupted;
                        run.completed_at = Some(at);
                    }
                }
                PlaybookRunStatus::Queued => run.status = PlaybookRunStatus::Skipped,
                _ => {}
            }
        }
        self.status = status;
        self.completed_at = Some(at);
        self.lease = None;
        Ok(notice)
    }
}

#[cfg(test)]
#[path = "job_tests.rs"]
mod tests;
