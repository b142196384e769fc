//! A failed request: a [`Code`] from the one table and a sentence for humans. Which body it is
//! written in (seed 000's `{error, code}` or seed 002's envelope) is not its business: the
//! area's renderer (module `area`, which also implements actix's `ResponseError` for it)
//! decides that once for every response of the area.

use super::code::Code;
use actix_web::http::StatusCode;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub code: Code,
    pub message: String,
}

impl ApiError {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    pub fn status(&self) -> StatusCode {
        self.code.status()
    }

    pub fn unauthorized() -> Self {
        Self::new(Code::Unauthorized, "a valid bearer token is required")
    }

    pub fn invalid_json(detail: impl fmt::Display) -> Self {
        Self::new(
            Code::InvalidJson,
            format!("request body is not valid JSON: {detail}"),
        )
    }

    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(Code::ValidationError, message)
    }

    pub fn payload_too_large(limit: usize) -> Self {
        Self::new(
            Code::PayloadTooLarge,
            format!("request body exceeds {limit} bytes"),
        )
    }

    /// A fault of ours. The detail goes to the log under the request id, never to the client.
    pub fn internal(detail: impl fmt::Display) -> Self {
        tracing::error!(detail = %detail, "internal error");
        Self::new(Code::Internal, "internal server error")
    }
}

impl ApiError {
    /// The store cannot be reached. Answered at once (the pool waits a bounded time for a
    /// connection); the detail goes to the log.
    pub fn unavailable(detail: impl fmt::Display) -> Self {
        tracing::warn!(detail = %detail, "store unavailable");
        Self::new(
            Code::ServiceUnavailable,
            "the store cannot be reached; try again shortly",
        )
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status().as_u16(),
            self.code,
            self.message
        )
    }
}
