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
use diesel::sql_types::BigInt;

/// The two parts of `SUM(column)`, 0 over no rows; select them and read them with [`joined`].
pub(crate) type SplitSum = (FixedSql<BigInt>, FixedSql<BigInt>);

/// The SQL of the two parts of `SUM(column)`, 0 over no rows: the one place the split is
/// spelled. `column` is a qualified column name of this crate's schema, never input.
pub(crate) fn split_sum_sql(column: &str) -> [String; 2] {
    [
        format!("CAST(COALESCE(SUM({column} >> 32), 0) AS BIGINT)"),
        format!("CAST(COALESCE(SUM({column} & 4294967295), 0) AS BIGINT)"),
    ]
}

/// [`split_sum_sql`] as expressions to select.
pub(crate) fn split_sum(column: &str) -> SplitSum {
    let [high, low] = split_sum_sql(column);
    (FixedSql::new(high), FixedSql::new(low))
}

/// The split sums of three columns, read as [`Resources`] with [`joined_resources`].
pub(crate) fn split_resources(
    cpu: &str,
    memory: &str,
    storage: &str,
) -> (SplitSum, SplitSum, SplitSum) {
    (split_sum(cpu), split_sum(memory), split_sum(storage))
}

/// The sizes of the specifications of the VMs selected, summed as [`split_resources`].
pub(crate) fn spec_sums() -> (SplitSum, SplitSum, SplitSum) {
    split_resources(
        "vm_specifications.required_cpu",
        "vm_specifications.required_memory",
        "vm_specifications.required_storage",
    )
}

/// What the VMs on the outer query's host claim, as three correlated subqueries of split
/// sums (read with [`joined_resources`]): selected beside a `hosts` row, so that a host and
/// its allocation come in one statement, by the `virtual_machines (host_id)` index.
pub(crate) fn host_allocation() -> (SplitSum, SplitSum, SplitSum) {
    let of = |column: &str| {
        let [high, low] = split_sum_sql(column).map(|part| {
            FixedSql::new(format!(
                "(SELECT {part} FROM virtual_machines v \
                 JOIN vm_specifications s ON s.id = v.specification_id \
                 WHERE v.host_id = hosts.id)"
            ))
        });
        (high, low)
    };
    (
        of("s.required_cpu"),
        of("s.required_memory"),
        of("s.required_storage"),
    )
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
}
