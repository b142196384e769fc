//! VMs claim capacity; specifications in use cannot grow; quotas in use cannot go away.

use super::MemoryStore;
use super::stored::now;
use super::tables::Tables;
use crate::error::StoreError;
use crate::ids::{HostGroupId, QuotaId, TenantId, VirtualMachineId, VmSpecificationId};
use crate::page::{Page, PageRequest};
use crate::ports::{QuotaUsage, Repository, UsageReader};
use crate::record::{Record, RecordId, Stored};
use crate::resources::NoFilter;
use crate::resources::{
    Host, HostGroupTenantQuota, QuotaDraft, QuotaFilter, VirtualMachine, VirtualMachineDraft,
    VirtualMachineFilter, VmSpecification, VmSpecificationDraft,
};
use crate::rules::{not_granted, quota_may_go, spec_may_change};
use crate::views::QuotaWithUsage;
use capacity_quota::{Claim, QuotaState, Resources, bounded_sum};

impl Tables {
    /// The sizes of a specification that must be stored: one a draft refers to (checked under
    /// this same lock) or a stored VM's (deletes restrict while VMs use it).
    pub(super) fn spec_resources(&self, id: VmSpecificationId) -> Result<Resources, StoreError> {
        self.get::<VmSpecification>(id)
            .map(|s| s.fields.resources())
            .ok_or_else(|| {
                StoreError::Unavailable(format!(
                    "VM specification {id} is referred to but not stored"
                ))
            })
    }

    fn hosts_in(&self, group: HostGroupId) -> impl Iterator<Item = &Host> {
        self.all::<Host>()
            .filter(move |h| h.group_id == Some(group))
    }

    /// The group's total CPU, bounded as every sum of amounts is read.
    fn group_total_cpu(&self, group: HostGroupId) -> i64 {
        bounded_sum(self.hosts_in(group).map(|h| h.capacity.total.cpu))
    }

    fn group_of(&self, vm: &VirtualMachine) -> Option<HostGroupId> {
        let host = self.get::<Host>(vm.fields.host_id);
        debug_assert!(host.is_some(), "VM {} on an unstored host", vm.id);
        host.and_then(|h| h.group_id)
    }

    /// What a tenant's VMs hold on the hosts of a group, bounded as every sum of amounts is
    /// read.
    fn tenant_usage(&self, group: HostGroupId, tenant: TenantId) -> Result<Resources, StoreError> {
        let sizes = self
            .all::<VirtualMachine>()
            .filter(|vm| vm.fields.tenant_id == tenant && self.group_of(vm) == Some(group))
            .map(|vm| self.spec_resources(vm.fields.specification_id))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Resources::bounded_sum(sizes))
    }

    /// What a tenant's VMs hold in a group, and the group's total CPU, now.
    fn quota_usage(
        &self,
        group_id: HostGroupId,
        tenant_id: TenantId,
    ) -> Result<QuotaUsage, StoreError> {
        Ok(QuotaUsage {
            group_id,
            tenant_id,
            used: self.tenant_usage(group_id, tenant_id)?,
            group_total_cpu: self.group_total_cpu(group_id),
        })
    }

    /// The quota with what its tenant's VMs hold in its group now.
    fn with_usage(&self, quota: HostGroupTenantQuota) -> Result<QuotaWithUsage, StoreError> {
        let usage = self.quota_usage(quota.fields.group_id, quota.fields.tenant_id)?;
        Ok(QuotaWithUsage { quota, usage })
    }

    fn quota(&self, group: HostGroupId, tenant: TenantId) -> Option<&HostGroupTenantQuota> {
        self.all::<HostGroupTenantQuota>()
            .find(|q| q.fields.group_id == group && q.fields.tenant_id == tenant)
    }

    /// Admits the claim of `draft`, replacing that of `current` (the VM before an update).
    fn admit(
        &self,
        current: Option<&VirtualMachine>,
        draft: &VirtualMachineDraft,
    ) -> Result<(), StoreError> {
        let request = self.spec_resources(draft.specification_id)?;
        let held = match current {
            Some(vm) => self.spec_resources(vm.fields.specification_id)?,
            None => Resources::ZERO,
        };
        // check_write found the host under this same lock.
        let host = self.get::<Host>(draft.host_id).ok_or_else(|| {
            StoreError::Unavailable(format!(
                "host {} is referred to but not stored",
                draft.host_id
            ))
        })?;
        let mut capacity = host.capacity;
        capacity.allocated = self.allocated_on(host.id)?;
        let on_same_host = current.is_some_and(|vm| vm.fields.host_id == draft.host_id);
        capacity.admit_claim(Claim {
            request,
            previous: if on_same_host { held } else { Resources::ZERO },
        })?;
        let Some(group) = host.group_id else {
            return Ok(());
        };
        let quota = self
            .quota(group, draft.tenant_id)
            .ok_or_else(|| not_granted(group, draft.tenant_id))?;
        let in_same_quota = current.is_some_and(|vm| {
            vm.fields.tenant_id == draft.tenant_id && self.group_of(vm) == Some(group)
        });
        let state = QuotaState {
            limits: quota.fields.limits,
            group_total_cpu: self.group_total_cpu(group),
            used: self.tenant_usage(group, draft.tenant_id)?,
        };
        state.admit(Claim {
            request,
            previous: if in_same_quota { held } else { Resources::ZERO },
        })?;
        Ok(())
    }
}

impl Repository<VirtualMachine> for MemoryStore {
    fn create(&self, draft: &VirtualMachineDraft) -> Result<VirtualMachine, StoreError> {
        let mut tables = self.lock()?;
        tables.check_write::<VirtualMachine>(draft, None)?;
        tables.check_vm_cluster(draft)?;
        tables.admit(None, draft)?;
        let at = now();
        let vm = Stored {
            id: VirtualMachineId::generate(0),
            fields: draft.clone(),
            created_at: at,
            updated_at: at,
        };
        tables.put(vm.clone(), draft);
        Ok(vm)
    }

    fn get(&self, id: VirtualMachineId) -> Result<Option<VirtualMachine>, StoreError> {
        Ok(self.lock()?.get::<VirtualMachine>(id).cloned())
    }

    fn list(
        &self,
        filter: &VirtualMachineFilter,
        page: PageRequest,
    ) -> Result<Page<VirtualMachine>, StoreError> {
        Ok(self
            .lock()?
            .page::<VirtualMachine>(page, |vm| vm.matches(filter)))
    }

    fn update(
        &self,
        id: VirtualMachineId,
        draft: &VirtualMachineDraft,
    ) -> Result<Option<VirtualMachine>, StoreError> {
        let mut tables = self.lock()?;
        let Some(current) = tables.get::<VirtualMachine>(id).cloned() else {
            return Ok(None);
        };
        tables.check_write::<VirtualMachine>(draft, Some(id.key()))?;
        tables.check_vm_cluster(draft)?;
        tables.admit(Some(&current), draft)?;
        let vm = Stored {
            id,
            fields: draft.clone(),
            created_at: current.created_at,
            updated_at: now().max(current.created_at),
        };
        tables.put(vm.clone(), draft);
        Ok(Some(vm))
    }

    fn delete(&self, id: VirtualMachineId) -> Result<bool, StoreError> {
        self.lock()?.remove(VirtualMachine::record_ref(id))
    }
}

impl Repository<VmSpecification> for MemoryStore {
    fn create(&self, draft: &VmSpecificationDraft) -> Result<VmSpecification, StoreError> {
        self.create_stored(draft)
    }

    fn get(&self, id: VmSpecificationId) -> Result<Option<VmSpecification>, StoreError> {
        Ok(self.lock()?.get::<VmSpecification>(id).cloned())
    }

    fn list(
        &self,
        _filter: &NoFilter,
        page: PageRequest,
    ) -> Result<Page<VmSpecification>, StoreError> {
        Ok(self.lock()?.page::<VmSpecification>(page, |_| true))
    }

    fn update(
        &self,
        id: VmSpecificationId,
        draft: &VmSpecificationDraft,
    ) -> Result<Option<VmSpecification>, StoreError> {
        let mut tables = self.lock()?;
        let Some(current) = tables.get::<VmSpecification>(id).cloned() else {
            return Ok(None);
        };
        let users = tables
            .all::<VirtualMachine>()
            .filter(|vm| vm.fields.specification_id == id)
            .count();
        spec_may_change(
            id,
            current.fields.resources(),
            draft.resources(),
            users as u64,
        )?;
        tables.check_write::<VmSpecification>(draft, Some(id.key()))?;
        let spec = Stored {
            id,
            fields: draft.clone(),
            created_at: current.created_at,
            updated_at: now().max(current.created_at),
        };
        tables.put(spec.clone(), draft);
        Ok(Some(spec))
    }

    fn delete(&self, id: VmSpecificationId) -> Result<bool, StoreError> {
        self.lock()?.remove(VmSpecification::record_ref(id))
    }
}

impl Tables {
    fn vms_of_tenant_in(&self, group: HostGroupId, tenant: TenantId) -> u64 {
        self.all::<VirtualMachine>()
            .filter(|vm| vm.fields.tenant_id == tenant && self.group_of(vm) == Some(group))
            .count() as u64
    }
}

impl Repository<HostGroupTenantQuota> for MemoryStore {
    fn create(&self, draft: &QuotaDraft) -> Result<HostGroupTenantQuota, StoreError> {
        self.create_stored(draft)
    }

    fn get(&self, id: QuotaId) -> Result<Option<HostGroupTenantQuota>, StoreError> {
        Ok(self.lock()?.get::<HostGroupTenantQuota>(id).cloned())
    }

    fn list(
        &self,
        filter: &QuotaFilter,
        page: PageRequest,
    ) -> Result<Page<HostGroupTenantQuota>, StoreError> {
        Ok(self
            .lock()?
            .page::<HostGroupTenantQuota>(page, |q| q.matches(filter)))
    }

    fn update(
        &self,
        id: QuotaId,
        draft: &QuotaDraft,
    ) -> Result<Option<HostGroupTenantQuota>, StoreError> {
        let mut tables = self.lock()?;
        let Some(current) = tables.get::<HostGroupTenantQuota>(id).cloned() else {
            return Ok(None);
        };
        let (group, tenant) = (current.fields.group_id, current.fields.tenant_id);
        if (group, tenant) != (draft.group_id, draft.tenant_id) {
            quota_may_go(id, group, tenant, tables.vms_of_tenant_in(group, tenant))?;
        }
        tables.check_write::<HostGroupTenantQuota>(draft, Some(id.key()))?;
        let quota = Stored {
            id,
            fields: draft.clone(),
            created_at: current.created_at,
            updated_at: now().max(current.created_at),
        };
        tables.put(quota.clone(), draft);
        Ok(Some(quota))
    }

    fn delete(&self, id: QuotaId) -> Result<bool, StoreError> {
        let mut tables = self.lock()?;
        if let Some(current) = tables.get::<HostGroupTenantQuota>(id) {
            let (group, tenant) = (current.fields.group_id, current.fields.tenant_id);
            quota_may_go(id, group, tenant, tables.vms_of_tenant_in(group, tenant))?;
        }
        tables.remove(HostGroupTenantQuota::record_ref(id))
    }
}

impl UsageReader for MemoryStore {
    fn quota_usage(
        &self,
        pairs: &[(HostGroupId, TenantId)],
    ) -> Result<Vec<QuotaUsage>, StoreError> {
        let tables = self.lock()?;
        pairs
            .iter()
            .map(|&(group, tenant)| tables.quota_usage(group, tenant))
            .collect()
    }

    fn quota_with_usage(&self, id: QuotaId) -> Result<Option<QuotaWithUsage>, StoreError> {
        let tables = self.lock()?;
        tables
            .get::<HostGroupTenantQuota>(id)
            .cloned()
            .map(|quota| tables.with_usage(quota))
            .transpose()
    }

    fn quotas_with_usage(
        &self,
        filter: &QuotaFilter,
        page: PageRequest,
    ) -> Result<Page<QuotaWithUsage>, StoreError> {
        // Under one lock: the page and its usage are of one moment, as one statement's are.
        let tables = self.lock()?;
        let found = tables.page::<HostGroupTenantQuota>(page, |q| q.matches(filter));
        Ok(Page {
            items: found
                .items
                .into_iter()
                .map(|quota| tables.with_usage(quota))
                .collect::<Result<_, _>>()?,
            total: found.total,
        })
    }
}
