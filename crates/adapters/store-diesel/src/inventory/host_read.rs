//! One host and what its VMs claim, in one statement whose plan sums the VMs once.
//!
//! The DSL can select the allocation only as correlated subqueries, one per summed part
//! (six), which PostgreSQL plans and runs as six subplans: a third of a primary-key read's
//! throughput. Joining the host to one grouped sum of its VMs needs a subquery in `FROM`,
//! which diesel's DSL cannot write, so this statement is written out here, with the id
//! bound twice (the planner then sums only this host's VMs on either backend). Its text is
//! constant, so its prepared statement is cached by type.

use diesel::backend::Backend;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, HasSqlType, Nullable, Text, Timestamp};

/// The columns of `host::Row`, in its order, then the allocation's parts.
const HEAD: &str = "SELECT hosts.id, hosts.name, hosts.status, hosts.total_cpu, \
    hosts.total_memory, hosts.total_storage, hosts.reserved_cpu, hosts.reserved_memory, \
    hosts.reserved_storage, hosts.group_id, hosts.region, hosts.dc, hosts.room, hosts.rack, \
    hosts.external_system_id, hosts.created_at, hosts.updated_at, \
    COALESCE(a.cpu_high, 0), COALESCE(a.cpu_low, 0), COALESCE(a.memory_high, 0), \
    COALESCE(a.memory_low, 0), COALESCE(a.storage_high, 0), COALESCE(a.storage_low, 0) \
    FROM hosts LEFT JOIN (";

/// The split sums (`sums.rs`) of what the VMs on the bound host claim, `NULL` without VMs.
const ALLOCATION: &str = "SELECT v.host_id, \
    CAST(SUM(s.required_cpu >> 32) AS BIGINT) AS cpu_high, \
    CAST(SUM(s.required_cpu & 4294967295) AS BIGINT) AS cpu_low, \
    CAST(SUM(s.required_memory >> 32) AS BIGINT) AS memory_high, \
    CAST(SUM(s.required_memory & 4294967295) AS BIGINT) AS memory_low, \
    CAST(SUM(s.required_storage >> 32) AS BIGINT) AS storage_high, \
    CAST(SUM(s.required_storage & 4294967295) AS BIGINT) AS storage_low \
    FROM virtual_machines v JOIN vm_specifications s ON s.id = v.specification_id \
    WHERE v.host_id = ";

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
        out.push_sql(HEAD);
        out.push_sql(ALLOCATION);
        out.push_bind_param::<Text, String>(&self.id)?;
        out.push_sql(" GROUP BY v.host_id) a ON a.host_id = hosts.id WHERE hosts.id = ");
        out.push_bind_param::<Text, String>(&self.id)?;
        out.push_sql(" LIMIT 1");
        Ok(())
    }
}
