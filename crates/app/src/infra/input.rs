//! Small parsers shared by the request bodies and filters of the infrastructure area.

use infra_inventory::FieldError;
use std::str::FromStr;

/// A field the body must carry (absent and `null` alike are missing).
pub fn required<T>(field: &str, value: Option<T>) -> Result<T, FieldError> {
    value.ok_or_else(|| FieldError::new(field, "is required"))
}

/// A UUID id in a body field.
pub fn uuid<T: FromStr>(field: &str, raw: &str) -> Result<T, FieldError> {
    raw.trim()
        .parse()
        .map_err(|_| FieldError::new(field, "must be a UUID"))
}

/// An optional UUID id; an empty string counts as absent.
pub fn optional_uuid<T: FromStr>(
    field: &str,
    raw: Option<String>,
) -> Result<Option<T>, FieldError> {
    raw.filter(|s| !s.trim().is_empty())
        .map(|s| uuid(field, &s))
        .transpose()
}
