//! The rules that span rows, decided once for every adapter: each adapter reads the facts a
//! rule needs inside the write's transaction, with the rows they come from locked against
//! concurrent writers (or under its mutex), and lets these functions decide and word the
//! refusal.

use crate::error::{FieldError, StoreError};
use crate::ids::{HostGroupId, K8sClusterId, QuotaId, TenantId, VmSpecificationId};
use crate::record::{RecordId, RecordRef, ResourceKind};
use capacity_quota::{MAX_AMOUNT, Resource, Resources};

/// A placement in a group whose hosts the tenant was never granted.
pub fn not_granted(group: HostGroupId, tenant: TenantId) -> StoreError {
    StoreError::QuotaNotGranted(format!(
        "tenant {tenant} has no quota in host group {group}"
    ))
}

/// A host group holds at most [`MAX_AMOUNT`] of each resource in all (the sum of its hosts'
/// totals), so that what is derived from it (the group's total CPU, a CPU quota in cores)
/// reads exactly in every JSON client. `others` is what the group's other hosts hold, read
/// with the group row locked; `before` and `after` are the written host's totals in the group
/// before and after the write (zero before when it joins the group). A write that does not
/// grow a dimension passes even where the group is past the bound (data from before the bound
/// was kept), so that such a group can only shrink back under it.
pub fn group_may_hold(
    group: HostGroupId,
    others: Resources,
    before: Resources,
    after: Resources,
) -> Result<(), StoreError> {
    for resource in Resource::ALL {
        let grows = after.get(resource) > before.get(resource);
        // Both terms are bounded amounts, far from i64 overflow.
        if grows && others.get(resource).saturating_add(after.get(resource)) > MAX_AMOUNT {
            return Err(StoreError::Invalid(FieldError::new(
                format!("total_{resource}"),
                format!(
                    "host group {group} would hold more than {MAX_AMOUNT} {unit} in all (its other hosts hold {others} {unit})",
                    unit = resource.unit(),
                    others = others.get(resource),
                ),
            )));
        }
    }
    Ok(())
}

/// A specification that VMs use may shrink or keep its size, never grow: growing would claim
/// more on every host at once, past any check.
pub fn spec_may_change(
    id: VmSpecificationId,
    before: Resources,
    after: Resources,
    users: u64,
) -> Result<(), StoreError> {
    let grows = after.minus(before);
    if users > 0 && (grows.cpu > 0 || grows.memory > 0 || grows.storage > 0) {
        return Err(StoreError::Conflict(format!(
            "VM specification {id} is used by {users} virtual machine(s); its sizes cannot grow (create a new specification)"
        )));
    }
    Ok(())
}

/// A quota that grants a tenant a group in which it has VMs cannot be removed or moved.
pub fn quota_may_go(
    id: QuotaId,
    group: HostGroupId,
    tenant: TenantId,
    vms: u64,
) -> Result<(), StoreError> {
    if vms > 0 {
        return Err(StoreError::Conflict(format!(
            "host group tenant quota {id} grants tenant {tenant} host group {group}, where it has {vms} virtual machine(s)"
        )));
    }
    Ok(())
}

/// A VM may be a node of its own tenant's k8s clusters only. `owner` is the tenant of the
/// VM's cluster as the transaction sees it, the cluster row locked against a move; `None`
/// when the row is gone (deleted since the references were checked).
pub fn vm_may_join_cluster(
    cluster: K8sClusterId,
    owner: Option<TenantId>,
    vm_tenant: TenantId,
) -> Result<(), StoreError> {
    match owner {
        None => Err(StoreError::MissingReference {
            field: "k8s_cluster_id",
            target: RecordRef {
                kind: ResourceKind::K8sCluster,
                key: cluster.key(),
            },
        }),
        Some(owner) if owner != vm_tenant => Err(StoreError::Invalid(FieldError::new(
            "k8s_cluster_id",
            format!("k8s cluster {cluster} belongs to tenant {owner}, not to tenant {vm_tenant}"),
        ))),
        Some(_) => Ok(()),
    }
}

/// A k8s cluster keeps its tenant while VMs are its nodes: moving it would leave them in a
/// cluster of another tenant. `nodes` counts them with the cluster row locked, so that no VM
/// can join between the count and the move.
pub fn cluster_may_change_tenant(
    id: K8sClusterId,
    from: TenantId,
    to: TenantId,
    nodes: u64,
) -> Result<(), StoreError> {
    if from != to && nodes > 0 {
        return Err(StoreError::Conflict(format!(
            "k8s cluster {id} cannot move to tenant {to}: {nodes} virtual machine(s) of tenant {from} are its nodes"
        )));
    }
    Ok(())
}
