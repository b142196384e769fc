use super::MemoryStore;
use super::stored::now;
use super::tables::Tables;
use crate::error::StoreError;
use crate::ids::HostId;
use crate::page::{Page, PageRequest};
use crate::ports::Repository;
use crate::record::{Record, RecordId};
use crate::resources::{Host, HostDraft, HostFilter, VirtualMachine};
use crate::rules::group_may_hold;
use capacity_quota::Resources;

impl Tables {
    /// What the VMs placed on a host claim: the sum of their specifications, bounded as
    /// every sum of amounts is read ([`Resources::bounded_sum`]).
    pub(super) fn allocated_on(&self, host: HostId) -> Result<Resources, StoreError> {
        let sizes = self
            .all::<VirtualMachine>()
            .filter(|vm| vm.fields.host_id == host)
            .map(|vm| self.spec_resources(vm.fields.specification_id))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Resources::bounded_sum(sizes))
    }

    /// Refuses `host`, written over `current` (`None` on create), where it would grow its
    /// group past the bound of [`group_may_hold`].
    fn group_may_hold(&self, host: &Host, current: Option<&Host>) -> Result<(), StoreError> {
        let Some(group) = host.group_id else {
            return Ok(());
        };
        let others = Resources::bounded_sum(
            self.all::<Host>()
                .filter(|h| h.group_id == Some(group) && h.id != host.id)
                .map(|h| h.capacity.total),
        );
        let before = current
            .filter(|c| c.group_id == Some(group))
            .map_or(Resources::ZERO, |c| c.capacity.total);
        group_may_hold(group, others, before, host.capacity.total)
    }

    fn vms_on(&self, host: HostId) -> usize {
        self.all::<VirtualMachine>()
            .filter(|vm| vm.fields.host_id == host)
            .count()
    }

    /// A stored host with its allocation filled in; hosts are kept with none.
    fn host(&self, id: HostId) -> Result<Option<Host>, StoreError> {
        self.get::<Host>(id)
            .map(|h| self.with_allocation(h.clone()))
            .transpose()
    }

    fn with_allocation(&self, mut host: Host) -> Result<Host, StoreError> {
        host.capacity.allocated = self.allocated_on(host.id)?;
        Ok(host)
    }
}

impl Repository<Host> for MemoryStore {
    fn create(&self, draft: &HostDraft) -> Result<Host, StoreError> {
        let mut tables = self.lock()?;
        tables.check_write::<Host>(draft, None)?;
        let at = now();
        let host = draft.resolve(
            HostId::generate(0),
            Resources::ZERO,
            Resources::ZERO,
            at,
            at,
        )?;
        tables.group_may_hold(&host, None)?;
        tables.put(host.clone(), draft);
        Ok(host)
    }

    fn get(&self, id: HostId) -> Result<Option<Host>, StoreError> {
        self.lock()?.host(id)
    }

    fn list(&self, filter: &HostFilter, page: PageRequest) -> Result<Page<Host>, StoreError> {
        let tables = self.lock()?;
        let found = tables.page::<Host>(page, |h| h.matches(filter));
        let items = found
            .items
            .into_iter()
            .map(|h| tables.with_allocation(h))
            .collect::<Result<_, _>>()?;
        Ok(Page {
            items,
            total: found.total,
        })
    }

    fn update(&self, id: HostId, draft: &HostDraft) -> Result<Option<Host>, StoreError> {
        let mut tables = self.lock()?;
        let Some(current) = tables.host(id)? else {
            return Ok(None);
        };
        tables.check_write::<Host>(draft, Some(id.key()))?;
        if current.group_id != draft.group_id {
            let vms = tables.vms_on(id);
            if vms > 0 {
                return Err(StoreError::Conflict(format!(
                    "host {id} has {vms} virtual machine(s); a host with VMs cannot move to another group"
                )));
            }
        }
        let updated_at = now().max(current.created_at);
        let host = draft.resolve(
            id,
            current.capacity.reserved,
            current.capacity.allocated,
            current.created_at,
            updated_at,
        )?;
        tables.group_may_hold(&host, Some(&current))?;
        let mut stored = host.clone();
        stored.capacity.allocated = Resources::ZERO;
        tables.put(stored, draft);
        Ok(Some(host))
    }

    fn delete(&self, id: HostId) -> Result<bool, StoreError> {
        self.lock()?.remove(Host::record_ref(id))
    }
}
