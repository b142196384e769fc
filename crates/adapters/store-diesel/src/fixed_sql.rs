//! A piece of SQL text that this crate writes from its own constants, as an expression that
//! keeps its statement cacheable.
//!
//! diesel's `sql()` literal marks every statement it appears in as unsafe to cache (its text
//! could be built from input, so caching it could grow without bound), and such a statement
//! is parsed and planned again on every call. That made a host read, whose allocation sums
//! are SQL diesel's DSL cannot spell (`>>`, `&`, `CAST`), cost several times a plain
//! primary-key read. The texts here are `&'static str`, written at compile time (string literals
//! and `concat!` of them), so no text can come from input, the number of distinct statements
//! is bounded by the program's own, and diesel may cache them by their text.

use diesel::QueryResult;
use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::expression::{TypedExpressionType, is_aggregate};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use std::marker::PhantomData;

/// SQL text of SQL type `ST`; never built from input.
#[derive(Debug, Clone)]
pub(crate) struct FixedSql<ST> {
    sql: &'static str,
    _type: PhantomData<ST>,
}

impl<ST> FixedSql<ST> {
    /// `sql` is fixed at compile time: a literal, or `concat!` of literals.
    pub(crate) fn new(sql: &'static str) -> Self {
        Self {
            sql,
            _type: PhantomData,
        }
    }
}

impl<ST: TypedExpressionType> Expression for FixedSql<ST> {
    type SqlType = ST;
}

impl<ST, DB: Backend> QueryFragment<DB> for FixedSql<ST> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(self.sql);
        Ok(())
    }
}

impl<ST> QueryId for FixedSql<ST> {
    type QueryId = ();
    // The text varies between values of this type: the statement is cached by its text.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<QS, ST: TypedExpressionType> SelectableExpression<QS> for FixedSql<ST> {}

impl<QS, ST: TypedExpressionType> AppearsOnTable<QS> for FixedSql<ST> {}

impl<ST, GB> ValidGrouping<GB> for FixedSql<ST> {
    type IsAggregate = is_aggregate::Never;
}
