use super::MemoryStore;
use crate::error::StoreError;
use crate::page::{Page, PageRequest};
use crate::ports::Repository;
use crate::record::{Draft, Record, RecordId, Stored};
use crate::resources::{
    HostGroupDraft, MaintainerDraft, MaintainerGroupDraft, MaintainerGroupMemberDraft,
    ResourceMaintainerDraft, TenantDraft,
};
use chrono::{DateTime, SubsecRound, Utc};

/// Timestamps at the precision SQL stores keep, so that every adapter returns the same value.
pub(super) fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

impl MemoryStore {
    pub(super) fn create_stored<D: Draft>(&self, draft: &D) -> Result<Stored<D>, StoreError> {
        let mut tables = self.lock()?;
        tables.check_write::<Stored<D>>(draft, None)?;
        let id = D::Id::generate(tables.next_sequence(D::KIND));
        let at = now();
        let record = Stored {
            id,
            fields: draft.clone(),
            created_at: at,
            updated_at: at,
        };
        tables.put(record.clone(), draft);
        Ok(record)
    }

    fn update_stored<D: Draft>(
        &self,
        id: D::Id,
        draft: &D,
    ) -> Result<Option<Stored<D>>, StoreError> {
        let mut tables = self.lock()?;
        let Some(created_at) = tables.get::<Stored<D>>(id).map(|r| r.created_at) else {
            return Ok(None);
        };
        tables.check_write::<Stored<D>>(draft, Some(id.key()))?;
        let record = Stored {
            id,
            fields: draft.clone(),
            created_at,
            updated_at: now().max(created_at),
        };
        tables.put(record.clone(), draft);
        Ok(Some(record))
    }
}

/// Kinds whose rows are stored exactly as the client wrote them.
macro_rules! stored_repository {
    ($($draft:ty),* $(,)?) => {$(
        impl Repository<Stored<$draft>> for MemoryStore {
            fn create(&self, draft: &$draft) -> Result<Stored<$draft>, StoreError> {
                self.create_stored(draft)
            }

            fn get(&self, id: <$draft as Draft>::Id) -> Result<Option<Stored<$draft>>, StoreError> {
                Ok(self.lock()?.get::<Stored<$draft>>(id).cloned())
            }

            fn list(
                &self,
                filter: &<$draft as Draft>::Filter,
                page: PageRequest,
            ) -> Result<Page<Stored<$draft>>, StoreError> {
                Ok(self.lock()?.page::<Stored<$draft>>(page, |r| r.matches(filter)))
            }

            fn update(&self, id: <$draft as Draft>::Id, draft: &$draft) -> Result<Option<Stored<$draft>>, StoreError> {
                self.update_stored(id, draft)
            }

            fn delete(&self, id: <$draft as Draft>::Id) -> Result<bool, StoreError> {
                self.lock()?.remove(Stored::<$draft>::record_ref(id))
            }
        }
    )*};
}

stored_repository!(
    MaintainerDraft,
    MaintainerGroupDraft,
    MaintainerGroupMemberDraft,
    ResourceMaintainerDraft,
    HostGroupDraft,
    TenantDraft,
);
