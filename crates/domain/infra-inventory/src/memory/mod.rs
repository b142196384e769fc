//! The in-memory adapter of [`Repository`](crate::ports::Repository): for services that embed
//! the inventory without a database, and for this crate's own tests. One mutex guards all
//! tables, so every call is atomic, and the same relational rules hold as in the SQL stores:
//! references must exist, unique keys are unique, deletes restrict or cascade.

mod host;
mod placement;
mod stored;
mod tables;
mod tenancy;

#[cfg(all(test, feature = "contract"))]
mod legacy_sums;

use crate::error::StoreError;
use crate::ports::InventoryStore;
use std::sync::{Arc, Mutex, MutexGuard};
use tables::Tables;

/// An inventory kept in memory. Clones share the same tables.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    tables: Arc<Mutex<Tables>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> Result<MutexGuard<'_, Tables>, StoreError> {
        // A poisoned lock means a panic mid-write; refuse rather than read torn state.
        self.tables
            .lock()
            .map_err(|_| StoreError::Unavailable("memory store lock poisoned".to_owned()))
    }
}

impl InventoryStore for MemoryStore {
    fn ping(&self) -> Result<(), StoreError> {
        self.lock().map(|_| ())
    }
}
