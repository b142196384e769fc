use crate::{Amount, CpuPercentage};
use serde::{Deserialize, Serialize};

/// What a tenant may use in one host group: CPU as a share of the group's total CPU at the
/// moment of a claim, memory (MB) and storage (GB) absolute.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct QuotaLimits {
    pub cpu_quota_percentage: CpuPercentage,
    pub memory_quota: Amount,
    pub storage_quota: Amount,
}

/// A host-group tenant quota: the row that both grants a tenant a host group and bounds it.
/// Generic over the id types of host groups and tenants, which belong to the inventory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quota<G, T> {
    pub group_id: G,
    pub tenant_id: T,
    #[serde(flatten)]
    pub limits: QuotaLimits,
}
