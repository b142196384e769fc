use crate::ids::{HostGroupId, QuotaId, TenantId};
use crate::record::{
    Draft, RecordId, RecordRef, Reference, ResourceKind, Stored, UniqueKey, admits,
};
use capacity_quota::Quota;

/// The quota fields as the inventory stores them; the model is capacity-quota's.
pub type QuotaDraft = Quota<HostGroupId, TenantId>;

/// A host-group tenant quota (the seed's BaremetalGroupTenantQuota).
pub type HostGroupTenantQuota = Stored<QuotaDraft>;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct QuotaFilter {
    pub group_id: Option<HostGroupId>,
    pub tenant_id: Option<TenantId>,
}

impl Draft for QuotaDraft {
    type Id = QuotaId;
    type Filter = QuotaFilter;
    const KIND: ResourceKind = ResourceKind::HostGroupTenantQuota;

    fn references(&self) -> Vec<Reference> {
        vec![
            Reference {
                field: "group_id",
                target: RecordRef {
                    kind: ResourceKind::HostGroup,
                    key: self.group_id.key(),
                },
            },
            Reference {
                field: "tenant_id",
                target: RecordRef {
                    kind: ResourceKind::Tenant,
                    key: self.tenant_id.key(),
                },
            },
        ]
    }

    /// One quota per (host group, tenant).
    fn unique_key(&self) -> Option<UniqueKey> {
        Some(UniqueKey {
            what: "group_id and tenant_id",
            value: format!("{}/{}", self.group_id, self.tenant_id),
        })
    }

    fn matches(&self, filter: &Self::Filter) -> bool {
        admits(&filter.group_id, &self.group_id) && admits(&filter.tenant_id, &self.tenant_id)
    }
}
