//! Start-up: open and migrate the store, make sure someone can log in, serve until a signal.

use crate::auth::{Authenticator, TokenStore, generate_token, hash_token};
use crate::config::Settings;
use crate::{AppState, build_app};
use actix_web::HttpServer;
use infra_inventory::InventoryService;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use store_diesel::DieselStore;

/// Opens the configured store; migrations run as it opens.
pub fn open_store(settings: &Settings) -> Result<DieselStore, String> {
    let url = settings.database_url()?;
    tracing::info!(database = %url.redacted(), "opening store");
    DieselStore::open(&url, None).map_err(|e| e.to_string())
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
    write_secret(&path, &token).map_err(|e| format!("writing {}: {e}", path.display()))?;
    store
        .insert("admin", &hash_token(&token))
        .map_err(|e| e.to_string())?;
    Ok(Some(path))
}

/// Writes a secret readable by the owner only.
fn write_secret(path: &Path, secret: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    // The mode above applies only to a new file; an old one is narrowed too.
    file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    writeln!(file, "{secret}")
}

/// Serves the API until SIGINT or SIGTERM, then drains in-flight requests.
pub async fn serve(settings: Settings) -> Result<(), String> {
    let store = open_store(&settings)?;
    if let Some(path) = ensure_first_token(&store, &settings)? {
        tracing::info!(path = %path.display(), "no API token existed: created one and wrote it to this file");
    }
    let state = AppState {
        inventory: InventoryService::new(store.clone()),
        catalog: ansible_core::catalog::CatalogService::new(store.clone()),
        authenticator: Authenticator::new(Arc::new(store), settings.api_token.as_deref()),
        cors_origins: settings.cors_origins(),
    };
    let server = HttpServer::new(move || build_app(state.clone()))
        .bind(&settings.bind)
        .map_err(|e| format!("binding {}: {e}", settings.bind))?;
    tracing::info!(bind = %settings.bind, "serving");
    server
        .shutdown_timeout(30)
        .run()
        .await
        .map_err(|e| e.to_string())
}
