//! The catalogue's storage ports. Each call is atomic. Common to every method:
//! [`StoreError::Unavailable`] when the store itself fails.

use super::error::StoreError;
use super::inventory::{Inventory, InventoryDraft, InventoryId, PowerStatus, SshStatus};
use super::page::{Page, PageRequest};
use super::playbook::{Playbook, PlaybookDraft, PlaybookId, PlaybookKind, RunStatus};
use chrono::{DateTime, Utc};

/// A list of inventories: a case-insensitive substring of the name, and a page.
#[derive(Debug, Clone, PartialEq)]
pub struct InventoryQuery {
    pub search: Option<String>,
    pub page: PageRequest,
}

/// A list of playbooks: name substring (ignoring case), type, last-run status, page.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaybookQuery {
    pub search: Option<String>,
    pub kind: Option<PlaybookKind>,
    pub status: Option<RunStatus>,
    pub page: PageRequest,
}

pub trait InventoryRepository: Send + Sync {
    /// Stores a new inventory, `Off` and `Unconnected`, with an id from the store's sequence.
    /// Errors: [`StoreError::Duplicate`] when the name is taken.
    fn create_inventory(&self, draft: &InventoryDraft) -> Result<Inventory, StoreError>;

    fn get_inventory(&self, id: InventoryId) -> Result<Option<Inventory>, StoreError>;

    /// One page of the matching inventories in creation order, and how many match.
    fn list_inventories(&self, query: &InventoryQuery) -> Result<Page<Inventory>, StoreError>;

    /// Replaces name, group and config, keeping the SSH test results. `Ok(None)` when absent.
    /// Errors: [`StoreError::Duplicate`] when another inventory has the name.
    fn update_inventory(
        &self,
        id: InventoryId,
        draft: &InventoryDraft,
    ) -> Result<Option<Inventory>, StoreError>;

    /// `Ok(false)` when absent. Errors: [`StoreError::InUse`] while a queued or running job
    /// uses the inventory.
    fn delete_inventory(&self, id: InventoryId) -> Result<bool, StoreError>;
}

pub trait PlaybookRepository: Send + Sync {
    /// Stores a new playbook, `Not start`, numbering its tasks 1, 2, … in order.
    /// Errors: [`StoreError::Duplicate`] when the name is taken.
    fn create_playbook(&self, draft: &PlaybookDraft) -> Result<Playbook, StoreError>;

    fn get_playbook(&self, id: PlaybookId) -> Result<Option<Playbook>, StoreError>;

    /// One page of the matching playbooks in creation order, and how many match.
    fn list_playbooks(&self, query: &PlaybookQuery) -> Result<Page<Playbook>, StoreError>;

    /// Replaces name, type, main and tasks, keeping the run status. Task ids the draft sends
    /// are kept; new tasks get ids past every id the playbook ever used
    /// ([`assign_task_ids`](super::assign_task_ids)). `Ok(None)` when absent.
    /// Errors: [`StoreError::Duplicate`] when another playbook has the name.
    fn update_playbook(
        &self,
        id: PlaybookId,
        draft: &PlaybookDraft,
    ) -> Result<Option<Playbook>, StoreError>;

    /// `Ok(false)` when absent.
    fn delete_playbook(&self, id: PlaybookId) -> Result<bool, StoreError>;
}

/// The catalogue's copy of each playbook's last run (`status`, `lastRunAt`), which the jobs
/// write as runs end. A port of its own, apart from [`PlaybookRepository`], so that a store
/// can serve the catalogue before it serves jobs.
pub trait PlaybookRunRecorder: Send + Sync {
    /// Makes `status` (`Success` or `Fail`) and `at` the playbook's last run, unless a run
    /// that ended later is recorded already (the runs of two jobs may end in either order).
    /// `updated_at` stays: a run is no edit. `Ok(false)` when the playbook is absent
    /// (deleted since the job was queued).
    fn record_run(
        &self,
        id: PlaybookId,
        status: RunStatus,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
}

/// The catalogue's copy of each inventory's last SSH test (`status`, `sshStatus`,
/// `lastTestedAt`), which the connectivity test writes. A port of its own, like
/// [`PlaybookRunRecorder`].
pub trait SshTestRecorder: Send + Sync {
    /// Makes `power`, `ssh` and `at` the inventory's last test, unless a test that ended
    /// later is recorded already (two tests may end in either order). `updated_at` stays:
    /// a test is no edit. `Ok(false)` when the inventory is absent (deleted meanwhile).
    fn record_ssh_test(
        &self,
        id: InventoryId,
        power: PowerStatus,
        ssh: SshStatus,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
}

/// A store of the whole catalogue.
pub trait CatalogStore: InventoryRepository + PlaybookRepository + Clone + 'static {}

impl<T: InventoryRepository + PlaybookRepository + Clone + 'static> CatalogStore for T {}
