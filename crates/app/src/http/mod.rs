//! HTTP plumbing shared by both areas: the code table, errors and their areas' formats,
//! bodies, list queries, request logs.

pub mod area;
pub mod code;
pub mod domain_errors;
pub mod error;
pub mod json_body;
pub mod list_query;
pub mod path_id;
pub mod public_url;
pub mod query_keys;
pub mod request_log;
pub mod wire;

pub use error::ApiError;
pub use json_body::JsonBody;
pub use list_query::ListQuery;

/// Runs a store call on the blocking pool, off the async workers.
pub async fn blocking<T, E>(
    call: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, ApiError>
where
    T: Send + 'static,
    E: Into<ApiError> + Send + 'static,
{
    actix_web::web::block(call)
        .await
        .map_err(ApiError::internal)?
        .map_err(Into::into)
}
