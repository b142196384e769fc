//! Sums past `i64` through the API, on data older than the bound on host-group totals: 1,030
//! hosts of 2^53 − 1 cores in one group, 1,030 VMs of 2^53 − 1 of everything on one host.
//! No write admits such rows now, so they are written past the store, in SQL. One client's data
//! must not break reads and placements for everyone: every sum reads saturated at 2^53 − 1,
//! and the answers are 2xx or 4xx, never 500.

use crate::support::{Reply, TOKEN, seed};
use actix_web::http::Method;
use actix_web::test;
use control_hub::build_app;
use futures_util::future::LocalBoxFuture;
use serde_json::{Value, json};
use std::rc::Rc;
use store_diesel::{DatabaseUrl, DieselStore};

const MAX: i64 = (1 << 53) - 1;
const ROWS: usize = 1030;

/// Where the test's database is, to write to it past the store.
enum Database {
    Sqlite(String),
    Postgres(String),
}

impl Database {
    fn raw(&self, sql: &str) {
        match self {
            Database::Postgres(url) => {
                hub_testkit::execute_sql(url, sql).expect("raw SQL on PostgreSQL");
            }
            Database::Sqlite(path) => {
                use diesel::Connection;
                use diesel::connection::SimpleConnection;
                let mut conn = diesel::SqliteConnection::establish(path).expect("SQLite opens");
                conn.batch_execute(&format!("PRAGMA busy_timeout = 30000; {sql}"))
                    .expect("raw SQL on SQLite");
            }
        }
    }
}

type Call = Rc<dyn Fn(test::TestRequest) -> LocalBoxFuture<'static, Reply>>;

/// The application on `url`, as `support::TestApp` builds it, but with the URL known.
async fn app_on(url: &str) -> Call {
    let store = DieselStore::open(&DatabaseUrl::parse(url).unwrap(), Some(8)).unwrap();
    let state = control_hub::AppState {
        cors_origins: Vec::new(),
        ..crate::support::state(&store)
    };
    let service = Rc::new(test::init_service(build_app(state)).await);
    Rc::new(move |req: test::TestRequest| {
        let service = service.clone();
        Box::pin(async move {
            let res = test::call_service(&*service, req.to_request()).await;
            let (status, headers) = (res.status(), res.headers().clone());
            let bytes = test::read_body(res).await;
            Reply {
                status,
                headers,
                body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
                text: String::from_utf8_lossy(&bytes).into_owned(),
            }
        })
    })
}

fn request(method: Method, path: &str) -> test::TestRequest {
    test::TestRequest::default()
        .method(method)
        .uri(path)
        .insert_header(("Authorization", format!("Bearer {TOKEN}")))
}

async fn get(app: &Call, path: &str) -> Reply {
    app(request(Method::GET, path)).await
}

async fn post(app: &Call, path: &str, body: Value) -> Reply {
    app(request(Method::POST, path).set_json(body)).await
}

async fn create(app: &Call, path: &str, body: Value) -> Value {
    let reply = post(app, path, body).await;
    reply.assert_status(201);
    reply.body["id"].clone()
}

fn legacy_hosts(db: &Database, group: &Value, ids: &[String]) {
    let rows: Vec<String> = ids
        .iter()
        .map(|id| {
            format!(
                "('{id}', 'legacy', 'running', {MAX}, {MAX}, {MAX}, 0, 0, 0, {group}, \
                 '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000')"
            )
        })
        .collect();
    db.raw(&format!(
        "INSERT INTO hosts (id, name, status, total_cpu, total_memory, total_storage, \
         reserved_cpu, reserved_memory, reserved_storage, group_id, created_at, updated_at) \
         VALUES {};",
        rows.join(", ")
    ));
}

fn legacy_vms(db: &Database, tenant: &Value, host: &str, spec: &str) {
    let rows: Vec<String> = (0..ROWS)
        .map(|_| {
            format!(
                "('{}', 'legacy', {tenant}, '{host}', '{spec}', NULL, 'running', \
                 '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000')",
                uuid::Uuid::now_v7()
            )
        })
        .collect();
    db.raw(&format!(
        "INSERT INTO virtual_machines (id, name, tenant_id, host_id, specification_id, \
         k8s_cluster_id, status, created_at, updated_at) VALUES {};",
        rows.join(", ")
    ));
}

fn assert_no_500(reply: &Reply, what: &str) {
    assert!(
        reply.status.as_u16() < 500,
        "{what}: {} {}",
        reply.status,
        reply.body
    );
}

async fn sums_past_i64_answer_with_the_bound(url: &str, db: Database) {
    let app = app_on(url).await;
    let hoarder = create(&app, "/api/tenants", seed::tenant()).await;
    let newcomer = create(&app, "/api/tenants", seed::tenant()).await;
    let group = create(&app, "/api/host-groups", seed::host_group()).await;
    let mut quotas = Vec::new();
    for tenant in [&hoarder, &newcomer] {
        let grant = json!({
            "group_id": group, "tenant_id": tenant, "cpu_quota_percentage": 100.0,
            "memory_quota": MAX, "storage_quota": MAX
        });
        quotas.push(create(&app, "/api/host-group-tenant-quotas", grant).await);
    }
    let mut full = seed::host(group.clone());
    for dimension in ["cpu", "memory", "storage"] {
        full[format!("total_{dimension}")] = json!(MAX);
        full[format!("available_{dimension}")] = json!(MAX);
    }
    let crowded = create(&app, "/api/hosts", full).await;
    let huge = json!({ "name": "huge", "required_cpu": MAX, "required_memory": MAX, "required_storage": MAX });
    let huge = create(&app, "/api/vm-specifications", huge).await;
    let small =
        json!({ "name": "small", "required_cpu": 1, "required_memory": 1, "required_storage": 1 });
    let small = create(&app, "/api/vm-specifications", small).await;
    let others: Vec<String> = (1..ROWS)
        .map(|_| uuid::Uuid::now_v7().to_string())
        .collect();
    legacy_hosts(&db, &group, &others);
    legacy_vms(
        &db,
        &hoarder,
        crowded.as_str().unwrap(),
        huge.as_str().unwrap(),
    );

    let listed = get(&app, "/api/host-group-tenant-quotas").await;
    assert_no_500(&listed, "quota list");
    listed.assert_status(200);
    let items = listed.body["host_group_tenant_quotas"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    for item in items {
        assert_eq!(item["group_total_cpu"], MAX, "{item}");
        let limit = item["cpu_limit_cores"].as_f64().unwrap();
        assert!((limit - MAX as f64).abs() <= 2.0, "{item}");
    }
    let one = get(
        &app,
        &format!(
            "/api/host-group-tenant-quotas/{}",
            quotas[0].as_str().unwrap()
        ),
    )
    .await;
    assert_no_500(&one, "quota get");
    one.assert_status(200);
    assert_eq!(
        [
            &one.body["used_cpu"],
            &one.body["used_memory"],
            &one.body["used_storage"]
        ],
        [&json!(MAX), &json!(MAX), &json!(MAX)]
    );
    let usage = get(&app, &format!("/api/tenants/{hoarder}/usage")).await;
    assert_no_500(&usage, "tenant usage");
    usage.assert_status(200);
    assert_eq!(usage.body["groups"][0]["used_cpu"], MAX);
    let usage = get(&app, &format!("/api/tenants/{newcomer}/usage")).await;
    usage.assert_status(200);
    assert_eq!(usage.body["groups"][0]["used_cpu"], 0);

    let host = get(&app, &format!("/api/hosts/{}", crowded.as_str().unwrap())).await;
    assert_no_500(&host, "host get");
    host.assert_status(200);
    assert_eq!(
        (&host.body["allocated_cpu"], &host.body["available_cpu"]),
        (&json!(MAX), &json!(0))
    );
    let hosts = get(&app, &format!("/api/hosts?group_id={group}&per_page=1000")).await;
    assert_no_500(&hosts, "host list");
    hosts.assert_status(200);
    assert_eq!(hosts.header("x-total-count"), Some("1030"));

    let fits = seed::vm(&newcomer, &json!(others[0]), &small, &Value::Null);
    let placed = post(&app, "/api/virtual-machines", fits).await;
    assert_no_500(&placed, "placement that fits");
    placed.assert_status(201);
    let over = seed::vm(&hoarder, &json!(others[1]), &small, &Value::Null);
    let over = post(&app, "/api/virtual-machines", over).await;
    assert_no_500(&over, "placement over the quota");
    over.assert_error(409, "QUOTA_EXCEEDED");
    assert!(
        over.message().contains(&format!("{MAX} cores in use")),
        "{}",
        over.message()
    );
    let full = seed::vm(&newcomer, &crowded, &small, &Value::Null);
    let full = post(&app, "/api/virtual-machines", full).await;
    assert_no_500(&full, "placement on a full host");
    full.assert_error(409, "INSUFFICIENT_CAPACITY");
}

#[actix_web::test]
async fn sums_past_i64_answer_with_the_bound_on_sqlite() {
    let file = hub_testkit::SqliteFile::create();
    let path = file.url.strip_prefix("sqlite://").unwrap().to_owned();
    sums_past_i64_answer_with_the_bound(&file.url, Database::Sqlite(path)).await;
}

#[actix_web::test]
async fn sums_past_i64_answer_with_the_bound_on_postgres() {
    let Some(db) = hub_testkit::PgDatabase::create() else {
        return;
    };
    sums_past_i64_answer_with_the_bound(&db.url, Database::Postgres(db.url.clone())).await;
}
