//! The two areas of the API and their wire formats. Every error response under `/api` passes
//! through [`render_errors`], which writes it in the format of the area its path belongs to:
//! handlers, extractors, the auth check and actix's own 404/405 answers never choose a format.

use super::code::Code;
use super::error::ApiError;
use super::wire::{EnvelopeError, EnvelopeErrorBody, InfraErrorBody};
use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, ResponseError};

/// Which seed a route belongs to, and so which body its errors are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// Seed 000: `{"error": "…", "code": "…"}`, snake_case.
    Infra,
    /// Seed 002: `{"success": false, "error": {"code", "message"}}`, camelCase.
    Ansible,
}

impl Area {
    /// The first path segments under `/api` that seed 002 owns; every other path is seed 000's.
    /// The route table's tests check that each route is declared in the area this names.
    const ANSIBLE_SEGMENTS: [&'static str; 4] = ["inventories", "playbooks", "ssh", "ai"];

    /// The area of a request path (under `/api`, or a path no route serves).
    pub fn of_path(path: &str) -> Self {
        let first = path
            .strip_prefix("/api/")
            .and_then(|rest| rest.split('/').next());
        match first {
            Some(segment) if Self::ANSIBLE_SEGMENTS.contains(&segment) => Area::Ansible,
            _ => Area::Infra,
        }
    }

    /// The error body of this area for `error`.
    pub fn error_response(self, error: &ApiError) -> HttpResponse {
        let mut response = HttpResponse::build(error.status());
        match self {
            Area::Infra => response.json(InfraErrorBody {
                error: error.message.clone(),
                code: error.code,
            }),
            Area::Ansible => response.json(EnvelopeErrorBody {
                success: false,
                error: EnvelopeError {
                    code: error.code,
                    message: error.message.clone(),
                },
            }),
        }
    }
}

/// How actix answers an [`ApiError`] a handler returns. Here rather than beside the type, so
/// that `error.rs` need not import the area that renders it.
impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    /// The infrastructure format; under `/api` the area renderer rewrites it for its area.
    fn error_response(&self) -> HttpResponse {
        Area::Infra.error_response(self)
    }
}

/// Rewrites every error response in its area's format: from the [`ApiError`] it carries; for
/// the framework's own answers (no route, method not allowed, CORS refusals, bodyless errors)
/// from their status. An error answer with a body of its own and no error attached (the
/// readiness probe's 503) is left as it is.
pub async fn render_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let area = Area::of_path(req.path());
    let res = next.call(req).await?.map_into_boxed_body();
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return Ok(res);
    }
    let error = match res.response().error() {
        Some(e) => match e.as_error::<ApiError>() {
            Some(api) => api.clone(),
            None if e.as_error::<actix_cors::CorsError>().is_some() => {
                ApiError::new(Code::CorsRejected, e.to_string())
            }
            None => generic(status),
        },
        None if matches!(
            res.response().body().size(),
            BodySize::Sized(0) | BodySize::None
        ) =>
        {
            generic(status)
        }
        None => return Ok(res),
    };
    let (req, old) = res.into_parts();
    let mut rendered = area.error_response(&error);
    // Keep what the answer says besides its body (Allow on 405, CORS headers).
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            rendered.headers_mut().insert(name.clone(), value.clone());
        }
    }
    Ok(ServiceResponse::new(req, rendered))
}

/// The error of a status that came without one of ours; the framework's detail stays out of
/// the answer (it may describe the server's internals).
fn generic(status: StatusCode) -> ApiError {
    let reason = status.canonical_reason().unwrap_or("error");
    ApiError::new(
        Code::for_status(status),
        format!("{} {}", status.as_u16(), reason.to_lowercase()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_are_told_apart_by_their_first_segment() {
        assert_eq!(Area::of_path("/api/inventories"), Area::Ansible);
        assert_eq!(Area::of_path("/api/playbooks/jobs/job-1"), Area::Ansible);
        assert_eq!(Area::of_path("/api/ai/messages"), Area::Ansible);
        assert_eq!(Area::of_path("/api/inventoriesx"), Area::Infra);
        assert_eq!(Area::of_path("/api/hosts"), Area::Infra);
        assert_eq!(Area::of_path("/elsewhere/inventories"), Area::Infra);
    }
}
