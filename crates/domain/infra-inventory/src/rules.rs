//! Refusals both adapters decide inside their transactions, worded once.

use crate::error::StoreError;
use crate::ids::{HostGroupId, QuotaId, TenantId, VmSpecificationId};
use capacity_quota::Resources;

/// A placement in a group whose hosts the tenant was never granted.
pub fn not_granted(group: HostGroupId, tenant: TenantId) -> StoreError {
    StoreError::QuotaNotGranted(format!(
        "tenant {tenant} has no quota in host group {group}"
    ))
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
