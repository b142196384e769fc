//! Sums of amounts in SQL that cannot overflow, the same statement on both backends.
//!
//! `SUM` of a BIGINT column fails once the sum passes `i64` (SQLite: "integer overflow";
//! PostgreSQL sums exactly in NUMERIC, and the cast back fails: "bigint out of range"), and
//! 1,025 hosts of 2^53 − 1 cores get there. `TOTAL()` or a cast to REAL would not fail but
//! round: a total of 2^53 + 1 cores would read as 2^53. So each column is summed in two exact
//! parts, its high bits (`x >> 32`) and its low 32 bits (`x & 0xFFFFFFFF`); each part of a
//! non-negative BIGINT is below 2^31 or 2^32, so their sums fit `i64` for up to 2^31 rows,
//! on either backend. The parts are joined in `i128` and read as `capacity_quota` reads every
//! sum: exact up to 2^53 − 1, saturated there ([`capacity_quota::bounded`]).

use crate::fixed_sql::FixedSql;
use capacity_quota::Resources;
use diesel::QueryResult;
use diesel::sql_types::{BigInt, Text};

/// The two parts of `SUM(column)`, 0 over no rows; select them and read them with [`joined`].
pub(crate) type SplitSum = (FixedSql<BigInt>, FixedSql<BigInt>);

/// The SQL of one part (`high` or `low`) of `SUM(column)`, 0 over no rows: the one place the
/// split is spelled. `column` is a string literal (or `concat!` of literals) naming a qualified
/// column of this crate's schema, so the text is fixed at compile time and never input.
macro_rules! split_part {
    (high, $column:expr) => {
        concat!("CAST(COALESCE(SUM(", $column, " >> 32), 0) AS BIGINT)")
    };
    (low, $column:expr) => {
        concat!(
            "CAST(COALESCE(SUM(",
            $column,
            " & 4294967295), 0) AS BIGINT)"
        )
    };
}
pub(crate) use split_part;

/// The SQL of the two parts of `SUM(column)`, `[high, low]`, as [`split_part!`] spells them.
macro_rules! split_sum_sql {
    ($column:expr) => {
        [
            $crate::inventory::sums::split_part!(high, $column),
            $crate::inventory::sums::split_part!(low, $column),
        ]
    };
}
pub(crate) use split_sum_sql;

/// [`split_sum_sql!`] as expressions to select.
pub(crate) fn split_sum([high, low]: [&'static str; 2]) -> SplitSum {
    (FixedSql::new(high), FixedSql::new(low))
}

/// The split sums of three columns, each given as its [`split_sum_sql!`], read as
/// [`Resources`] with [`joined_resources`].
pub(crate) fn split_resources(
    cpu: [&'static str; 2],
    memory: [&'static str; 2],
    storage: [&'static str; 2],
) -> (SplitSum, SplitSum, SplitSum) {
    (split_sum(cpu), split_sum(memory), split_sum(storage))
}

/// The sizes of the specifications of the VMs selected, summed as [`split_resources`].
pub(crate) fn spec_sums() -> (SplitSum, SplitSum, SplitSum) {
    split_resources(
        split_sum_sql!("vm_specifications.required_cpu"),
        split_sum_sql!("vm_specifications.required_memory"),
        split_sum_sql!("vm_specifications.required_storage"),
    )
}

/// One column's two parts as text, comma separated, for [`correlated_sums!`].
macro_rules! parts_as_text {
    ($column:expr) => {
        concat!(
            "CAST(",
            $crate::inventory::sums::split_part!(high, $column),
            " AS TEXT) || ',' || CAST(",
            $crate::inventory::sums::split_part!(low, $column),
            " AS TEXT)",
        )
    };
}
pub(crate) use parts_as_text;

/// The split sums of `columns` over the rows of `from` (a `FROM … WHERE` that refers to the
/// outer query's row), as one correlated subquery whose value is every part as text, comma
/// separated, read with [`read_sums`]; a `FixedSql<Text>`. Six parts as six subqueries are six
/// subplans for every outer row, which made a page of 100 hosts cost 600 of them: one subquery
/// is a third of that page's cost (pgbench, 2,300 → 5,100–5,600 pages/s on 10,000 hosts).
/// Both backends spell it the same; `columns` and `from` are string literals, never input.
macro_rules! correlated_sums {
    ([$first:expr $(, $rest:expr)* $(,)?], $from:expr $(,)?) => {
        $crate::fixed_sql::FixedSql::<diesel::sql_types::Text>::new(concat!(
            "(SELECT ",
            $crate::inventory::sums::parts_as_text!($first),
            $(" || ',' || ", $crate::inventory::sums::parts_as_text!($rest),)*
            " FROM ",
            $from,
            ")",
        ))
    };
}
pub(crate) use correlated_sums;

/// The `N` sums a [`correlated_sums!`] of `N` columns selected, each joined from its parts.
/// Text that is not `2 × N` integers is a bug in the statement, not data to guess at.
pub(crate) fn read_sums<const N: usize>(text: &str) -> QueryResult<[i64; N]> {
    let unreadable = || {
        diesel::result::Error::DeserializationError(
            format!("sums {text:?} are not {N} pairs of integers").into(),
        )
    };
    let parts = text
        .split(',')
        .map(|part| part.parse::<i64>().map_err(|_| unreadable()))
        .collect::<QueryResult<Vec<i64>>>()?;
    if parts.len() != 2 * N {
        return Err(unreadable());
    }
    let sums: Vec<i64> = parts
        .chunks_exact(2)
        .map(|pair| joined((pair[0], pair[1])))
        .collect();
    sums.try_into().map_err(|_| unreadable())
}

/// What the VMs on the outer query's host claim, read with [`read_resources`]: selected
/// beside a `hosts` row, so that a host and its allocation come in one statement, by the
/// `virtual_machines (host_id)` index.
pub(crate) fn host_allocation() -> FixedSql<Text> {
    correlated_sums!(
        ["s.required_cpu", "s.required_memory", "s.required_storage"],
        "virtual_machines v JOIN vm_specifications s ON s.id = v.specification_id \
         WHERE v.host_id = hosts.id",
    )
}

/// Three sums of [`correlated_sums!`] as the resources they measure (cpu, memory, storage).
pub(crate) fn read_resources(text: &str) -> QueryResult<Resources> {
    let [cpu, memory, storage] = read_sums::<3>(text)?;
    Ok(Resources {
        cpu,
        memory,
        storage,
    })
}

/// A sum read from its parts.
pub(crate) fn joined((high, low): (i64, i64)) -> i64 {
    capacity_quota::bounded(i128::from(high) * (1 << 32) + i128::from(low))
}

/// The parts as selected by [`split_resources`].
pub(crate) type SplitParts = ((i64, i64), (i64, i64), (i64, i64));

pub(crate) fn joined_resources((cpu, memory, storage): SplitParts) -> Resources {
    Resources {
        cpu: joined(cpu),
        memory: joined(memory),
        storage: joined(storage),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use capacity_quota::MAX_AMOUNT;

    #[test]
    fn parts_join_to_the_exact_sum_up_to_the_bound() {
        let split = |x: i64| (x >> 32, x & 0xFFFF_FFFF);
        let add = |a: (i64, i64), b: (i64, i64)| (a.0 + b.0, a.1 + b.1);
        assert_eq!(joined(split(MAX_AMOUNT)), MAX_AMOUNT);
        assert_eq!(joined(add(split(MAX_AMOUNT - 7), split(7))), MAX_AMOUNT);
        assert_eq!(joined(add(split(MAX_AMOUNT), split(1))), MAX_AMOUNT);
        assert_eq!(
            joined(add(split(1 << 40), split((1 << 32) - 1))),
            (1 << 40) + (1 << 32) - 1
        );
        // i64::MAX twice: past i64, still exact in the parts.
        assert_eq!(joined(add(split(i64::MAX), split(i64::MAX))), MAX_AMOUNT);
        assert_eq!(joined((0, 0)), 0);
    }

    #[test]
    fn correlated_sums_read_back_joined_and_refuse_what_they_did_not_write() {
        let sql = correlated_sums!(["a.x", "a.y"], "t a WHERE a.k = o.k");
        let text = format!("{sql:?}");
        assert!(text.contains("SUM(a.x >> 32)") && text.contains("SUM(a.y & 4294967295)"));
        assert_eq!(read_sums::<2>("1,5,0,7").unwrap(), [(1 << 32) + 5, 7]);
        let resources = read_resources("0,1,0,2,0,3").unwrap();
        assert_eq!(
            (resources.cpu, resources.memory, resources.storage),
            (1, 2, 3)
        );
        // Past i64 in the parts, the bound when joined.
        assert_eq!(
            read_sums::<1>(&format!("{},0", i64::MAX)).unwrap(),
            [MAX_AMOUNT]
        );
        for bad in ["", "1,2,3", "1,2,3,4,5", "1,x", "1,2,3,4,5,6,7,8"] {
            assert!(read_sums::<2>(bad).is_err(), "{bad:?}");
        }
    }
}
