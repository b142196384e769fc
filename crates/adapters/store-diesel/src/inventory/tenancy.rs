//! The tenancy rules of k8s clusters inside the write's transaction (the rules themselves are
//! `infra_inventory::rules`): a VM's cluster belongs to the VM's tenant, and a cluster with VMs
//! keeps its tenant.
//!
//! The cluster row is the lock both sides meet on. A VM write share-locks it before it reads
//! the cluster's tenant, so the cluster cannot move until the VM is committed; a cluster
//! update locks it exclusively before it counts the nodes, so no VM can join until the move is
//! committed, and READ COMMITTED lets whichever goes second see what the first wrote. It comes
//! first in the lock order of placement (see `placement.rs`). SQLite's write transaction holds
//! the whole database, so its arms read without a lock.

use super::DbKey;
use crate::connection::AnyConnection;
use crate::dialect::db_run;
use crate::error::TxError;
use crate::page::row_count;
use crate::schema::{k8s_clusters as clusters, virtual_machines as vms};
use diesel::dsl::count_star;
use diesel::prelude::*;
use infra_inventory::StoreError;
use infra_inventory::ids::{K8sClusterId, TenantId};
use infra_inventory::resources::{K8sClusterDraft, VirtualMachineDraft};
use infra_inventory::rules::{cluster_may_change_tenant, vm_may_join_cluster};

/// A VM may join only a cluster of its own tenant.
pub(crate) fn vm_joins_own_cluster(
    conn: &mut AnyConnection,
    draft: &VirtualMachineDraft,
) -> Result<(), TxError<StoreError>> {
    let Some(cluster) = draft.k8s_cluster_id else {
        return Ok(());
    };
    let query = clusters::table
        .find(cluster.db_key())
        .select(clusters::tenant_id);
    let owner: Option<i64> = db_run!(conn,
        postgres(pg) => query.for_share().first(pg).optional(),
        sqlite(lite) => query.first(lite).optional(),
    )?;
    Ok(vm_may_join_cluster(
        cluster,
        owner.map(TenantId),
        draft.tenant_id,
    )?)
}

/// A cluster with nodes cannot move to another tenant.
pub(crate) fn cluster_keeps_tenant_of_nodes(
    conn: &mut AnyConnection,
    id: K8sClusterId,
    draft: &K8sClusterDraft,
) -> Result<(), TxError<StoreError>> {
    let query = clusters::table
        .find(id.db_key())
        .select(clusters::tenant_id);
    let owner: Option<i64> = db_run!(conn,
        postgres(pg) => query.for_update().first(pg).optional(),
        sqlite(lite) => query.first(lite).optional(),
    )?;
    // Deleted since the update found it: the update then writes no row and reports absence.
    let Some(from) = owner.map(TenantId) else {
        return Ok(());
    };
    if from == draft.tenant_id {
        return Ok(());
    }
    let nodes: i64 = vms::table
        .filter(vms::k8s_cluster_id.eq(id.db_key()))
        .select(count_star())
        .get_result(conn)?;
    Ok(cluster_may_change_tenant(
        id,
        from,
        draft.tenant_id,
        row_count(nodes)?,
    )?)
}
