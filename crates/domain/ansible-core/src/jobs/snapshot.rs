//! What a job runs, taken when it is queued: later edits of the playbooks or the inventory
//! do not change a job that waits or runs.

use crate::catalog::PlaybookId;
use std::fmt;

/// The inventory text and each rendered playbook, in the order the job runs them.
#[derive(Clone, PartialEq, Eq)]
pub struct JobSnapshot {
    /// The inventory as the user wrote it. It may hold passwords: it goes into a file of
    /// the job's directory and nowhere else.
    pub inventory: String,
    pub playbooks: Vec<PlaybookSnapshot>,
}

/// One playbook as it will run: its name at execute time and the rendered play.
#[derive(Clone, PartialEq, Eq)]
pub struct PlaybookSnapshot {
    pub id: PlaybookId,
    pub name: String,
    pub text: String,
}

impl fmt::Debug for JobSnapshot {
    /// Sizes only: the inventory may hold passwords, and Debug output ends up in logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JobSnapshot")
            .field("inventory_bytes", &self.inventory.len())
            .field("playbooks", &self.playbooks)
            .finish()
    }
}

impl fmt::Debug for PlaybookSnapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PlaybookSnapshot")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("text_bytes", &self.text.len())
            .finish()
    }
}
