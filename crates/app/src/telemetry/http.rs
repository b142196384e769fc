//! Counts and times every request by its route template.

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use metrics::{Counter, Histogram};
use std::cell::RefCell;
use std::collections::HashMap;
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
    let (requests, duration) = handles(route, method, status);
    requests.increment(1);
    duration.record(seconds);
    result
}

/// A series' handles, by route template, then method and status.
type Handles = HashMap<String, HashMap<(&'static str, u16), (Counter, Histogram)>>;

/// Handles are kept per worker thread (no lock between workers) for every label set seen:
/// finding a series by its labels in the recorder's registry on every request (building the
/// key, hashing it) cost several percent of a fast read. The label sets are bounded (route
/// templates × methods × statuses), and so is this; past the bound it starts again empty.
const MAX_HANDLES: usize = 4096;

thread_local! {
    static HANDLES: RefCell<(usize, Handles)> = RefCell::new((0, HashMap::new()));
}

fn handles(route: String, method: &'static str, status: u16) -> (Counter, Histogram) {
    HANDLES.with(|cell| {
        let mut cell = cell.borrow_mut();
        let (count, by_route) = &mut *cell;
        if let Some(found) = by_route.get(&route).and_then(|m| m.get(&(method, status))) {
            return found.clone();
        }
        if *count >= MAX_HANDLES {
            by_route.clear();
            *count = 0;
        }
        let made = (
            metrics::counter!("hub_http_requests_total", "route" => route.clone(), "method" => method, "status" => status.to_string()),
            metrics::histogram!("hub_http_request_duration_seconds", "route" => route.clone(), "method" => method),
        );
        by_route
            .entry(route)
            .or_default()
            .insert((method, status), made.clone());
        *count += 1;
        made
    })
}

/// The template of the route that served `req` (e.g. `/api/hosts/{id}`), or [`UNMATCHED`].
pub fn route_of(req: &actix_web::HttpRequest) -> String {
    req.match_pattern().unwrap_or_else(|| UNMATCHED.to_owned())
}
