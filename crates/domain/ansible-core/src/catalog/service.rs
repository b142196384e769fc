//! The catalogue's use cases: store errors become the seed's codes.

use super::error::{CatalogError, StoreError};
use super::inventory::{Inventory, InventoryDraft, InventoryId};
use super::page::Page;
use super::playbook::{Playbook, PlaybookDraft, PlaybookId};
use super::ports::{InventoryQuery, InventoryRepository, PlaybookQuery, PlaybookRepository};

#[derive(Debug, Clone)]
pub struct CatalogService<S> {
    store: S,
}

/// A store error no rule of the catalogue explains: the store is unavailable.
fn internal(e: StoreError) -> CatalogError {
    CatalogError::Unavailable(e.to_string())
}

impl<S> CatalogService<S> {
    pub fn new(store: S) -> Self {
        Self { store }
    }

    pub fn store(&self) -> &S {
        &self.store
    }
}

impl<S: InventoryRepository> CatalogService<S> {
    fn inventory_error(draft_name: &str, e: StoreError) -> CatalogError {
        match e {
            StoreError::Duplicate => CatalogError::InventoryNameDuplicate(draft_name.to_owned()),
            StoreError::InUse(m) => CatalogError::InventoryInUse(m),
            other => internal(other),
        }
    }

    pub fn create_inventory(&self, draft: InventoryDraft) -> Result<Inventory, CatalogError> {
        self.store
            .create_inventory(&draft)
            .map_err(|e| Self::inventory_error(&draft.name, e))
    }

    pub fn inventory(&self, id: InventoryId) -> Result<Inventory, CatalogError> {
        self.store
            .get_inventory(id)
            .map_err(internal)?
            .ok_or_else(|| CatalogError::InventoryNotFound(id.to_string()))
    }

    pub fn inventories(&self, query: &InventoryQuery) -> Result<Page<Inventory>, CatalogError> {
        self.store.list_inventories(query).map_err(internal)
    }

    pub fn update_inventory(
        &self,
        id: InventoryId,
        draft: InventoryDraft,
    ) -> Result<Inventory, CatalogError> {
        self.store
            .update_inventory(id, &draft)
            .map_err(|e| Self::inventory_error(&draft.name, e))?
            .ok_or_else(|| CatalogError::InventoryNotFound(id.to_string()))
    }

    pub fn delete_inventory(&self, id: InventoryId) -> Result<(), CatalogError> {
        match self
            .store
            .delete_inventory(id)
            .map_err(|e| Self::inventory_error("", e))?
        {
            true => Ok(()),
            false => Err(CatalogError::InventoryNotFound(id.to_string())),
        }
    }
}

impl<S: PlaybookRepository> CatalogService<S> {
    fn playbook_error(draft_name: &str, e: StoreError) -> CatalogError {
        match e {
            StoreError::Duplicate => CatalogError::PlaybookNameDuplicate(draft_name.to_owned()),
            other => internal(other),
        }
    }

    pub fn create_playbook(&self, draft: PlaybookDraft) -> Result<Playbook, CatalogError> {
        self.store
            .create_playbook(&draft)
            .map_err(|e| Self::playbook_error(&draft.name, e))
    }

    pub fn playbook(&self, id: PlaybookId) -> Result<Playbook, CatalogError> {
        self.store
            .get_playbook(id)
            .map_err(internal)?
            .ok_or_else(|| CatalogError::PlaybookNotFound(id.to_string()))
    }

    pub fn playbooks(&self, query: &PlaybookQuery) -> Result<Page<Playbook>, CatalogError> {
        self.store.list_playbooks(query).map_err(internal)
    }

    pub fn update_playbook(
        &self,
        id: PlaybookId,
        draft: PlaybookDraft,
    ) -> Result<Playbook, CatalogError> {
        self.store
            .update_playbook(id, &draft)
            .map_err(|e| Self::playbook_error(&draft.name, e))?
            .ok_or_else(|| CatalogError::PlaybookNotFound(id.to_string()))
    }

    pub fn delete_playbook(&self, id: PlaybookId) -> Result<(), CatalogError> {
        match self
            .store
            .delete_playbook(id)
            .map_err(|e| Self::playbook_error("", e))?
        {
            true => Ok(()),
            false => Err(CatalogError::PlaybookNotFound(id.to_string())),
        }
    }

    /// The playbook as Ansible will run it.
    pub fn rendered_playbook(&self, id: PlaybookId) -> Result<String, CatalogError> {
        self.playbook(id)?.render()
    }
}
