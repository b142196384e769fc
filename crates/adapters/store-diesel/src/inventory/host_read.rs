//! One host and what its VMs claim, in one statement whose plan sums the VMs once.
//!
//! The DSL can select the allocation only as correlated subqueries, one per summed part
//! (six), which PostgreSQL plans and runs as six subplans: a third of a primary-key read's
//! throughput. Joining the host to one grouped sum of its VMs needs a subquery in `FROM`,
//! which diesel's DSL cannot write, so this statement is written out here, with the id
//! bound twice (the planner then sums only this host's VMs on either backend). Its text is
//! constant, so its prepared statement is cached by type.

use super::sums::split_part;
use diesel::backend::Backend;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, HasSqlType, Nullable, Text, Timestamp};

/// The split sums of the VMs' `s.required_{r}` as `{r}_high` and `{r}_low`, as `sums.rs`
/// spells them.
macro_rules! sums_of {
    ($r:literal) => {
        concat!(
            split_part!(high, concat!("s.required_", $r)),
            " AS ",
            $r,
            "_high, ",
            split_part!(low, concat!("s.required_", $r)),
            " AS ",
            $r,
            "_low"
        )
    };
}

/// The joined sums of `{r}` read, 0 for a host without VMs.
macro_rules! read_of {
    ($r:literal) => {
        concat!("COALESCE(a.", $r, "_high, 0), COALESCE(a.", $r, "_low, 0)")
    };
}

/// The statement, its two ids left to bind; fixed at compile time, from the split sums of
/// `sums.rs`.
const SQL: [&str; 2] = [
    concat!(
        "SELECT hosts.id, hosts.name, hosts.status, hosts.total_cpu, hosts.total_memory, \
         hosts.total_storage, hosts.reserved_cpu, hosts.reserved_memory, \
         hosts.reserved_storage, hosts.group_id, hosts.region, hosts.dc, hosts.room, \
         hosts.rack, hosts.external_system_id, hosts.created_at, hosts.updated_at, ",
        read_of!("cpu"),
        ", ",
        read_of!("memory"),
        ", ",
        read_of!("storage"),
        " FROM hosts LEFT JOIN (SELECT v.host_id, ",
        sums_of!("cpu"),
        ", ",
        sums_of!("memory"),
        ", ",
        sums_of!("storage"),
        " FROM virtual_machines v \
         JOIN vm_specifications s ON s.id = v.specification_id WHERE v.host_id = "
    ),
    " GROUP BY v.host_id) a ON a.host_id = hosts.id WHERE hosts.id = ",
];

type RowSql = (
    Text,
    Text,
    Text,
    BigInt,
    BigInt,
    BigInt,
    BigInt,
    BigInt,
    BigInt,
    Nullable<BigInt>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Nullable<Text>,
    Timestamp,
    Timestamp,
);
type PartsSql = ((BigInt, BigInt), (BigInt, BigInt), (BigInt, BigInt));

/// `SELECT` the host `id` with its allocation's split sums.
#[derive(Debug, Clone)]
pub(crate) struct HostWithAllocation {
    pub(crate) id: String,
}

impl QueryId for HostWithAllocation {
    type QueryId = Self;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl Query for HostWithAllocation {
    type SqlType = (RowSql, PartsSql);
}

impl<Conn> RunQueryDsl<Conn> for HostWithAllocation {}

impl<DB> QueryFragment<DB> for HostWithAllocation
where
    DB: Backend + HasSqlType<Text>,
    String: ToSql<Text, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let [head, join] = SQL;
        out.push_sql(head);
        out.push_bind_param::<Text, String>(&self.id)?;
        out.push_sql(join);
        out.push_bind_param::<Text, String>(&self.id)?;
        out.push_sql(" LIMIT 1");
        Ok(())
    }
}
