//! List query strings: `page`, `per_page` and the filters, and the `X-Total-Count` and RFC 8288
//! `Link` headers of a page.

use super::error::ApiError;
use super::public_url::LinkBase;
use actix_web::HttpRequest;
use infra_inventory::{FieldError, PageRequest};
use std::collections::HashMap;
use std::str::FromStr;

/// The decoded query string of a list request.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pairs: Vec<(String, String)>,
    values: HashMap<String, String>,
}

impl ListQuery {
    pub fn from_request(req: &HttpRequest) -> Result<Self, ApiError> {
        Self::parse(req.query_string())
    }

    /// Decodes a raw query string; NUL in a name or a value is refused by name.
    pub fn parse(query_string: &str) -> Result<Self, ApiError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query_string)
            .map_err(|e| ApiError::validation(format!("query string: {e}")))?;
        // As in bodies, text never holds NUL: refused by name rather than sent to a store.
        if let Some((name, _)) = pairs
            .iter()
            .find(|(k, v)| k.contains('\0') || v.contains('\0'))
        {
            return Err(ApiError::validation(format!(
                "{}: must not contain the NUL character",
                name.replace('\0', "\\0")
            )));
        }
        let values = pairs.iter().cloned().collect();
        Ok(Self { pairs, values })
    }

    /// The parameters' names, in the order given (a repeated name more than once).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.pairs.iter().map(|(k, _)| k.as_str())
    }

    /// A parameter's raw text; a blank value counts as absent.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }

    /// A parameter parsed as `T`, named in the error when it does not parse.
    pub fn parsed<T: FromStr>(&self, name: &str, expected: &str) -> Result<Option<T>, FieldError> {
        self.text(name)
            .map(|raw| {
                raw.trim()
                    .parse::<T>()
                    .map_err(|_| FieldError::new(name, format!("must be {expected}")))
            })
            .transpose()
    }

    /// `page` and `per_page` with the area's default and maximum page size.
    pub fn page(&self, default: u32, max: u32) -> Result<PageRequest, FieldError> {
        let page = self.parsed::<i64>("page", "an integer of at least 1")?;
        let per_page = self.parsed::<i64>("per_page", &format!("an integer from 1 to {max}"))?;
        PageRequest::parse(page, per_page, default, max)
    }

    /// This query with `page` (and any `after`) replaced, for links to other pages.
    fn with_page(&self, page: u64) -> String {
        self.with("page", &page.to_string())
    }

    /// This query without `page` and `after`, then `name=value`.
    fn with(&self, name: &str, value: &str) -> String {
        let mut pairs: Vec<(String, String)> = self
            .pairs
            .iter()
            .filter(|(k, _)| k != "page" && k != "after")
            .cloned()
            .collect();
        pairs.push((name.to_owned(), value.to_owned()));
        // Pairs of strings always encode; an empty query would only drop the filters.
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

/// The `Link` header of a keyset page: the first page, and the next one after `last` (the
/// page's last id) when the page was full.
pub fn keyset_link_header(
    req: &HttpRequest,
    query: &ListQuery,
    page: PageRequest,
    items: usize,
    last: Option<String>,
) -> String {
    let base = link_base(req);
    let mut links = vec![format!("<{base}?{}>; rel=\"first\"", query.with_page(1))];
    if let Some(last) = last.filter(|_| items >= usize::try_from(page.per_page).unwrap_or(0)) {
        links.push(format!(
            "<{base}?{}>; rel=\"next\"",
            query.with("after", &last)
        ));
    }
    links.join(", ")
}

fn link_base(req: &HttpRequest) -> String {
    let origin = req
        .app_data::<actix_web::web::Data<LinkBase>>()
        .map(|base| base.origin(req))
        .unwrap_or_default();
    format!("{origin}{}", req.path())
}

/// The `Link` header of a page: first, prev, next and last, relative unless a public origin
/// is configured ([`LinkBase`]).
pub fn link_header(req: &HttpRequest, query: &ListQuery, page: PageRequest, total: u64) -> String {
    let base = link_base(req);
    let last = page.last_page(total);
    let current = u64::from(page.page);
    let mut links = vec![(1, "first")];
    if current > 1 {
        links.push(((current - 1).min(last), "prev"));
    }
    if current < last {
        links.push((current + 1, "next"));
    }
    links.push((last, "last"));
    links
        .into_iter()
        .map(|(n, rel)| format!("<{base}?{}>; rel=\"{rel}\"", query.with_page(n)))
        .collect::<Vec<_>>()
        .join(", ")
}
