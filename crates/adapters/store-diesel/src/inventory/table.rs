//! What a table module of a stored kind (every kind but hosts) provides, as traits the
//! compiler checks: [`StoredTable`] is written by hand, [`TableSql`] by [`table_sql!`]; the
//! repository over both is written once, in `repository.rs`.

use crate::connection::AnyConnection;
use crate::error::TxError;
use crate::page::Window;
use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::QueryResult;
use infra_inventory::{Draft, StoreError, Stored};

/// A table that stores records of one kind exactly as their drafts say.
pub(crate) trait StoredTable: Draft {
    /// A row as selected (`Queryable + Selectable`).
    type Row;
    /// The columns a write sets: every one but `id` and `created_at` (`Insertable +
    /// AsChangeset`).
    type Values<'a>
    where
        Self: 'a;
    /// The table's boxed query, filtered.
    type Filtered;

    /// The column values of the draft, written `at`.
    fn values(&self, at: DateTime<Utc>) -> Self::Values<'_>;

    /// The record a row holds; a value the domain refuses is an unreadable row.
    fn record(row: Self::Row) -> Result<Stored<Self>, StoreError>;

    /// The rows that pass `filter`.
    fn filtered(filter: &Self::Filter) -> Self::Filtered;

    /// Whether a write share-locks the rows its references point at until it commits
    /// (`refs::lock_references`): tables whose references no foreign key guards must, and
    /// tables whose writes lock a referenced row exclusively later (VMs their host) must not.
    const LOCKS_REFERENCES: bool = false;

    /// Rules a create must pass inside its transaction, after the references are checked.
    fn on_create(_conn: &mut AnyConnection, _draft: &Self) -> Result<(), TxError<StoreError>> {
        Ok(())
    }

    /// Rules an update of the existing record `id` must pass inside its transaction, after the
    /// references are checked.
    fn on_update(
        _conn: &mut AnyConnection,
        _id: Self::Id,
        _draft: &Self,
    ) -> Result<(), TxError<StoreError>> {
        Ok(())
    }

    /// Rules a delete must pass inside its transaction, before the reference rules.
    fn on_delete(_conn: &mut AnyConnection, _id: Self::Id) -> Result<(), TxError<StoreError>> {
        Ok(())
    }
}

/// The statements of a [`StoredTable`] that name its diesel table; [`table_sql!`] writes them.
pub(crate) trait TableSql: StoredTable {
    /// Inserts a row for `draft`, created `at`, under an id the store assigns.
    fn insert(conn: &mut AnyConnection, draft: &Self, at: DateTime<Utc>) -> QueryResult<Self::Id>;

    /// The row of `id`, if there is one.
    fn row(conn: &mut AnyConnection, id: Self::Id) -> QueryResult<Option<Self::Row>>;

    /// When the row of `id` was created, if there is one.
    fn created_at(conn: &mut AnyConnection, id: Self::Id) -> QueryResult<Option<NaiveDateTime>>;

    /// Writes `draft` over the row of `id`, updated `at`; whether there was a row to write.
    fn overwrite(
        conn: &mut AnyConnection,
        id: Self::Id,
        draft: &Self,
        at: DateTime<Utc>,
    ) -> QueryResult<bool>;

    /// One page of the rows that pass `filter`, in id (creation) order, and how many pass
    /// (kept a short while in `counts`).
    fn page(
        conn: &mut AnyConnection,
        counts: &crate::counts::CountCache,
        filter: &Self::Filter,
        window: Window,
    ) -> QueryResult<(u64, Vec<Self::Row>)>;
}

/// Implements [`TableSql`] for `$draft` on diesel table `$table` (in scope), whose key is a
/// `uuid` the store generates or an `int` from the table's sequence.
macro_rules! table_sql {
    ($draft:ty, $table:ident, $key:ident) => {
        impl $crate::inventory::table::TableSql for $draft {
            fn insert(
                conn: &mut $crate::AnyConnection,
                draft: &Self,
                at: chrono::DateTime<chrono::Utc>,
            ) -> diesel::QueryResult<Self::Id> {
                use $crate::inventory::table::StoredTable as _;
                let row = ($table::created_at.eq(at.naive_utc()), draft.values(at));
                $crate::inventory::table::table_sql!(@insert $key, conn, $table, row)
            }

            fn row(
                conn: &mut $crate::AnyConnection,
                id: Self::Id,
            ) -> diesel::QueryResult<Option<Self::Row>> {
                use $crate::inventory::DbKey as _;
                $table::table
                    .find(id.db_key())
                    .select(<Self::Row>::as_select())
                    .first(conn)
                    .optional()
            }

            fn created_at(
                conn: &mut $crate::AnyConnection,
                id: Self::Id,
            ) -> diesel::QueryResult<Option<chrono::NaiveDateTime>> {
                use $crate::inventory::DbKey as _;
                $table::table
                    .find(id.db_key())
                    .select($table::created_at)
                    .first(conn)
                    .optional()
            }

            fn overwrite(
                conn: &mut $crate::AnyConnection,
                id: Self::Id,
                draft: &Self,
                at: chrono::DateTime<chrono::Utc>,
            ) -> diesel::QueryResult<bool> {
                use $crate::inventory::DbKey as _;
                use $crate::inventory::table::StoredTable as _;
                diesel::update($table::table.find(id.db_key()))
                    .set(draft.values(at))
                    .execute(conn)
                    .map(|rows| rows > 0)
            }

            fn page(
                conn: &mut $crate::AnyConnection,
                counts: &$crate::counts::CountCache,
                filter: &Self::Filter,
                window: $crate::page::Window,
            ) -> diesel::QueryResult<(u64, Vec<Self::Row>)> {
                use $crate::inventory::table::StoredTable as _;
                let key = $crate::counts::key(stringify!($table), filter);
                $crate::page::load_page(
                    conn,
                    $crate::page::Total::Kept(counts, &key),
                    || Self::filtered(filter),
                    |q| match window.after {
                        None => Ok(q),
                        Some(after) => Ok(q.filter($table::id.gt(
                            $crate::inventory::table::table_sql!(@key $key, after)?,
                        ))),
                    },
                    <Self::Row>::as_select(),
                    $table::id.asc(),
                    window,
                )
            }
        }
    };
    (@key uuid, $after:ident) => {
        $crate::page::uuid_key($after)
    };
    (@key int, $after:ident) => {
        $crate::page::int_key($after)
    };
    (@insert uuid, $conn:ident, $table:ident, $row:ident) => {{
        use $crate::inventory::DbKey as _;
        use infra_inventory::RecordId as _;
        let id = <Self::Id>::generate(0);
        diesel::insert_into($table::table)
            .values(($table::id.eq(id.db_key()), $row))
            .execute($conn)?;
        Ok(id)
    }};
    (@insert int, $conn:ident, $table:ident, $row:ident) => {{
        // diesel types RETURNING per backend: the same statement, built for each.
        let id: i64 = $crate::dialect::db_run!($conn, any(c) => {
            diesel::insert_into($table::table)
                .values($row)
                .returning($table::id)
                .get_result(c)
        })?;
        Ok(id.into())
    }};
}

pub(crate) use table_sql;
