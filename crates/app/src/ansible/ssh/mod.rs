//! `/api/ssh/test` and `/api/ssh/known-hosts`: test inventories over SSH, and the host keys
//! trusted on first use (DESIGN §3.5).

mod wire;

use crate::http::area::Area;
use crate::http::wire::{Done, Envelope};
use crate::http::{ApiError, blocking, json_body, path_id};
use crate::routes::{Op, RouteTable, typed};
use actix_web::http::Method;
use actix_web::web;
use ansible_core::catalog::InventoryId;
use ansible_core::connectivity::{CancelFlag, ConnectivityError, ConnectivityTests, KnownHostId};
use std::time::Instant;
use utoipa::openapi::schema::Type;
use wire::{KnownHostList, SshTestBody, SshTestResults};

type Tests = web::Data<dyn ConnectivityTests>;

/// The body, where an empty one means `{}` (test everything), as the seed's second example.
fn body(bytes: &[u8]) -> Result<SshTestBody, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(SshTestBody::default());
    }
    json_body::parse(bytes)
}

/// Cancels the test it guards when dropped: at the end of the handler (when the test has
/// ended anyway), or when actix drops the handler because the client disconnected.
struct CancelOnDrop(CancelFlag);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

async fn test(
    tests: Tests,
    bytes: web::Bytes,
) -> Result<web::Json<Envelope<SshTestResults>>, ApiError> {
    let ids: Vec<InventoryId> = body(&bytes)?
        .inventory_ids
        .unwrap_or_default()
        .into_iter()
        .map(InventoryId)
        .collect();
    let started = Instant::now();
    // When this future is dropped before the answer (the client went away), the probes not
    // started yet are skipped: the service's wait on the pool goes on without anyone.
    let cancel = CancelFlag::new();
    let _cancel_on_drop = CancelOnDrop(cancel.clone());
    // The service waits on the probe pool: a blocking wait, so off the async threads too.
    let reports = blocking(move || tests.test(&ids, &cancel)).await?;
    let hosts: usize = reports.iter().map(|r| r.hosts.len()).sum();
    let connected: usize = reports
        .iter()
        .map(|r| r.hosts.iter().filter(|h| h.connected()).count())
        .sum();
    tracing::info!(
        inventories = reports.len(),
        hosts,
        connected,
        elapsed_ms = started.elapsed().as_millis(),
        "SSH test done"
    );
    Ok(web::Json(Envelope::new(
        SshTestResults::from(reports.as_slice()),
        "SSH 連線測試完成",
    )))
}

async fn known_hosts(tests: Tests) -> Result<web::Json<Envelope<KnownHostList>>, ApiError> {
    let hosts = blocking(move || tests.known_hosts()).await?;
    Ok(web::Json(Envelope::new(
        KnownHostList::from(hosts.as_slice()),
        "查詢成功",
    )))
}

async fn forget(tests: Tests, id: web::Path<String>) -> Result<web::Json<Done>, ApiError> {
    let raw = id.into_inner();
    let id = path_id::canonical_int(&raw)
        .map(KnownHostId)
        .ok_or_else(|| ApiError::from(ConnectivityError::KnownHostNotFound(raw.clone())))?;
    blocking(move || tests.forget_known_host(id)).await?;
    Ok(web::Json(Done::new("Known host 已刪除")))
}

fn op(id: &str, summary: &str) -> Op {
    Op::new(Area::Ansible, id, "ssh", summary)
}

pub fn register(table: &mut RouteTable) {
    let test_op = op("testSsh", "Test inventories over SSH, host by host")
        .body::<SshTestBody>()
        .answers::<Envelope<SshTestResults>>(
            200,
            "Every inventory asked for (all when none is), with each host's result.",
        )
        .errors(&[400, 404, 413, 422]);
    table.add(Method::POST, "/ssh/test", test, test_op);
    let list_op = op("listKnownHosts", "The host keys trusted on first use")
        .answers::<Envelope<KnownHostList>>(200, "Every known host, first seen first.")
        .errors(&[]);
    table.add(Method::GET, "/ssh/known-hosts", known_hosts, list_op);
    let forget_op = op(
        "deleteKnownHost",
        "Forget a host key (the next one seen is trusted)",
    )
    .path_param("id", typed(Type::Integer), "The id of the known host.")
    .answers::<Done>(200, "Forgotten.")
    .errors(&[404]);
    table.add(Method::DELETE, "/ssh/known-hosts/{id}", forget, forget_op);
}
