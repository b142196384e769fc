//! Turning stored column values back into inventory values. A value the domain refuses means
//! the row was written by something else: the store reports itself unavailable.

pub(crate) use crate::decode::{now, utc};
use infra_inventory::{FieldError, StoreError};
use std::str::FromStr;

pub(crate) fn corrupt(table: &str, what: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(format!("unreadable row in {table}: {what}"))
}

pub(crate) fn id<T: FromStr>(table: &str, raw: &str) -> Result<T, StoreError> {
    raw.parse()
        .map_err(|_| corrupt(table, format!("id {raw:?}")))
}

pub(crate) fn field<T>(table: &str, parsed: Result<T, FieldError>) -> Result<T, StoreError> {
    parsed.map_err(|e| corrupt(table, e))
}
