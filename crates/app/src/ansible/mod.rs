//! The Ansible area (seed 002): inventories, playbooks, jobs and SSH tests, in the
//! `{success, data, message}` envelope with camelCase keys.

mod described;
mod inventories;
mod jobs;
pub(crate) mod list;
mod playbooks;
mod ssh;
mod wire;

use crate::routes::RouteTable;
use ansible_core::catalog::CatalogStore;
use ansible_core::jobs::JobStore;

/// Adds the Ansible routes to the table; the job routes before `/playbooks/{id}`.
pub fn register<S: CatalogStore + JobStore>(table: &mut RouteTable) {
    inventories::register::<S>(table);
    jobs::register::<S>(table);
    playbooks::register::<S>(table);
    ssh::register(table);
}
