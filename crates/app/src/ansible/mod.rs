//! The Ansible area (seed 002): inventories and playbooks, in the `{success, data, message}`
//! envelope with camelCase keys.

mod described;
mod inventories;
mod list;
mod playbooks;
mod wire;

use crate::routes::RouteTable;
use ansible_core::catalog::CatalogStore;

/// Adds the Ansible routes to the table.
pub fn register<S: CatalogStore>(table: &mut RouteTable) {
    inventories::register::<S>(table);
    playbooks::register::<S>(table);
}
