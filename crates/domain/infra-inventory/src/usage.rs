//! What is in use in a host group: the figures a store reads ([`QuotaUsage`], what the
//! `UsageReader` port returns) and a quota presented with them ([`QuotaWithUsage`], the view
//! the use cases hand back for a quota). Its own module so that the port (`ports`) and the
//! views (`views`) both import it and neither imports the other; both types are re-exported
//! from their former paths, `ports::QuotaUsage` and `views::QuotaWithUsage`.

use crate::ids::{HostGroupId, TenantId};
use crate::resources::HostGroupTenantQuota;
use capacity_quota::{QuotaState, Resources};

/// What a tenant's VMs hold in one host group, and the group's total CPU, now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuotaUsage {
    pub group_id: HostGroupId,
    pub tenant_id: TenantId,
    pub used: Resources,
    pub group_total_cpu: i64,
}

/// A quota with what its tenant's VMs hold in its host group now.
#[derive(Debug, Clone, PartialEq)]
pub struct QuotaWithUsage {
    pub quota: HostGroupTenantQuota,
    pub usage: QuotaUsage,
}

impl QuotaWithUsage {
    /// The quota as the admission policy sees it now (e.g. the CPU limit in cores that its
    /// percentage of the group's CPU means).
    pub fn state(&self) -> QuotaState {
        QuotaState {
            limits: self.quota.fields.limits,
            group_total_cpu: self.usage.group_total_cpu,
            used: self.usage.used,
        }
    }
}
