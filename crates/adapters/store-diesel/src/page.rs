//! One page of a filtered list, the same way for every table of every domain.

use crate::connection::AnyConnection;
use crate::counts::CountCache;
use diesel::dsl::{CountStar, Limit, Offset, Order, Select, count_star};
use diesel::prelude::*;
use diesel::query_dsl::methods::{LimitDsl, LoadQuery, OffsetDsl, OrderDsl, SelectDsl};
use infra_inventory::RecordKey;

/// Which rows of a list a page holds: as every domain's page request counts them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    pub(crate) offset: u64,
    pub(crate) limit: u64,
    /// A keyset page: only rows whose id comes after this one.
    pub(crate) after: Option<RecordKey>,
}

/// How a list's total is had: counted for each page, or kept briefly under a key that
/// names the table and the filter ([`CountCache`]).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Total<'a> {
    Counted,
    Kept(&'a CountCache, &'a str),
}

/// The rows of `window` among those `filtered` selects, as `selection` reads them, in
/// `order`, and how many it selects in all. `filtered` builds the (boxed) query twice: once to
/// count (unless the count is kept), once for the page, which `paged` may narrow further (a
/// keyset page's `id > after`) without changing the total.
pub(crate) fn load_page<Q, S, O, R>(
    conn: &mut AnyConnection,
    total: Total<'_>,
    filtered: impl Fn() -> Q,
    paged: impl FnOnce(Q) -> QueryResult<Q>,
    selection: S,
    order: O,
    window: Window,
) -> QueryResult<(u64, Vec<R>)>
where
    S: Expression,
    O: Expression,
    Q: SelectDsl<CountStar> + SelectDsl<S>,
    Select<Q, CountStar>: RunQueryDsl<AnyConnection> + for<'q> LoadQuery<'q, AnyConnection, i64>,
    Select<Q, S>: OrderDsl<O>,
    Order<Select<Q, S>, O>: LimitDsl,
    Limit<Order<Select<Q, S>, O>>: OffsetDsl,
    Offset<Limit<Order<Select<Q, S>, O>>>:
        RunQueryDsl<AnyConnection> + for<'q> LoadQuery<'q, AnyConnection, R>,
{
    let mut count = || -> QueryResult<u64> {
        let n: i64 = SelectDsl::select(filtered(), count_star()).get_result(conn)?;
        row_count(n)
    };
    let total = match total {
        Total::Counted => count()?,
        Total::Kept(cache, key) => match cache.get(key) {
            Some(n) => n,
            None => {
                let ticket = cache.ticket();
                let n = count()?;
                cache.keep(key.to_owned(), n, ticket);
                n
            }
        },
    };
    let page = OrderDsl::order(SelectDsl::select(paged(filtered())?, selection), order);
    let rows = OffsetDsl::offset(
        LimitDsl::limit(page, bounded(window.limit)),
        bounded(window.offset),
    )
    .load(conn)?;
    Ok((total, rows))
}

/// A keyset page's key as a text id column holds it.
pub(crate) fn uuid_key(key: RecordKey) -> QueryResult<String> {
    match key {
        RecordKey::Uuid(u) => Ok(u.to_string()),
        RecordKey::Int(_) => Err(wrong_key()),
    }
}

/// A keyset page's key as an integer id column holds it.
pub(crate) fn int_key(key: RecordKey) -> QueryResult<i64> {
    match key {
        RecordKey::Int(i) => Ok(i),
        RecordKey::Uuid(_) => Err(wrong_key()),
    }
}

/// The caller parsed the key as another kind's id: a bug, not a page to guess at.
fn wrong_key() -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError("a keyset key of another kind of id".into())
}

/// A `COUNT(*)` as the domains count. It is never negative; a database that says otherwise
/// cannot be read.
pub(crate) fn row_count(n: i64) -> QueryResult<u64> {
    u64::try_from(n).map_err(|e| diesel::result::Error::DeserializationError(e.into()))
}

/// A window bound as SQL takes it. Past `i64::MAX` there are no rows, as there are none past
/// the last: clamping selects the same nothing.
fn bounded(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
