use crate::http::ListQuery;
use infra_inventory::ports::InventoryStore;
use infra_inventory::{FieldError, InventoryError, Record};
use serde::de::DeserializeOwned;

/// How a resource of the inventory appears on the wire: its path, list key, body and filters.
pub trait InfraResource: Record {
    /// The path segment under `/api`, e.g. `maintainer-groups`.
    const PATH: &'static str;
    /// The key of the list object (`host_groups`), or `None` for a bare array (maintainers).
    const LIST_KEY: Option<&'static str>;
    /// The `message` of a successful delete, as the seed words it.
    const DELETED: &'static str;

    /// The request body of create and update (PUT replaces the whole resource).
    type Body: DeserializeOwned + 'static;

    fn draft(body: Self::Body) -> Result<Self::Draft, FieldError>;

    fn filter(query: &ListQuery) -> Result<Self::Filter, FieldError>;

    fn to_json(&self) -> serde_json::Value;

    /// The JSON of records about to be returned. Runs on the blocking pool, so a resource
    /// may add what the store knows about them (quotas add their usage), in one batch.
    fn present<S: InventoryStore>(
        records: &[Self],
        _store: &S,
    ) -> Result<Vec<serde_json::Value>, InventoryError> {
        Ok(records.iter().map(Self::to_json).collect())
    }
}

/// The JSON of a record whose serde form is its wire form.
pub fn serialized<T: serde::Serialize>(record: &T) -> serde_json::Value {
    // Records hold strings, numbers and timestamps only; serializing them cannot fail.
    serde_json::to_value(record).unwrap_or(serde_json::Value::Null)
}
