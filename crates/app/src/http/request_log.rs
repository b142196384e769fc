//! One log line per request: method, path, status, latency and a request id, which is also
//! echoed in `X-Request-Id`. Never a body, a query string or a header value.

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use std::time::Instant;
use tracing::Instrument;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A client's request id is kept when it is short and plain; otherwise a new one is made.
fn request_id(req: &ServiceRequest) -> String {
    req.headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64)
        .filter(|v| {
            v.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string())
}

pub async fn log_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = request_id(&req);
    let method = req.method().to_string();
    let path = req.path().to_owned();
    let started = Instant::now();
    let span = tracing::info_span!("request", request_id = %id);
    let result = next.call(req).instrument(span.clone()).await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    let _entered = span.enter();
    match result {
        Ok(mut res) => {
            let route = crate::telemetry::http::route_of(res.request());
            tracing::info!(%method, %path, %route, status = res.status().as_u16(), latency_ms, "request");
            if let Ok(value) = HeaderValue::from_str(&id) {
                res.headers_mut().insert(REQUEST_ID, value);
            }
            Ok(res)
        }
        Err(e) => {
            tracing::warn!(%method, %path, error = %e, latency_ms, "request failed");
            Err(e)
        }
    }
}
