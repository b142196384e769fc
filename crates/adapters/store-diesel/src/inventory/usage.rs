//! What is in use, read: the usage of (group, tenant) pairs, and quotas with their usage,
//! each quota read in one statement whose correlated subqueries sum what its tenant's VMs
//! claim in its group and what its group's hosts hold.

use super::DbKey;
use super::quota::Row;
use super::sums::{
    SplitParts, correlated_sums, joined, joined_resources, read_resources, read_sums, spec_sums,
    split_sum, split_sum_sql,
};
use super::table::StoredTable;
use crate::counts;
use crate::error::TxError;
use crate::fixed_sql::FixedSql;
use crate::page::{Total, Window, load_page, uuid_key};
use crate::schema::{
    host_group_tenant_quotas as quotas, hosts, virtual_machines as vms, vm_specifications as specs,
};
use crate::store::DieselStore;
use capacity_quota::Resources;
use diesel::prelude::*;
use diesel::sql_types::Text;
use infra_inventory::ids::{HostGroupId, QuotaId, TenantId};
use infra_inventory::ports::{QuotaUsage, UsageReader};
use infra_inventory::resources::{HostGroupTenantQuota, QuotaDraft, QuotaFilter};
use infra_inventory::views::QuotaWithUsage;
use infra_inventory::{Page, PageRequest, StoreError};
use std::collections::HashMap;

/// Selected beside a quota row, read with [`usage_of`]: what its tenant's VMs claim in its
/// group (cpu, memory, storage) and its group's total CPU, as two correlated subqueries.
fn usage_beside_quota() -> (FixedSql<Text>, FixedSql<Text>) {
    (
        correlated_sums!(
            ["s.required_cpu", "s.required_memory", "s.required_storage"],
            "virtual_machines v \
             JOIN vm_specifications s ON s.id = v.specification_id \
             JOIN hosts h ON h.id = v.host_id \
             WHERE v.tenant_id = host_group_tenant_quotas.tenant_id \
             AND h.group_id = host_group_tenant_quotas.group_id",
        ),
        correlated_sums!(
            ["h.total_cpu"],
            "hosts h WHERE h.group_id = host_group_tenant_quotas.group_id",
        ),
    )
}

/// A quota row as selected with [`usage_beside_quota`].
type RowWithUsage = (Row, (String, String));

/// The quota a row holds, with the usage selected beside it.
fn usage_of((row, (used, total)): RowWithUsage) -> Result<QuotaWithUsage, TxError<StoreError>> {
    let quota: HostGroupTenantQuota = QuotaDraft::record(row)?;
    let [group_total_cpu] = read_sums::<1>(&total)?;
    let usage = QuotaUsage {
        group_id: quota.fields.group_id,
        tenant_id: quota.fields.tenant_id,
        used: read_resources(&used)?,
        group_total_cpu,
    };
    Ok(QuotaWithUsage { quota, usage })
}

impl UsageReader for DieselStore {
    fn quota_usage(
        &self,
        pairs: &[(HostGroupId, TenantId)],
    ) -> Result<Vec<QuotaUsage>, StoreError> {
        let groups: Vec<i64> = pairs.iter().map(|(g, _)| g.0).collect();
        let tenants: Vec<i64> = pairs.iter().map(|(_, t)| t.0).collect();
        self.read(|conn| {
            // Two grouped queries for any number of pairs.
            let used: Vec<(i64, Option<i64>, SplitParts)> = vms::table
                .inner_join(specs::table)
                .inner_join(hosts::table)
                .filter(vms::tenant_id.eq_any(&tenants))
                .filter(hosts::group_id.eq_any(&groups))
                .group_by((vms::tenant_id, hosts::group_id))
                .select((vms::tenant_id, hosts::group_id, spec_sums()))
                .load(conn)?;
            let totals: Vec<(Option<i64>, (i64, i64))> = hosts::table
                .filter(hosts::group_id.eq_any(&groups))
                .group_by(hosts::group_id)
                .select((
                    hosts::group_id,
                    split_sum(split_sum_sql!("hosts.total_cpu")),
                ))
                .load(conn)?;
            // group_id is nullable in type only here: `eq_any` matches no NULL.
            let used: HashMap<(i64, i64), Resources> = used
                .into_iter()
                .filter_map(|(t, g, parts)| g.map(|g| ((g, t), joined_resources(parts))))
                .collect();
            let totals: HashMap<i64, i64> = totals
                .into_iter()
                .filter_map(|(g, parts)| g.map(|g| (g, joined(parts))))
                .collect();
            Ok(pairs
                .iter()
                .map(|&(group_id, tenant_id)| QuotaUsage {
                    group_id,
                    tenant_id,
                    // No row in a sum means nothing to sum: no VMs of the tenant in the
                    // group, no hosts in the group.
                    used: used
                        .get(&(group_id.0, tenant_id.0))
                        .copied()
                        .unwrap_or(Resources::ZERO),
                    group_total_cpu: totals.get(&group_id.0).copied().unwrap_or(0),
                })
                .collect())
        })
    }

    fn quota_with_usage(&self, id: QuotaId) -> Result<Option<QuotaWithUsage>, StoreError> {
        self.read(|conn| {
            let found: Option<RowWithUsage> = quotas::table
                .find(id.db_key())
                .select((Row::as_select(), usage_beside_quota()))
                .first(conn)
                .optional()?;
            found.map(usage_of).transpose()
        })
    }

    fn quotas_with_usage(
        &self,
        filter: &QuotaFilter,
        page: PageRequest,
    ) -> Result<Page<QuotaWithUsage>, StoreError> {
        let window = Window {
            offset: page.offset(),
            limit: page.limit(),
            after: page.after,
        };
        self.read(|conn| {
            // The count is the quota list's own, kept under the same key.
            let (total, rows): (u64, Vec<RowWithUsage>) = load_page(
                conn,
                Total::Kept(
                    self.counts(),
                    &counts::key("host_group_tenant_quotas", filter),
                ),
                || QuotaDraft::filtered(filter),
                |q| match window.after {
                    None => Ok(q),
                    Some(after) => Ok(q.filter(quotas::id.gt(uuid_key(after)?))),
                },
                (Row::as_select(), usage_beside_quota()),
                quotas::id.asc(),
                window,
            )?;
            let items = rows.into_iter().map(usage_of).collect::<Result<_, _>>()?;
            Ok(Page { items, total })
        })
    }
}
