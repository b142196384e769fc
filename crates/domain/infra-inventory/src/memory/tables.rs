use crate::error::StoreError;
use crate::page::{Page, PageRequest};
use crate::record::{Record, RecordKey, RecordRef, Reference, Referrer, ResourceKind, UniqueKey};
use std::any::Any;
use std::collections::{BTreeMap, HashMap};

/// One stored row: the record, type-erased, with what the engine needs to enforce the
/// relational rules without knowing its type.
#[derive(Debug)]
struct Row {
    record: Box<dyn Any + Send + Sync>,
    references: Vec<Reference>,
    unique: Option<UniqueKey>,
}

/// The record of a row of `R::KIND`. Only `put::<R>` stores rows under `R::KIND`, so a
/// row of another type there is a bug of this module (two kinds sharing a `KIND`).
fn typed<R: Record>(row: &Row) -> Option<&R> {
    let record = row.record.downcast_ref::<R>();
    debug_assert!(record.is_some(), "a {:?} row holds another type", R::KIND);
    record
}

/// All tables. Rows are keyed by id; UUIDv7 and integer ids both sort in creation order.
#[derive(Debug, Default)]
pub(super) struct Tables {
    rows: HashMap<ResourceKind, BTreeMap<RecordKey, Row>>,
    sequences: HashMap<ResourceKind, i64>,
}

impl Tables {
    /// The next integer id of a kind (1, 2, …); never reused, like a SQL sequence.
    pub(super) fn next_sequence(&mut self, kind: ResourceKind) -> i64 {
        let seq = self.sequences.entry(kind).or_insert(0);
        *seq += 1;
        *seq
    }

    pub(super) fn exists(&self, target: RecordRef) -> bool {
        self.rows
            .get(&target.kind)
            .is_some_and(|t| t.contains_key(&target.key))
    }

    /// Refuses a write of `draft` whose references dangle or whose unique key another row
    /// of the kind holds (`own` is the row being updated).
    pub(super) fn check_write<R: Record>(
        &self,
        draft: &R::Draft,
        own: Option<RecordKey>,
    ) -> Result<(), StoreError> {
        if let Some(missing) = R::references(draft)
            .into_iter()
            .find(|r| !self.exists(r.target))
        {
            return Err(StoreError::MissingReference {
                field: missing.field,
                target: missing.target,
            });
        }
        if let Some(key) = R::unique_key(draft) {
            let taken = self.rows.get(&R::KIND).is_some_and(|table| {
                table
                    .iter()
                    .any(|(k, row)| Some(*k) != own && row.unique.as_ref() == Some(&key))
            });
            if taken {
                return Err(StoreError::Duplicate {
                    kind: R::KIND,
                    what: key.what,
                });
            }
        }
        Ok(())
    }

    /// Inserts or replaces the row of `record`.
    pub(super) fn put<R: Record>(&mut self, record: R, draft: &R::Draft) {
        use crate::record::RecordId;
        let key = record.id().key();
        let row = Row {
            references: R::references(draft),
            unique: R::unique_key(draft),
            record: Box::new(record),
        };
        self.rows.entry(R::KIND).or_default().insert(key, row);
    }

    pub(super) fn get<R: Record>(&self, id: R::Id) -> Option<&R> {
        use crate::record::RecordId;
        typed(self.rows.get(&R::KIND)?.get(&id.key())?)
    }

    /// Every record of a kind, in creation order.
    pub(super) fn all<R: Record>(&self) -> impl Iterator<Item = &R> {
        self.rows
            .get(&R::KIND)
            .into_iter()
            .flat_map(|t| t.values())
            .filter_map(typed)
    }

    /// One page of the records that pass `keep`.
    pub(super) fn page<R: Record>(&self, page: PageRequest, keep: impl Fn(&R) -> bool) -> Page<R> {
        let matching: Vec<&R> = self.all::<R>().filter(|r| keep(r)).collect();
        // Keys iterate in order: a keyset page is the matching records past its key.
        let after =
            matching.partition_point(|r| !page.admits(crate::record::RecordId::key(r.id())));
        // A window past usize::MAX (only on 32-bit targets) is past every row there can be:
        // skipping "all" selects the same nothing.
        let items = matching[after..]
            .iter()
            .skip(usize::try_from(page.offset()).unwrap_or(usize::MAX))
            .take(usize::try_from(page.limit()).unwrap_or(usize::MAX))
            .map(|r| (*r).clone())
            .collect();
        Page {
            items,
            total: matching.len() as u64,
        }
    }

    /// Removes a row: association rows that point at it go with it; any other row that points
    /// at it restricts the delete.
    pub(super) fn remove(&mut self, target: RecordRef) -> Result<bool, StoreError> {
        if !self.exists(target) {
            return Ok(false);
        }
        let mut restricting: BTreeMap<ResourceKind, u64> = BTreeMap::new();
        let mut cascading: Vec<RecordRef> = Vec::new();
        for (kind, table) in &self.rows {
            for (key, row) in table {
                if row.references.iter().any(|r| r.target == target) {
                    if kind.is_association() {
                        cascading.push(RecordRef {
                            kind: *kind,
                            key: *key,
                        });
                    } else {
                        *restricting.entry(*kind).or_default() += 1;
                    }
                }
            }
        }
        if !restricting.is_empty() {
            return Err(StoreError::InUse(
                restricting
                    .into_iter()
                    .map(|(kind, count)| Referrer { kind, count })
                    .collect(),
            ));
        }
        for row in cascading.into_iter().chain([target]) {
            if let Some(table) = self.rows.get_mut(&row.kind) {
                table.remove(&row.key);
            }
        }
        Ok(true)
    }
}
