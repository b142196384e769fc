//! List parameters and the paged body of the Ansible area.

use crate::http::wire::{Paged, Pagination};
use crate::http::{ApiError, ListQuery};
use crate::routes::{Op, typed};
use ansible_core::catalog::{Page, PageRequest};
use utoipa::openapi::schema::Type;

/// Default and largest `per_page` of the area.
const PER_PAGE: (i64, i64) = (10, 100);

fn invalid(field: &str, message: String) -> ApiError {
    ApiError::validation(format!("{field}: {message}"))
}

/// `page` from 1 and `per_page` (or `perPage`) from 1 to 100, default 10.
pub fn page(query: &ListQuery) -> Result<PageRequest, ApiError> {
    let page = query
        .parsed::<i64>("page", "an integer of at least 1")
        .map_err(|e| invalid("page", e.message))?
        .unwrap_or(1);
    let per_page = match query.text("per_page").or_else(|| query.text("perPage")) {
        None => PER_PAGE.0,
        Some(raw) => raw.trim().parse::<i64>().unwrap_or(0),
    };
    if page < 1 || page > i64::from(u32::MAX) {
        return Err(invalid(
            "page",
            "must be an integer of at least 1".to_owned(),
        ));
    }
    if !(1..=PER_PAGE.1).contains(&per_page) {
        return Err(invalid(
            "per_page",
            format!("must be an integer from 1 to {}", PER_PAGE.1),
        ));
    }
    Ok(PageRequest {
        page: page as u32,
        per_page: per_page as u32,
    })
}

/// The `search` term, if any.
pub fn search(query: &ListQuery) -> Option<String> {
    query
        .text("search")
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// `{"items": [...], "pagination": {"page", "perPage", "total", "totalPages"}}`.
pub fn paged<T, O>(page: &Page<T>, request: PageRequest, item: impl Fn(&T) -> O) -> Paged<O> {
    Paged {
        items: page.items.iter().map(item).collect(),
        pagination: Pagination {
            page: request.page,
            per_page: request.per_page,
            total: page.total,
            total_pages: request.total_pages(page.total),
        },
    }
}

/// The query parameters every list of the area takes.
pub fn describe(op: Op) -> Op {
    op.query(
        "search",
        typed(Type::String),
        "Case-insensitive part of the name.",
    )
    .query("page", typed(Type::Integer), "Page number, from 1.")
    .query(
        "per_page",
        typed(Type::Integer),
        "Page size, 1 to 100 (default 10); also `perPage`.",
    )
}
