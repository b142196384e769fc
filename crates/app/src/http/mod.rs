//! HTTP plumbing shared by both areas: errors, bodies, list queries, request logs.

pub mod error;
pub mod json_body;
pub mod list_query;
pub mod request_log;

pub use error::{ApiError, WireFormat};
pub use json_body::JsonBody;
pub use list_query::ListQuery;
