//! Helpers the case files share: a first page, a repository's record count.

use crate::page::PageRequest;
use crate::ports::Repository;

pub(super) fn first_page(per_page: u32) -> PageRequest {
    PageRequest {
        page: 1,
        per_page,
        after: None,
    }
}

pub(super) fn count<S: Repository<R>, R: crate::Record>(store: &S) -> u64 {
    store
        .list(&R::Filter::default(), first_page(1))
        .unwrap()
        .total
}
