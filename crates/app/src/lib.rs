//! control-hub's server: the only crate that speaks HTTP. It parses requests into domain
//! drafts, calls the domain services over the store adapters, and maps their results and
//! errors onto the two wire formats of DESIGN.md §3.

pub mod ai;
pub mod ansible;
pub mod auth;
pub mod config;
pub mod doctor;
pub mod http;
pub mod infra;
pub mod openapi;
mod private_files;
pub mod routes;
pub mod secret_key;
pub mod serve;
pub mod ssh_pool;
mod system;
pub mod telemetry;
pub mod workers;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::from_fn;
use actix_web::{App, Error, web};
use ai_assist::{AssistSettings, AssistantService, ChatModel, ConversationStore};
use ansible_core::catalog::{
    CatalogService, CatalogStore, InventoryRepository, PlaybookSyntaxCheck, SshTestRecorder,
};
use ansible_core::connectivity::{
    ConnectivityService, ConnectivityTests, KnownHostRepository, ProbeDefaults, TestLimits,
};
use ansible_core::jobs::{JobService, JobSettings, JobStore, PlaybookRunner, SystemClock};
use auth::Authenticator;
use infra_inventory::InventoryService;
use infra_inventory::ports::InventoryStore;
use routes::RouteTable;
use std::sync::Arc;

/// Everything a request handler may need, shared by all workers.
#[derive(Debug, Clone)]
pub struct AppState<S> {
    pub inventory: InventoryService<S>,
    pub catalog: CatalogService<S>,
    pub authenticator: Authenticator,
    pub cors_origins: Vec<String>,
    /// Where the links the server writes point (relative unless configured).
    pub links: http::public_url::LinkBase,
    /// How long a request body may take to arrive.
    pub body_timeout: std::time::Duration,
    /// The jobs, over the same store as the catalogue they run from.
    pub jobs: Arc<JobService<S, S>>,
    /// The AI assistant, over the same store as the inventories it summarises.
    pub ai: ai::AiState<S>,
    /// SSH connectivity tests, over the same store, probing on a pool of their own.
    pub ssh: Arc<dyn ConnectivityTests>,
}

/// What SSH tests need of a store: its inventories, where results are recorded, and the
/// trusted host keys.
pub trait ConnectivityStore:
    InventoryRepository + SshTestRecorder + KnownHostRepository + Clone + std::fmt::Debug + 'static
{
}

impl<T> ConnectivityStore for T where
    T: InventoryRepository
        + SshTestRecorder
        + KnownHostRepository
        + Clone
        + std::fmt::Debug
        + 'static
{
}

/// SSH tests over `store` (its inventories and known hosts), probing with libssh2 on a pool
/// of `threads` threads of their own, each request within the default [`TestLimits`].
pub fn connectivity_service<S>(
    store: S,
    defaults: ProbeDefaults,
    threads: usize,
) -> Arc<dyn ConnectivityTests>
where
    S: ConnectivityStore,
{
    connectivity_service_limited(store, defaults, threads, TestLimits::default())
}

/// [`connectivity_service`] with each request bounded by `limits` (host cap, deadline).
pub fn connectivity_service_limited<S>(
    store: S,
    defaults: ProbeDefaults,
    threads: usize,
    limits: TestLimits,
) -> Arc<dyn ConnectivityTests>
where
    S: ConnectivityStore,
{
    let service = ConnectivityService::new(
        store.clone(),
        store,
        Arc::new(ssh_libssh2::Libssh2Probe::new()),
        Arc::new(ssh_pool::ProbePool::new(threads)),
        defaults,
    );
    let service: Arc<dyn ConnectivityTests> = Arc::new(service.with_limits(limits));
    Arc::new(telemetry::decorators::MeteredConnectivity(service))
}

/// The real runner: ansible-playbook processes.
pub fn ansible_runner(config: ansible_cli::AnsibleCliConfig) -> Arc<dyn PlaybookRunner> {
    Arc::new(ansible_cli::AnsiblePlaybookRunner::new(config))
}

/// The job service over `store` (its queue, its catalogue and its trusted host keys), with
/// the system clock.
pub fn job_service<S: KnownHostRepository + Clone + 'static>(
    store: S,
    runner: Arc<dyn PlaybookRunner>,
    settings: JobSettings,
) -> Arc<JobService<S, S>> {
    // Runs check host keys against those the SSH test trusted.
    let known_hosts: Arc<dyn KnownHostRepository> = Arc::new(store.clone());
    Arc::new(
        JobService::new(
            store.clone(),
            store,
            runner,
            Arc::new(SystemClock),
            settings,
        )
        .with_known_hosts(known_hosts),
    )
}

/// The real syntax check: `ansible-playbook --syntax-check`, at most `timeout` each.
pub fn syntax_check(
    program: std::path::PathBuf,
    timeout: std::time::Duration,
) -> Arc<dyn PlaybookSyntaxCheck> {
    Arc::new(ansible_cli::AnsibleSyntaxCheck::new(program, timeout))
}

/// The assistant over `store` (its conversations and the inventories it summarises).
pub fn assistant_service<S: ConversationStore + CatalogStore>(
    store: S,
    model: Arc<dyn ChatModel>,
    syntax: Arc<dyn PlaybookSyntaxCheck>,
    settings: AssistSettings,
) -> Arc<AssistantService<S, S>> {
    Arc::new(AssistantService::new(
        store.clone(),
        store,
        Arc::new(telemetry::decorators::MeteredChatModel(model)),
        syntax,
        Arc::new(SystemClock),
        settings,
    ))
}

/// What every store of the application serves.
pub trait HubStore:
    InventoryStore + CatalogStore + JobStore + ConversationStore + telemetry::scrape::PoolGauges
{
}

impl<T> HubStore for T where
    T: InventoryStore + CatalogStore + JobStore + ConversationStore + telemetry::scrape::PoolGauges
{
}

/// Every route under `/api`, both areas, with its description.
pub fn route_table<S: HubStore>() -> RouteTable {
    let mut table = RouteTable::new();
    infra::register::<S>(&mut table);
    ansible::register::<S>(&mut table);
    ai::register::<S>(&mut table);
    table
}

/// The OpenAPI description of the API (`control-hub openapi`, `GET /api/openapi.json`).
pub fn openapi_document<S: HubStore>() -> utoipa::openapi::OpenApi {
    openapi::document(route_table::<S>())
}

/// The whole application: public probes and docs, the authenticated `/api`, CORS and
/// request logs.
pub fn build_app<S: HubStore>(
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
    // Installed before the first request, so that none goes uncounted.
    let recording = cfg!(feature = "record-metrics");
    if recording {
        telemetry::handle();
    }
    App::new()
        .app_data(web::Data::new(state.inventory.clone()))
        .app_data(web::Data::new(state.catalog.clone()))
        .app_data(web::Data::from(state.jobs.clone()))
        .app_data(web::Data::from(state.ai.assistant.clone()))
        .app_data(web::Data::from(state.ai.model_pool.clone()))
        .app_data(web::Data::new(state.ai.timezone))
        .app_data(web::Data::from(state.ssh.clone()))
        .app_data(web::Data::new(state.authenticator.clone()))
        .app_data(web::Data::new(state.links.clone()))
        .app_data(web::Data::new(http::json_body::BodyTimeout(
            state.body_timeout,
        )))
        .configure(system::configure::<S>)
        .configure(openapi::configure(openapi_document::<S>()))
        .service(
            web::resource("/metrics")
                .wrap(from_fn(auth::require_token))
                .route(web::get().to(telemetry::scrape::metrics_handler::<S>)),
        )
        .service(
            web::scope("/api")
                .wrap(from_fn(auth::require_token))
                .configure(|cfg| route_table::<S>().register(cfg))
                .default_service(web::to(system::not_found)),
        )
        .default_service(web::to(system::not_found))
        .wrap(system::cors(&state.cors_origins))
        .wrap(from_fn(http::area::render_errors))
        .wrap(actix_web::middleware::Condition::new(
            recording,
            from_fn(telemetry::http::record_requests),
        ))
        .wrap(from_fn(http::request_log::log_requests))
}
