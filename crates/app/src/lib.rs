//! control-hub's server: the only crate that speaks HTTP. It parses requests into domain
//! drafts, calls the domain services over the store adapters, and maps their results and
//! errors onto the two wire formats of DESIGN.md §3.

pub mod ansible;
pub mod auth;
pub mod config;
pub mod http;
pub mod infra;
pub mod serve;
mod system;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::from_fn;
use actix_web::{App, Error, web};
use ansible_core::catalog::{CatalogService, CatalogStore};
use auth::Authenticator;
use infra_inventory::InventoryService;
use infra_inventory::ports::InventoryStore;

/// Everything a request handler may need, shared by all workers.
#[derive(Debug, Clone)]
pub struct AppState<S> {
    pub inventory: InventoryService<S>,
    pub catalog: CatalogService<S>,
    pub authenticator: Authenticator,
    pub cors_origins: Vec<String>,
}

/// The whole application: public probes, the authenticated `/api`, CORS and request logs.
pub fn build_app<S: InventoryStore + CatalogStore>(
    state: AppState<S>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    App::new()
        .app_data(web::Data::new(state.inventory.clone()))
        .app_data(web::Data::new(state.catalog.clone()))
        .app_data(web::Data::new(state.authenticator.clone()))
        .configure(system::configure::<S>)
        .service(
            web::scope("/api")
                .wrap(from_fn(auth::require_token))
                .configure(infra::configure::<S>)
                .configure(ansible::configure::<S>),
        )
        .default_service(web::to(system::not_found))
        .wrap(system::cors(&state.cors_origins))
        .wrap(from_fn(http::request_log::log_requests))
}
