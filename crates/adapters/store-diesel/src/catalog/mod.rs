//! The Ansible catalogue (inventories, playbooks) on both backends.

mod error;
pub(crate) mod fold;
mod inventories;
mod playbooks;
mod search;
mod ssh_tests;

use crate::page::Window;
use ansible_core::catalog::{Page, PageRequest, StoreError};

impl From<PageRequest> for Window {
    fn from(page: PageRequest) -> Self {
        Window {
            offset: page.offset(),
            limit: page.limit(),
            after: None,
        }
    }
}

/// A loaded page's rows as records.
fn records<R, T>(
    (total, rows): (u64, Vec<R>),
    record: impl FnMut(R) -> Result<T, StoreError>,
) -> Result<Page<T>, StoreError> {
    let items = rows
        .into_iter()
        .map(record)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page { items, total })
}
