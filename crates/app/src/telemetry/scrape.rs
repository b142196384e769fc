//! `GET /metrics`: the store's gauges, read at scrape time, then the rendered registry.

use actix_web::{HttpResponse, web};
use ansible_core::catalog::PageRequest;
use ansible_core::jobs::{JobQuery, JobRepository, JobStatus};
use infra_inventory::InventoryService;

/// What a store tells the metrics beyond its repositories: its connection pool.
pub trait PoolGauges {
    /// Connections `(in_use, idle)`.
    fn pool_connections(&self) -> (u32, u32);
}

impl PoolGauges for store_diesel::DieselStore {
    fn pool_connections(&self) -> (u32, u32) {
        let (open, idle) = self.pool_state();
        (open.saturating_sub(idle), idle)
    }
}

/// One row of `status`, whose page tells the count; `page` picks which row.
fn jobs_page(status: JobStatus, page: u32) -> JobQuery {
    JobQuery {
        status: Some(status),
        playbook: None,
        inventory: None,
        page: PageRequest { page, per_page: 1 },
    }
}

/// The job gauges: a count per status (one single-row page each) and the oldest queued job
/// (the last row of the newest-first queued list). Six small reads per scrape, whatever the
/// history's size beyond the counts.
fn job_gauges<S: JobRepository>(store: &S) -> Result<(), String> {
    let mut queued = 0;
    for status in JobStatus::ALL {
        let total = store
            .list(&jobs_page(status, 1))
            .map_err(|e| e.to_string())?
            .total;
        if status == JobStatus::Queued {
            queued = total;
        }
        metrics::gauge!("hub_jobs", "status" => status.as_str()).set(total as f64);
    }
    metrics::gauge!("hub_job_queue_depth").set(queued as f64);
    let age = match u32::try_from(queued) {
        Ok(last) if last > 0 => store
            .list(&jobs_page(JobStatus::Queued, last))
            .map_err(|e| e.to_string())?
            .items
            .first()
            .map_or(0.0, |job| {
                (chrono::Utc::now() - job.created_at)
                    .num_milliseconds()
                    .max(0) as f64
                    / 1000.0
            }),
        _ => 0.0,
    };
    metrics::gauge!("hub_job_oldest_queued_age_seconds").set(age);
    Ok(())
}

/// Reads the gauges and renders everything. A store that cannot answer leaves its gauges
/// at their last values and says so in the log; the rest still renders.
pub fn render<S: JobRepository + PoolGauges>(store: &S) -> String {
    let handle = super::handle();
    let (in_use, idle) = store.pool_connections();
    metrics::gauge!("hub_store_pool_connections", "state" => "in_use").set(f64::from(in_use));
    metrics::gauge!("hub_store_pool_connections", "state" => "idle").set(f64::from(idle));
    if let Err(e) = job_gauges(store) {
        tracing::warn!(error = %e, "metrics: could not read the job gauges");
    }
    handle.run_upkeep();
    handle.render()
}

pub async fn metrics_handler<S>(service: web::Data<InventoryService<S>>) -> HttpResponse
where
    S: JobRepository + PoolGauges + Clone + 'static,
{
    let store = service.store().clone();
    match web::block(move || render(&store)).await {
        Ok(body) => HttpResponse::Ok()
            .content_type("text/plain; version=0.0.4; charset=utf-8")
            .body(body),
        Err(e) => {
            tracing::warn!(error = %e, "metrics: rendering failed");
            HttpResponse::InternalServerError().finish()
        }
    }
}

/// `GET /metrics` on its own (the `HUB_METRICS_BIND` listener: public, nothing else).
pub fn configure<S>(cfg: &mut web::ServiceConfig)
where
    S: JobRepository + PoolGauges + Clone + 'static,
{
    cfg.route("/metrics", web::get().to(metrics_handler::<S>));
}
