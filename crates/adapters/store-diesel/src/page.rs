//! One page of a filtered list, the same way for every table of every domain.

use crate::connection::AnyConnection;
use crate::counts::CountCache;
use diesel::dsl::{CountStar, Limit, Offset, Order, Select, count_star};
use diesel::prelude::*;
use diesel::query_dsl::methods::{LimitDsl, LoadQuery, OffsetDsl, OrderDsl, SelectDsl};

/// Which rows of a list a page holds: as every domain's page request counts them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    pub(crate) offset: u64,
    pub(crate) limit: u64,
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
/// count (unless the count is kept), once for the page.
pub(crate) fn load_page<Q, S, O, R>(
    conn: &mut AnyConnection,
    total: Total<'_>,
    filtered: impl Fn() -> Q,
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
    let page = OrderDsl::order(SelectDsl::select(filtered(), selection), order);
    let rows = OffsetDsl::offset(
        LimitDsl::limit(page, bounded(window.limit)),
        bounded(window.offset),
    )
    .load(conn)?;
    Ok((total, rows))
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
