//! Start-up: open and migrate the store, make sure someone can log in, serve until a signal.

use crate::auth::{Authenticator, TokenStore, generate_token, hash_token};
use crate::config::Settings;
use crate::{AppState, build_app};
use actix_web::HttpServer;
use infra_inventory::InventoryService;
use std::path::PathBuf;
use std::sync::Arc;
use store_diesel::DieselStore;

/// The longest one syntax check of a suggested playbook may take.
const SYNTAX_CHECK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Opens the configured store; migrations run as it opens.
pub fn open_store(settings: &Settings) -> Result<DieselStore, String> {
    let url = settings.database_url()?;
    if let store_diesel::DatabaseUrl::Sqlite(path) = &url {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::private_files::ensure_private_dir(dir)
                .map_err(|e| format!("creating {}: {e}", dir.display()))?;
        }
        crate::private_files::ensure_private_file(path)
            .map_err(|e| format!("creating {}: {e}", path.display()))?;
    }
    tracing::info!(database = %url.redacted(), "opening store");
    let (key, _source) = crate::secret_key::load_or_create(settings)?;
    let options = |secret_key| store_diesel::StoreOptions {
        pool_size: settings.db_pool_size(),
        connect_timeout: std::time::Duration::from_secs(settings.db_connect_timeout_secs.max(1)),
        secret_key: Some(secret_key),
    };
    match DieselStore::open_with(&url, options(key)) {
        Ok(store) => Ok(store),
        // A rotation that re-sealed but crashed before replacing the key file: its new key
        // opens the store, and becomes the key file.
        Err(first) => match crate::secret_key::pending(settings) {
            Some(pending) => {
                let store = DieselStore::open_with(&url, options(pending))
                    .map_err(|_| first.to_string())?;
                crate::secret_key::promote_pending(settings)?;
                tracing::warn!("finished an interrupted secret key rotation");
                Ok(store)
            }
            None => Err(first.to_string()),
        },
    }
}

/// On a first start with no token at all, creates one and writes it to
/// `$HUB_DATA_DIR/admin-token` (mode 0600). Returns the file's path when it did.
pub fn ensure_first_token(
    store: &dyn TokenStore,
    settings: &Settings,
) -> Result<Option<PathBuf>, String> {
    let env_token = settings
        .api_token
        .as_deref()
        .is_some_and(|t| !t.trim().is_empty());
    if env_token || !store.list().map_err(|e| e.to_string())?.is_empty() {
        return Ok(None);
    }
    let token = generate_token();
    let path = settings.data_dir.join("admin-token");
    crate::private_files::write_secret(&path, &token)
        .map_err(|e| format!("writing {}: {e}", path.display()))?;
    store
        .insert("admin", &hash_token(&token))
        .map_err(|e| e.to_string())?;
    Ok(Some(path))
}

/// Serves the API until SIGINT or SIGTERM, then drains in-flight requests.
pub async fn serve(settings: Settings) -> Result<(), String> {
    // A setting that cannot be read stops the start before anything is opened or started.
    let timezone = settings.timezone()?;
    let store = open_store(&settings)?;
    if let Some(path) = ensure_first_token(&store, &settings)? {
        tracing::info!(path = %path.display(), "no API token existed: created one and wrote it to this file");
    }
    // Not awaited: the summary must not hold up the start (it starts ansible-playbook
    // --version). It reads the store opened above, and asks no model.
    let (checked, opened) = (settings.clone(), store.clone());
    drop(actix_web::rt::task::spawn_blocking(move || {
        crate::doctor::log_summary(&checked, &opened);
    }));
    let runner = crate::ansible_runner(settings.ansible_cli());
    let jobs = crate::job_service(store.clone(), runner, settings.job_settings());
    let (program, count, service) = (
        settings.ansible_playbook.clone(),
        settings.job_workers,
        jobs.clone(),
    );
    let queue = store.clone();
    let workers = actix_web::rt::task::spawn_blocking(move || {
        crate::workers::check_runner(&program);
        let wakeup = service.wakeup();
        let mut workers = crate::workers::Workers::start(service, count)?;
        // Jobs other servers queue wake these workers too (PostgreSQL).
        if let Some(listener) = queue.listen_for_jobs(workers.stop_flag(), move || wakeup.ring())? {
            workers.attach(listener);
        }
        Ok::<_, String>(workers)
    })
    .await
    .map_err(|e| e.to_string())??;
    tracing::info!(workers = count, "job workers started");
    let ai = crate::ai::AiState {
        assistant: crate::assistant_service(
            store.clone(),
            settings.chat_model(),
            crate::syntax_check(settings.ansible_playbook.clone(), SYNTAX_CHECK_TIMEOUT),
            settings.assist_settings(),
        ),
        model_pool: Arc::new(crate::ai::ModelPool::new(settings.llm_concurrency.into())),
        timezone,
    };
    let authenticator = Authenticator::new(Arc::new(store.clone()), settings.api_token.as_deref())
        .with_cache_lifetime(settings.token_cache_lifetime());
    let cache = authenticator.cache();
    let stop_listening = Arc::new(std::sync::atomic::AtomicBool::new(false));
    // A token revoked anywhere (PostgreSQL) is forgotten here at once.
    let revocations =
        store.listen_for_revocations(stop_listening.clone(), move || cache.clear())?;
    let state = AppState {
        inventory: InventoryService::new(store.clone()),
        catalog: ansible_core::catalog::CatalogService::new(store.clone()),
        authenticator,
        cors_origins: settings.cors_origins(),
        links: settings.links()?,
        body_timeout: settings.request_timeout(),
        jobs,
        ai,
        ssh: crate::connectivity_service_limited(
            store.clone(),
            settings.probe_defaults(),
            settings.ssh_threads(),
            settings.ssh_test.limits(),
        ),
    };
    let metrics = match settings.metrics_bind.as_deref() {
        Some(bind) => Some(metrics_server(bind, &store)?),
        None => None,
    };
    let server = HttpServer::new(move || build_app(state.clone()))
        // A client gets this long for its request head; bodies are bounded by JsonBody.
        .client_request_timeout(settings.request_timeout())
        // A client that closes its side has gone: its handler is dropped, which stops the
        // work it started (an SSH test's probes). actix keeps handlers running otherwise.
        .h1_allow_half_closed(false)
        .bind(&settings.bind)
        .map_err(|e| format!("binding {}: {e}", settings.bind))?;
    tracing::info!(bind = %settings.bind, "serving");
    let served = server
        .shutdown_timeout(30)
        .run()
        .await
        .map_err(|e| e.to_string());
    if let Some(metrics) = metrics {
        metrics.stop(true).await;
    }
    stop_listening.store(true, std::sync::atomic::Ordering::SeqCst);
    if let Some(listener) = revocations {
        // Ends within a read interval of the flag; a panic in it has been logged already.
        let _ = actix_web::rt::task::spawn_blocking(move || listener.join()).await;
    }
    // The server stopped (SIGTERM, SIGINT): stop the workers, killing the runs in progress.
    actix_web::rt::task::spawn_blocking(move || workers.stop())
        .await
        .map_err(|e| e.to_string())?;
    served
}

/// `GET /metrics` alone, without a token, on `bind` (`HUB_METRICS_BIND`): for a scraper on a
/// network the API's clients do not share. Runs until stopped through its handle.
fn metrics_server(bind: &str, store: &DieselStore) -> Result<actix_web::dev::ServerHandle, String> {
    crate::telemetry::handle();
    let inventory = InventoryService::new(store.clone());
    let server = HttpServer::new(move || {
        actix_web::App::new()
            .app_data(actix_web::web::Data::new(inventory.clone()))
            .configure(crate::telemetry::scrape::configure::<DieselStore>)
    })
    .workers(1)
    .bind(bind)
    .map_err(|e| format!("binding HUB_METRICS_BIND {bind}: {e}"))?
    .shutdown_timeout(5)
    .run();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    tracing::info!(bind, "serving metrics");
    Ok(handle)
}
