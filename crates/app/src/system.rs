//! Probes, CORS and the answer for unknown routes.

use crate::http::ApiError;
use crate::http::code::Code;
use actix_cors::Cors;
use actix_web::http::{Method, header};
use actix_web::{HttpRequest, HttpResponse, web};
use infra_inventory::InventoryService;
use infra_inventory::ports::InventoryStore;

pub fn configure<S: InventoryStore>(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz))
        .route("/readyz", web::get().to(readyz::<S>));
}

/// A probe's answer: `ok`, `ready` or `unavailable`.
#[derive(Debug, serde::Serialize)]
struct Probe {
    status: &'static str,
}

/// The process is up.
async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Probe { status: "ok" })
}

/// The process can serve: its store answers.
async fn readyz<S: InventoryStore>(service: web::Data<InventoryService<S>>) -> HttpResponse {
    match web::block(move || service.store().ping()).await {
        Ok(Ok(())) => HttpResponse::Ok().json(Probe { status: "ready" }),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "store not ready");
            HttpResponse::ServiceUnavailable().json(Probe {
                status: "unavailable",
            })
        }
        Err(e) => {
            tracing::warn!(error = %e, "readiness probe failed");
            HttpResponse::ServiceUnavailable().json(Probe {
                status: "unavailable",
            })
        }
    }
}

/// 404 for a path no route serves (under `/api` the area renderer picks the format).
pub async fn not_found(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::new(
        Code::NotFound,
        format!("no route for {} {}", req.method(), req.path()),
    ))
}

/// Browsers on the configured origins may call the API with a bearer token and read the
/// paging headers.
pub fn cors(origins: &[String]) -> Cors {
    let cors = origins
        .iter()
        .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin));
    cors.allowed_methods([
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
    ])
    .allowed_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
    .allowed_header("x-request-id")
    .expose_headers(["x-total-count", "link", "x-request-id"])
    .max_age(3600)
}
