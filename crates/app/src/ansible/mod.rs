//! The Ansible area (seed 002): inventories and playbooks, in the `{success, data, message}`
//! envelope with camelCase keys.

mod envelope;
mod errors;
mod inventories;
mod list;
mod playbooks;

use actix_web::web;
use ansible_core::catalog::CatalogStore;

/// Registers the Ansible routes (under the caller's `/api` scope).
pub fn configure<S: CatalogStore>(cfg: &mut web::ServiceConfig) {
    inventories::configure::<S>(cfg);
    playbooks::configure::<S>(cfg);
}
