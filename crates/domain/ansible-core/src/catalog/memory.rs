//! The catalogue kept in memory, for embedding and for tests; one mutex makes every call
//! atomic, and names are unique as in the SQL stores.

use super::error::StoreError;
use super::inventory::{Inventory, InventoryDraft, InventoryId, PowerStatus, SshStatus};
use super::page::{Page, name_matches};
use super::playbook::{Playbook, PlaybookDraft, PlaybookId, RunStatus, assign_task_ids};
use super::ports::{
    InventoryQuery, InventoryRepository, PlaybookQuery, PlaybookRepository, PlaybookRunRecorder,
    SshTestRecorder,
};
use chrono::{DateTime, SubsecRound, Utc};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Debug, Default)]
struct State {
    inventories: BTreeMap<InventoryId, Inventory>,
    playbooks: BTreeMap<PlaybookId, (Playbook, i64)>,
    last_inventory: i64,
    last_playbook: i64,
}

/// Clones share the same catalogue.
#[derive(Debug, Clone, Default)]
pub struct MemoryCatalog {
    state: Arc<Mutex<State>>,
}

impl MemoryCatalog {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> Result<MutexGuard<'_, State>, StoreError> {
        self.state
            .lock()
            .map_err(|_| StoreError::Unavailable("memory catalogue lock poisoned".to_owned()))
    }
}

fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

fn page<T: Clone>(matching: Vec<&T>, page: super::PageRequest) -> Page<T> {
    let total = matching.len() as u64;
    let skip = usize::try_from(page.offset()).unwrap_or(usize::MAX);
    let take = usize::try_from(page.limit()).unwrap_or(usize::MAX);
    Page {
        items: matching
            .into_iter()
            .skip(skip)
            .take(take)
            .cloned()
            .collect(),
        total,
    }
}

impl InventoryRepository for MemoryCatalog {
    fn create_inventory(&self, draft: &InventoryDraft) -> Result<Inventory, StoreError> {
        let mut state = self.lock()?;
        if state.inventories.values().any(|i| i.name == draft.name) {
            return Err(StoreError::Duplicate);
        }
        state.last_inventory += 1;
        let at = now();
        let inventory = Inventory {
            id: InventoryId(state.last_inventory),
            name: draft.name.clone(),
            group: draft.group.clone(),
            config: draft.config.clone(),
            status: PowerStatus::Off,
            ssh_status: SshStatus::Unconnected,
            last_tested_at: None,
            created_at: at,
            updated_at: at,
        };
        state.inventories.insert(inventory.id, inventory.clone());
        Ok(inventory)
    }

    fn get_inventory(&self, id: InventoryId) -> Result<Option<Inventory>, StoreError> {
        Ok(self.lock()?.inventories.get(&id).cloned())
    }

    fn list_inventories(&self, query: &InventoryQuery) -> Result<Page<Inventory>, StoreError> {
        let state = self.lock()?;
        let matching = state
            .inventories
            .values()
            .filter(|i| name_matches(&i.name, query.search.as_deref()))
            .collect();
        Ok(page(matching, query.page))
    }

    fn update_inventory(
        &self,
        id: InventoryId,
        draft: &InventoryDraft,
    ) -> Result<Option<Inventory>, StoreError> {
        let mut state = self.lock()?;
        if state
            .inventories
            .values()
            .any(|i| i.name == draft.name && i.id != id)
        {
            return Err(StoreError::Duplicate);
        }
        let Some(inventory) = state.inventories.get_mut(&id) else {
            return Ok(None);
        };
        inventory.name = draft.name.clone();
        inventory.group = draft.group.clone();
        inventory.config = draft.config.clone();
        inventory.updated_at = now().max(inventory.created_at);
        Ok(Some(inventory.clone()))
    }

    fn delete_inventory(&self, id: InventoryId) -> Result<bool, StoreError> {
        Ok(self.lock()?.inventories.remove(&id).is_some())
    }
}

impl PlaybookRepository for MemoryCatalog {
    fn create_playbook(&self, draft: &PlaybookDraft) -> Result<Playbook, StoreError> {
        let mut state = self.lock()?;
        if state.playbooks.values().any(|(p, _)| p.name == draft.name) {
            return Err(StoreError::Duplicate);
        }
        state.last_playbook += 1;
        let fresh: Vec<_> = draft
            .tasks
            .iter()
            .map(|t| super::TaskDraft {
                id: None,
                ..t.clone()
            })
            .collect();
        let (tasks, next) = assign_task_ids(1, &fresh);
        let at = now();
        let playbook = Playbook {
            id: PlaybookId(state.last_playbook),
            name: draft.name.clone(),
            kind: draft.kind,
            status: RunStatus::NotStart,
            main: draft.main.clone(),
            tasks,
            last_run_at: None,
            created_at: at,
            updated_at: at,
        };
        state
            .playbooks
            .insert(playbook.id, (playbook.clone(), next));
        Ok(playbook)
    }

    fn get_playbook(&self, id: PlaybookId) -> Result<Option<Playbook>, StoreError> {
        Ok(self.lock()?.playbooks.get(&id).map(|(p, _)| p.clone()))
    }

    fn list_playbooks(&self, query: &PlaybookQuery) -> Result<Page<Playbook>, StoreError> {
        let state = self.lock()?;
        let matching = state
            .playbooks
            .values()
            .map(|(p, _)| p)
            .filter(|p| name_matches(&p.name, query.search.as_deref()))
            .filter(|p| query.kind.is_none_or(|k| k == p.kind))
            .filter(|p| query.status.is_none_or(|s| s == p.status))
            .collect();
        Ok(page(matching, query.page))
    }

    fn update_playbook(
        &self,
        id: PlaybookId,
        draft: &PlaybookDraft,
    ) -> Result<Option<Playbook>, StoreError> {
        let mut state = self.lock()?;
        if state
            .playbooks
            .values()
            .any(|(p, _)| p.name == draft.name && p.id != id)
        {
            return Err(StoreError::Duplicate);
        }
        let Some((playbook, next)) = state.playbooks.get_mut(&id) else {
            return Ok(None);
        };
        let (tasks, new_next) = assign_task_ids(*next, &draft.tasks);
        playbook.name = draft.name.clone();
        playbook.kind = draft.kind;
        playbook.main = draft.main.clone();
        playbook.tasks = tasks;
        playbook.updated_at = now().max(playbook.created_at);
        *next = new_next;
        Ok(Some(playbook.clone()))
    }

    fn delete_playbook(&self, id: PlaybookId) -> Result<bool, StoreError> {
        Ok(self.lock()?.playbooks.remove(&id).is_some())
    }
}

impl PlaybookRunRecorder for MemoryCatalog {
    fn record_run(
        &self,
        id: PlaybookId,
        status: RunStatus,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut state = self.lock()?;
        let Some((playbook, _)) = state.playbooks.get_mut(&id) else {
            return Ok(false);
        };
        if playbook.last_run_at.is_none_or(|last| last <= at) {
            playbook.status = status;
            playbook.last_run_at = Some(at);
        }
        Ok(true)
    }
}

impl SshTestRecorder for MemoryCatalog {
    fn record_ssh_test(
        &self,
        id: InventoryId,
        power: PowerStatus,
        ssh: SshStatus,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut state = self.lock()?;
        let Some(inventory) = state.inventories.get_mut(&id) else {
            return Ok(false);
        };
        if inventory.last_tested_at.is_none_or(|last| last <= at) {
            inventory.status = power;
            inventory.ssh_status = ssh;
            inventory.last_tested_at = Some(at);
        }
        Ok(true)
    }
}
