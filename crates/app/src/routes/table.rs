//! The one list of routes: each entry registers its handler with actix and describes itself in
//! OpenAPI, so the served API and its description cannot disagree.

use super::op::{Op, Schemas};
use crate::http::ApiError;
use crate::http::code::Code;
use crate::http::query_keys::AcceptedQuery;
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::{Next, from_fn};
use actix_web::{FromRequest, Handler, HttpResponse, Responder, Route, web};
use utoipa::openapi::path::{HttpMethod, PathItem, Paths, PathsBuilder};

/// One method on one path under `/api`.
pub struct Entry {
    pub method: Method,
    /// The path under `/api` in actix's syntax, which is also OpenAPI's (`/hosts/{id}`).
    pub path: String,
    route: Route,
    op: Op,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} /api{}", self.method, self.path)
    }
}

impl Entry {
    pub fn op(&self) -> &Op {
        &self.op
    }
}

/// The routes of the API, in registration order.
#[derive(Debug, Default)]
pub struct RouteTable {
    entries: Vec<Entry>,
}

impl RouteTable {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `method path` served by `handler` and described by `op`. A GET route refuses
    /// query parameters `op` does not describe (422, [`AcceptedQuery`]), which its
    /// description says.
    pub fn add<F, Args>(&mut self, method: Method, path: impl Into<String>, handler: F, op: Op)
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        let op = if method == Method::GET {
            op.errors(&[422])
        } else {
            op
        };
        self.entries.push(Entry {
            route: web::route().method(method.clone()).to(handler),
            method,
            path: path.into(),
            op,
        });
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The paths in first-registration order, each with its methods.
    fn grouped(self) -> Vec<(String, Vec<Entry>)> {
        let mut groups: Vec<(String, Vec<Entry>)> = Vec::new();
        for entry in self.entries {
            match groups.iter_mut().find(|(path, _)| *path == entry.path) {
                Some((_, entries)) => entries.push(entry),
                None => groups.push((entry.path.clone(), vec![entry])),
            }
        }
        groups
    }

    /// Registers every path as one actix resource whose other methods answer 405 with `Allow`,
    /// and whose GET refuses query parameters its description does not list.
    pub fn register(self, cfg: &mut web::ServiceConfig) {
        for (path, entries) in self.grouped() {
            let allow = entries
                .iter()
                .map(|e| e.method.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let accepted = entries
                .iter()
                .find(|e| e.method == Method::GET)
                .map(|e| AcceptedQuery::new(e.op.area(), e.op.query_names()));
            let resource = entries
                .into_iter()
                .fold(web::resource(path), |resource, entry| {
                    resource.route(entry.route)
                })
                .default_service(web::to(move || {
                    let allow = allow.clone();
                    async move { method_not_allowed(allow) }
                }))
                .wrap(from_fn(move |req: ServiceRequest, next: Next<BoxBody>| {
                    let refused = accepted
                        .as_ref()
                        .filter(|_| req.method() == Method::GET)
                        .and_then(|a| a.check(req.query_string()).err());
                    refuse_or_call(req, next, refused)
                }));
            cfg.service(resource);
        }
    }

    /// The OpenAPI paths (under `/api`) and every schema they refer to.
    pub fn describe(self) -> (Paths, Schemas) {
        let mut paths = PathsBuilder::new();
        let mut schemas = Schemas::new();
        for (path, entries) in self.grouped() {
            let mut item: Option<PathItem> = None;
            for entry in entries {
                let method = http_method(&entry.method);
                let (operation, used) = entry.op.into_parts();
                schemas.extend(used);
                item = Some(match item {
                    None => PathItem::new(method, operation),
                    Some(mut item) => {
                        item.merge_operations(PathItem::new(method, operation));
                        item
                    }
                });
            }
            if let Some(item) = item {
                paths = paths.path(format!("/api{path}"), item);
            }
        }
        (paths.build(), schemas)
    }
}

/// The refusal of a query parameter (rendered in the area's format by the error renderer),
/// or the route.
async fn refuse_or_call(
    req: ServiceRequest,
    next: Next<BoxBody>,
    refused: Option<ApiError>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    match refused {
        Some(error) => Ok(req.error_response(error)),
        None => next.call(req).await,
    }
}

fn method_not_allowed(allow: String) -> HttpResponse {
    let error = ApiError::new(
        Code::MethodNotAllowed,
        format!("this path takes only {allow}"),
    );
    let mut response = HttpResponse::from_error(error);
    if let Ok(value) = header::HeaderValue::from_str(&allow) {
        response.headers_mut().insert(header::ALLOW, value);
    }
    response
}

fn http_method(method: &Method) -> HttpMethod {
    match *method {
        Method::POST => HttpMethod::Post,
        Method::PUT => HttpMethod::Put,
        Method::DELETE => HttpMethod::Delete,
        Method::PATCH => HttpMethod::Patch,
        _ => HttpMethod::Get,
    }
}
