//! The catalogue of the Ansible area: inventories and playbooks as the hub stores them,
//! their validation, the storage ports with their error contracts, and the use cases.
//! Jobs build on these ports (and record each run's result through [`PlaybookRunRecorder`]);
//! SSH tests and the AI assistant will too.

mod error;
mod inventory;
mod page;
mod playbook;
mod ports;
mod service;
#[cfg(test)]
mod size_limits;
mod syntax_check;

#[cfg(feature = "memory")]
pub mod memory;

#[cfg(feature = "contract")]
pub mod contract;
#[cfg(feature = "contract")]
pub mod run_contract;
#[cfg(feature = "contract")]
pub mod ssh_contract;

pub use error::{CatalogError, StoreError};
pub use inventory::{Inventory, InventoryDraft, InventoryId, PowerStatus, SshStatus};
pub use page::{Page, PageRequest};
pub use playbook::{
    MainDraft, Playbook, PlaybookDraft, PlaybookId, PlaybookKind, PlaybookMain, RunStatus, Task,
    TaskDraft, assign_task_ids,
};
pub use ports::{
    CatalogStore, InventoryQuery, InventoryRepository, PlaybookQuery, PlaybookRepository,
    PlaybookRunRecorder, SshTestRecorder,
};
pub use service::CatalogService;
pub use syntax_check::{PlaybookSyntaxCheck, SyntaxCheckError};

/// The catalogue contract on the in-memory store.
#[cfg(all(test, feature = "contract"))]
mod memory_contract {
    crate::catalog_contract_tests!(((), super::memory::MemoryCatalog::new()));
    crate::catalog_run_contract_tests!(((), super::memory::MemoryCatalog::new()));
    crate::catalog_ssh_contract_tests!(((), super::memory::MemoryCatalog::new()));
}
