//! Placements per second through the whole application (routing, auth, JSON, service,
//! store), in-process without TCP, with 1, 8 and 64 concurrent clients, against one host and
//! against 100 hosts, on SQLite and on PostgreSQL.
//!
//! `cargo bench -p control-hub --bench placement` (PostgreSQL as for the tests:
//! `HUB_TEST_DATABASE_URL` or 127.0.0.1:5432; skipped when none answers). `PLACEMENTS` sets how
//! many VMs each run places (default 800); `BENCH_HOSTS`, `BENCH_CLIENTS` and `BENCH_STORES`
//! (comma-separated, e.g. `100`, `1,8`, `postgres`) narrow the matrix.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use actix_web::test;
use control_hub::auth::{Authenticator, TokenStore};
use control_hub::{AppState, build_app};
use futures_util::future::join_all;
use infra_inventory::InventoryService;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};
use store_diesel::{DatabaseUrl, DieselStore};

const TOKEN: &str = "bench-token-0123456789";

struct Run {
    store: &'static str,
    hosts: usize,
    clients: usize,
    placed: usize,
    elapsed: Duration,
    p50: Duration,
    p99: Duration,
}

async fn run(
    url: &str,
    store_name: &'static str,
    hosts: usize,
    clients: usize,
    placements: usize,
) -> Run {
    let store = DieselStore::open(&DatabaseUrl::parse(url).unwrap(), None).unwrap();
    let state = AppState {
        inventory: InventoryService::new(store.clone()),
        catalog: ansible_core::catalog::CatalogService::new(store.clone()),
        authenticator: Authenticator::new(
            Arc::new(store.clone()) as Arc<dyn TokenStore>,
            Some(TOKEN),
        ),
        cors_origins: Vec::new(),
        links: Default::default(),
        body_timeout: Duration::from_secs(30),
        jobs: control_hub::job_service(
            store.clone(),
            control_hub::ansible_runner(ansible_cli::AnsibleCliConfig::under(
                &std::env::temp_dir().join("control-hub-tests"),
            )),
            Default::default(),
        ),
        ai: control_hub::ai::AiState::unconfigured(store.clone()),
        ssh: control_hub::connectivity_service(
            store.clone(),
            ansible_core::connectivity::ProbeDefaults {
                user: "root".to_owned(),
                timeout: Duration::from_secs(5),
            },
            1,
        ),
    };
    let app = test::init_service(build_app(state)).await;
    let post = |path: &str, body: Value| {
        test::TestRequest::post()
            .uri(path)
            .insert_header(("Authorization", format!("Bearer {TOKEN}")))
            .set_json(body)
            .to_request()
    };
    let created = |body: Value| body["id"].clone();
    let tenant = created(
        test::call_and_read_body_json(&app, post("/api/tenants", json!({ "name": "bench" }))).await,
    );
    let group = created(
        test::call_and_read_body_json(&app, post("/api/host-groups", json!({ "name": "bench" })))
            .await,
    );
    let quota = json!({ "group_id": group, "tenant_id": tenant, "cpu_quota_percentage": 100.0, "memory_quota": 1_i64 << 50, "storage_quota": 1_i64 << 50 });
    let _: Value =
        test::call_and_read_body_json(&app, post("/api/host-group-tenant-quotas", quota)).await;
    let spec = created(
        test::call_and_read_body_json(&app, post("/api/vm-specifications", json!({ "name": "1c", "required_cpu": 1, "required_memory": 512, "required_storage": 10 }))).await,
    );
    let mut host_ids = Vec::new();
    for i in 0..hosts {
        let host = json!({ "name": format!("h{i}"), "group_id": group, "total_cpu": 1_000_000, "total_memory": 1_i64 << 40, "total_storage": 1_i64 << 40 });
        host_ids.push(created(
            test::call_and_read_body_json(&app, post("/api/hosts", host)).await,
        ));
    }

    let per_client = placements / clients;
    let started = Instant::now();
    let latencies: Vec<Vec<Duration>> = join_all((0..clients).map(|c| {
        let (app, host_ids, tenant, spec) = (&app, &host_ids, &tenant, &spec);
        async move {
            let mut took = Vec::with_capacity(per_client);
            for i in 0..per_client {
                let host = &host_ids[(c * per_client + i) % host_ids.len()];
                let vm = json!({ "name": format!("vm-{c}-{i}"), "tenant_id": tenant, "host_id": host, "specification_id": spec });
                let t = Instant::now();
                let res = test::call_service(app, post("/api/virtual-machines", vm)).await;
                assert_eq!(res.status().as_u16(), 201, "placement refused");
                took.push(t.elapsed());
            }
            took
        }
    }))
    .await;
    let elapsed = started.elapsed();
    let mut all: Vec<Duration> = latencies.into_iter().flatten().collect();
    all.sort();
    let pick = |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)];
    Run {
        store: store_name,
        hosts,
        clients,
        placed: all.len(),
        elapsed,
        p50: pick(0.50),
        p99: pick(0.99),
    }
}

#[actix_web::main]
async fn main() {
    let placements: usize = std::env::var("PLACEMENTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(800);
    println!("| store | hosts | clients | placements | placements/s | p50 ms | p99 ms |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let chosen = |var: &str, all: &[usize]| -> Vec<usize> {
        std::env::var(var)
            .ok()
            .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
            .unwrap_or_else(|| all.to_vec())
    };
    let stores = std::env::var("BENCH_STORES").unwrap_or_else(|_| "sqlite,postgres".to_owned());
    for hosts in chosen("BENCH_HOSTS", &[1, 100]) {
        for clients in chosen("BENCH_CLIENTS", &[1, 8, 64]) {
            let mut runs = Vec::new();
            if stores.contains("sqlite") {
                let file = hub_testkit::SqliteFile::create();
                runs.push(run(&file.url, "SQLite", hosts, clients, placements).await);
            }
            if stores.contains("postgres")
                && let Some(db) = hub_testkit::PgDatabase::create()
            {
                runs.push(run(&db.url, "PostgreSQL", hosts, clients, placements).await);
            }
            for r in runs {
                println!(
                    "| {} | {} | {} | {} | {:.0} | {:.2} | {:.2} |",
                    r.store,
                    r.hosts,
                    r.clients,
                    r.placed,
                    r.placed as f64 / r.elapsed.as_secs_f64(),
                    r.p50.as_secs_f64() * 1000.0,
                    r.p99.as_secs_f64() * 1000.0
                );
            }
        }
    }
}
