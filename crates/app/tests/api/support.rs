//! A test application on a fresh store, and small helpers to call it.

use actix_web::http::{Method, StatusCode, header::HeaderMap};
use actix_web::test;
use control_hub::auth::{Authenticator, TokenStore};
use control_hub::{AppState, build_app};
use futures_util::future::LocalBoxFuture;
use infra_inventory::InventoryService;
use serde_json::{Value, json};
use std::rc::Rc;
use std::sync::Arc;
use store_diesel::{DatabaseUrl, DieselStore};

/// The token every test app accepts (given as if from HUB_API_TOKEN).
pub const TOKEN: &str = "test-token-0123456789";

/// One response: status, headers and the body as JSON (`Null` when empty or not JSON).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    /// The body as text, for bodies that are not JSON.
    pub text: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts an infra-area error: status and code, and a non-empty message.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str) -> &Self {
        assert_eq!(self.status.as_u16(), status, "status of {:?}", self.body);
        assert_eq!(self.body["code"], code, "code of {:?}", self.body);
        assert!(
            self.body["error"].as_str().is_some_and(|m| !m.is_empty()),
            "message of {:?}",
            self.body
        );
        self
    }

    /// Asserts an Ansible-area failure: `{"success": false, "error": {code, message}}`.
    #[track_caller]
    pub fn assert_failure(&self, status: u16, code: &str) -> &Self {
        assert_eq!(self.status.as_u16(), status, "status of {:?}", self.body);
        assert_eq!(self.body["success"], false, "envelope of {:?}", self.body);
        assert_eq!(self.body["error"]["code"], code, "code of {:?}", self.body);
        assert!(
            self.body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "message of {:?}",
            self.body
        );
        self
    }

    /// The failure message of an Ansible-area error.
    pub fn failure_message(&self) -> &str {
        self.body["error"]["message"].as_str().unwrap_or_default()
    }

    #[track_caller]
    pub fn assert_status(&self, status: u16) -> &Self {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.body);
        self
    }

    pub fn message(&self) -> &str {
        self.body["error"].as_str().unwrap_or_default()
    }

    pub fn id(&self) -> Value {
        self.body["id"].clone()
    }
}

type Call = Rc<dyn Fn(test::TestRequest) -> LocalBoxFuture<'static, Reply>>;

/// The application's state over `store`, as every test app and test server builds it: the
/// test token, the frontend's origin, default links and a 30 s body timeout.
pub fn state(store: &DieselStore) -> AppState<DieselStore> {
    state_with(store, SSH_TIMEOUT)
}

/// [`state`] with SSH tests that give each host `ssh_timeout`.
pub fn state_with(store: &DieselStore, ssh_timeout: std::time::Duration) -> AppState<DieselStore> {
    AppState {
        inventory: InventoryService::new(store.clone()),
        catalog: ansible_core::catalog::CatalogService::new(store.clone()),
        authenticator: Authenticator::new(
            Arc::new(store.clone()) as Arc<dyn TokenStore>,
            Some(TOKEN),
        ),
        cors_origins: vec!["http://localhost:5173".to_owned()],
        links: Default::default(),
        body_timeout: std::time::Duration::from_secs(30),
        jobs: control_hub::job_service(
            store.clone(),
            control_hub::ansible_runner(ansible_cli::AnsibleCliConfig::under(
                &std::env::temp_dir().join("control-hub-tests"),
            )),
            Default::default(),
        ),
        ai: control_hub::ai::AiState::unconfigured(store.clone()),
        ssh: ssh_tests(store, ssh_timeout),
    }
}

/// The per-host timeout of the test apps' SSH tests, the server's default; a test of
/// timeouts asks for a shorter one, a test of many hosts on a loaded machine for a longer one.
pub const SSH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// SSH tests as the server wires them, with room for 256 hosts at once (the 200-host test
/// runs them in one round).
fn ssh_tests(
    store: &DieselStore,
    timeout: std::time::Duration,
) -> Arc<dyn ansible_core::connectivity::ConnectivityTests> {
    let defaults = ansible_core::connectivity::ProbeDefaults {
        user: "root".to_owned(),
        timeout,
    };
    control_hub::connectivity_service(store.clone(), defaults, 256)
}

/// The application on a fresh store, with whatever keeps that store alive.
pub struct TestApp {
    call: Call,
    pub store: DieselStore,
    _guard: Box<dyn std::any::Any>,
}

impl TestApp {
    // Kept for tests that build their app by hand; `api_test!` goes through `sqlite_with`.
    #[allow(dead_code)]
    pub async fn sqlite() -> Self {
        Self::sqlite_with(SSH_TIMEOUT).await
    }

    /// `None` (after a loud skip line) when no PostgreSQL is reachable and none is required.
    #[allow(dead_code)]
    pub async fn postgres() -> Option<Self> {
        Self::postgres_with(SSH_TIMEOUT).await
    }

    /// [`TestApp::sqlite`] whose SSH tests give each host `ssh_timeout`.
    pub async fn sqlite_with(ssh_timeout: std::time::Duration) -> Self {
        let file = hub_testkit::SqliteFile::create();
        let url = file.url.clone();
        Self::start(&url, Box::new(file), ssh_timeout).await
    }

    /// [`TestApp::postgres`] whose SSH tests give each host `ssh_timeout`.
    pub async fn postgres_with(ssh_timeout: std::time::Duration) -> Option<Self> {
        let db = hub_testkit::PgDatabase::create()?;
        let url = db.url.clone();
        Some(Self::start(&url, Box::new(db), ssh_timeout).await)
    }

    async fn start(
        url: &str,
        guard: Box<dyn std::any::Any>,
        ssh_timeout: std::time::Duration,
    ) -> Self {
        let store =
            DieselStore::open(&DatabaseUrl::parse(url).unwrap(), Some(8)).expect("store opens");
        Self::over_with(store, guard, ssh_timeout).await
    }

    /// The application over a store opened by the caller.
    pub async fn over(store: DieselStore, guard: Box<dyn std::any::Any>) -> Self {
        Self::over_with(store, guard, SSH_TIMEOUT).await
    }

    async fn over_with(
        store: DieselStore,
        guard: Box<dyn std::any::Any>,
        ssh_timeout: std::time::Duration,
    ) -> Self {
        let state = state_with(&store, ssh_timeout);
        Self::with_state(store, guard, state).await
    }

    /// The application with a state the caller built over `store`.
    pub async fn with_state(
        store: DieselStore,
        guard: Box<dyn std::any::Any>,
        state: AppState<DieselStore>,
    ) -> Self {
        let service = Rc::new(test::init_service(build_app(state)).await);
        let call: Call = Rc::new(move |req: test::TestRequest| {
            let service = service.clone();
            Box::pin(async move {
                let res = test::call_service(&*service, req.to_request()).await;
                let status = res.status();
                let headers = res.headers().clone();
                let bytes = test::read_body(res).await;
                let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
                {
                    let text = String::from_utf8_lossy(&bytes).into_owned();
                    Reply {
                        status,
                        headers,
                        body,
                        text,
                    }
                }
            })
        });
        Self {
            call,
            store,
            _guard: guard,
        }
    }

    /// Sends a prepared request as is.
    pub async fn send(&self, req: test::TestRequest) -> Reply {
        (self.call)(req).await
    }

    fn authed(method: Method, path: &str) -> test::TestRequest {
        test::TestRequest::default()
            .method(method)
            .uri(path)
            .insert_header(("Authorization", format!("Bearer {TOKEN}")))
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Self::authed(Method::GET, path)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(Self::authed(Method::DELETE, path)).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Self::authed(Method::POST, path).set_json(body))
            .await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.send(Self::authed(Method::PUT, path).set_json(body))
            .await
    }

    /// Sends raw bytes as the body.
    pub async fn post_raw(&self, path: &str, body: impl Into<actix_web::web::Bytes>) -> Reply {
        let req =
            Self::authed(Method::POST, path).insert_header(("Content-Type", "application/json"));
        self.send(req.set_payload(body.into())).await
    }

    /// Creates and returns the body, asserting 201.
    pub async fn create(&self, path: &str, body: Value) -> Value {
        let reply = self.post(path, body).await;
        assert_eq!(
            reply.status.as_u16(),
            201,
            "creating {path}: {}",
            reply.body
        );
        reply.body
    }

    /// How many rows a list reports in X-Total-Count.
    pub async fn count(&self, path: &str) -> u64 {
        let reply = self.get(path).await;
        assert_eq!(reply.status.as_u16(), 200, "listing {path}: {}", reply.body);
        reply
            .header("x-total-count")
            .and_then(|n| n.parse().ok())
            .expect("X-Total-Count")
    }
}

/// The seed's bodies, for a world with one of everything.
pub mod seed {
    use super::*;

    pub fn maintainer(email: &str) -> Value {
        json!({ "name": "John Doe", "email": email, "status": "active" })
    }

    pub fn host_group() -> Value {
        json!({ "name": "Group 1", "description": "主機分組說明", "status": "active" })
    }

    pub fn tenant() -> Value {
        json!({ "name": "Tenant A", "description": "租戶說明", "status": "active" })
    }

    pub fn host(group_id: Value) -> Value {
        json!({
            "name": "Server A", "status": "running",
            "total_cpu": 16, "total_memory": 32768, "total_storage": 1024,
            "available_cpu": 16, "available_memory": 32768, "available_storage": 1024,
            "group_id": group_id, "region": "北區", "dc": "DC1", "room": "Room 101", "rack": "Rack 5",
            "external_system_id": "OLD-1234"
        })
    }

    pub fn spec() -> Value {
        json!({ "name": "Standard Spec", "required_cpu": 4, "required_memory": 8192, "required_storage": 100 })
    }

    pub fn cluster(tenant_id: &Value) -> Value {
        json!({ "name": "Cluster A", "tenant_id": tenant_id, "description": "k8s 叢集描述", "status": "active" })
    }

    pub fn vm(tenant_id: &Value, host_id: &Value, spec_id: &Value, cluster_id: &Value) -> Value {
        json!({
            "name": "VM-01", "tenant_id": tenant_id, "host_id": host_id, "specification_id": spec_id,
            "k8s_cluster_id": cluster_id, "status": "creating"
        })
    }

    pub fn quota(group_id: &Value, tenant_id: &Value) -> Value {
        json!({ "group_id": group_id, "tenant_id": tenant_id, "cpu_quota_percentage": 40.0, "memory_quota": 16384, "storage_quota": 500 })
    }

    /// Ids of a tenant, a host group, a host in it, a specification, a cluster of the tenant,
    /// and a quota that grants the tenant the whole group.
    pub struct World {
        pub tenant: Value,
        pub group: Value,
        pub host: Value,
        pub spec: Value,
        pub cluster: Value,
        pub quota: Value,
    }

    pub async fn world(app: &TestApp) -> World {
        let tenant = app.create("/api/tenants", tenant()).await["id"].clone();
        let group = app.create("/api/host-groups", host_group()).await["id"].clone();
        let host = app.create("/api/hosts", host(group.clone())).await["id"].clone();
        let spec = app.create("/api/vm-specifications", spec()).await["id"].clone();
        let cluster = app.create("/api/k8s-clusters", cluster(&tenant)).await["id"].clone();
        let grant = json!({
            "group_id": group, "tenant_id": tenant, "cpu_quota_percentage": 100.0,
            "memory_quota": 1_000_000, "storage_quota": 100_000
        });
        let quota = app.create("/api/host-group-tenant-quotas", grant).await["id"].clone();
        World {
            tenant,
            group,
            host,
            spec,
            cluster,
            quota,
        }
    }
}

/// Defines a test that runs once on SQLite and once on PostgreSQL, each on a fresh store.
#[macro_export]
macro_rules! api_test {
    ($name:ident, |$app:ident| $body:block) => {
        $crate::api_test!($name, ssh_timeout = $crate::support::SSH_TIMEOUT, |$app| {
            $body
        });
    };
    ($name:ident, ssh_timeout = $timeout:expr, |$app:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[actix_web::test]
            async fn sqlite() {
                let $app = $crate::support::TestApp::sqlite_with($timeout).await;
                $body
            }

            #[actix_web::test]
            async fn postgres() {
                let Some($app) = $crate::support::TestApp::postgres_with($timeout).await else {
                    return;
                };
                $body
            }
        }
    };
}

/// Job workers over a test app's store, running the real ansible-playbook; stopped on drop.
pub struct JobWorkers {
    _workers: control_hub::workers::Workers,
    _dir: tempfile::TempDir,
}

impl TestApp {
    /// Starts two workers (and the reaper) on this app's store. `None`, after a loud skip
    /// line, when no ansible-playbook is on PATH and HUB_REQUIRE_ANSIBLE is not 1.
    pub fn workers(&self) -> Option<JobWorkers> {
        self.workers_with(ansible_core::jobs::JobSettings {
            renew_every: chrono::TimeDelta::milliseconds(500),
            ..Default::default()
        })
    }

    /// [`workers`](Self::workers) under other job settings (a short time limit, say).
    pub fn workers_with(&self, settings: ansible_core::jobs::JobSettings) -> Option<JobWorkers> {
        let found = std::process::Command::new("ansible-playbook")
            .arg("--version")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        if !found.is_ok_and(|s| s.success()) {
            hub_testkit::unavailable("HUB_REQUIRE_ANSIBLE", "ansible-playbook", "not on PATH");
            return None;
        }
        let dir = tempfile::tempdir().expect("a job directory");
        let runner = control_hub::ansible_runner(ansible_cli::AnsibleCliConfig::under(dir.path()));
        let service = control_hub::job_service(self.store.clone(), runner, settings);
        let workers = control_hub::workers::Workers::start(service, 2).expect("workers start");
        Some(JobWorkers {
            _workers: workers,
            _dir: dir,
        })
    }

    /// Polls a job until `done` says so (at most `secs` seconds); returns its last body.
    pub async fn wait_job(&self, job_id: &str, secs: u64, done: impl Fn(&Value) -> bool) -> Value {
        let path = format!("/api/playbooks/jobs/{job_id}");
        let until = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        loop {
            let reply = self.get(&path).await;
            reply.assert_status(200);
            if done(&reply.body["data"]) {
                return reply.body["data"].clone();
            }
            assert!(
                std::time::Instant::now() < until,
                "job {job_id} did not get there in {secs} s: {}",
                reply.body["data"]
            );
            actix_web::rt::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    }
}
