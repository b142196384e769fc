//! Counts and times every request by its route template.

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use std::time::Instant;

/// The label of a request no route serves: the path itself is user input.
pub const UNMATCHED: &str = "unmatched";

/// A method's label: the standard ones, anything else (a client's invention) as `other`.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

pub async fn record_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let method = method_label(req.method());
    let started = Instant::now();
    let result = next.call(req).await;
    let seconds = started.elapsed().as_secs_f64();
    let (route, status) = match &result {
        Ok(res) => (route_of(res.request()), res.status().as_u16()),
        // Errors that escaped every renderer become 500s in actix.
        Err(_) => (UNMATCHED.to_owned(), 500),
    };
    metrics::counter!("hub_http_requests_total", "route" => route.clone(), "method" => method, "status" => status.to_string())
        .increment(1);
    metrics::histogram!("hub_http_request_duration_seconds", "route" => route, "method" => method)
        .record(seconds);
    result
}

/// The template of the route that served `req` (e.g. `/api/hosts/{id}`), or [`UNMATCHED`].
pub fn route_of(req: &actix_web::HttpRequest) -> String {
    req.match_pattern().unwrap_or_else(|| UNMATCHED.to_owned())
}
