//! The use cases of the inventory: validated drafts in, views of records ([`ReadModel`]) or
//! domain errors out.

use crate::error::InventoryError;
use crate::ids::TenantId;
use crate::page::{Page, PageRequest};
use crate::ports::{Repository, UsageReader};
use crate::record::{Record, RecordId};
use crate::resources::{HostGroupTenantQuota, QuotaFilter, Tenant};
use crate::views::{QuotaWithUsage, ReadModel};

/// The inventory's use cases over a store `S`.
#[derive(Debug, Clone)]
pub struct InventoryService<S> {
    store: S,
}

impl<S> InventoryService<S> {
    pub fn new(store: S) -> Self {
        Self { store }
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    /// Stores a new record and returns its view ([`ReadModel`]).
    ///
    /// Rules that span rows (references, unique keys, capacity, a VM's cluster of its own
    /// tenant) are the store's to check, in the write's transaction: a check made here, in a
    /// transaction of its own, could be overtaken by a concurrent write before this one.
    pub fn create<R>(&self, draft: R::Draft) -> Result<R::View, InventoryError>
    where
        R: ReadModel,
        S: Repository<R> + UsageReader,
    {
        let record = self
            .store
            .create(&draft)
            .map_err(|e| store_error::<R>(None, e))?;
        self.view(record)
    }

    pub fn get<R>(&self, id: R::Id) -> Result<R::View, InventoryError>
    where
        R: ReadModel,
        S: Repository<R> + UsageReader,
    {
        R::get_view(&self.store, id)
            .map_err(|e| store_error::<R>(Some(id), e))?
            .ok_or_else(|| not_found::<R>(id))
    }

    /// One page of views, read in one call to the store.
    pub fn list<R>(
        &self,
        filter: &R::Filter,
        page: PageRequest,
    ) -> Result<Page<R::View>, InventoryError>
    where
        R: ReadModel,
        S: Repository<R> + UsageReader,
    {
        R::list_views(&self.store, filter, page).map_err(|e| store_error::<R>(None, e))
    }

    /// As [`InventoryService::create`], the store checks every rule in the write's transaction.
    pub fn update<R>(&self, id: R::Id, draft: R::Draft) -> Result<R::View, InventoryError>
    where
        R: ReadModel,
        S: Repository<R> + UsageReader,
    {
        let record = self
            .store
            .update(id, &draft)
            .map_err(|e| store_error::<R>(Some(id), e))?
            .ok_or_else(|| not_found::<R>(id))?;
        self.view(record)
    }

    pub fn delete<R>(&self, id: R::Id) -> Result<(), InventoryError>
    where
        R: Record,
        S: Repository<R>,
    {
        if self
            .store
            .delete(id)
            .map_err(|e| store_error::<R>(Some(id), e))?
        {
            Ok(())
        } else {
            Err(not_found::<R>(id))
        }
    }

    fn view<R: ReadModel>(&self, record: R) -> Result<R::View, InventoryError>
    where
        S: UsageReader,
    {
        let id = record.id();
        R::views(&self.store, vec![record])
            .map_err(|e| store_error::<R>(Some(id), e))?
            .pop()
            .ok_or_else(|| InventoryError::Internal(format!("no view of {}", R::KIND.singular())))
    }
}

impl<S> InventoryService<S>
where
    S: Repository<Tenant> + Repository<HostGroupTenantQuota> + UsageReader,
{
    /// Every quota of a tenant, with what the tenant's VMs hold in its group now.
    pub fn tenant_usage(&self, tenant: TenantId) -> Result<Vec<QuotaWithUsage>, InventoryError> {
        self.get::<Tenant>(tenant)?;
        let filter = QuotaFilter {
            tenant_id: Some(tenant),
            ..QuotaFilter::default()
        };
        let mut quotas: Vec<QuotaWithUsage> = Vec::new();
        for page in 1.. {
            let found = self.list::<HostGroupTenantQuota>(
                &filter,
                PageRequest {
                    page,
                    per_page: 1000,
                    after: None,
                },
            )?;
            let done =
                found.items.is_empty() || (quotas.len() + found.items.len()) as u64 >= found.total;
            quotas.extend(found.items);
            if done {
                break;
            }
        }
        Ok(quotas)
    }
}

fn not_found<R: Record>(id: R::Id) -> InventoryError {
    InventoryError::NotFound {
        kind: R::KIND,
        key: id.to_string(),
    }
}

fn store_error<R: Record>(id: Option<R::Id>, err: crate::StoreError) -> InventoryError {
    InventoryError::from_store(R::KIND, id.map(RecordId::key), err)
}
