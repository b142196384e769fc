//! Prometheus metrics (DESIGN.md §3.7): the `metrics` facade, rendered by
//! `metrics-exporter-prometheus` without its HTTP server, so that `/metrics` is an actix
//! route like the others (behind the token) or on a listener of its own (`HUB_METRICS_BIND`).
//!
//! Labels are bounded: route templates (never raw paths), a fixed set of methods, status
//! numbers, and the domain's own enumerations (job status, SSH codes, model outcomes). No id,
//! name or other user input ever becomes a label value.

pub mod decorators;
pub mod http;
pub mod scrape;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;

/// Request, SSH and model latencies, in seconds: a millisecond to a minute.
const LATENCY_BUCKETS: [f64; 15] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
];
/// Job durations, in seconds: a second to the default one-hour limit and past it.
const JOB_BUCKETS: [f64; 10] = [
    1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0, 3600.0,
];

pub const JOB_DURATION: &str = "hub_job_duration_seconds";

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process's recorder, installed on first use. One per process: every app and worker of
/// the process reports into it (tests that build many apps share it too).
pub fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets(&LATENCY_BUCKETS)
            .and_then(|b| b.set_buckets_for_metric(Matcher::Full(JOB_DURATION.to_owned()), &JOB_BUCKETS));
        let recorder = match builder {
            Ok(builder) => builder.build_recorder(),
            // Only an empty bucket list fails, and ours are constants.
            Err(e) => unreachable!("constant histogram buckets rejected: {e}"),
        };
        let handle = recorder.handle();
        if let Err(e) = metrics::set_global_recorder(recorder) {
            // Someone else's recorder: ours would render nothing, which must not pass silently.
            tracing::error!(error = %e, "another metrics recorder is installed: /metrics stays empty");
        }
        describe();
        metrics::gauge!("hub_build_info", "version" => env!("CARGO_PKG_VERSION")).set(1.0);
        handle
    })
}

fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram};
    describe_counter!(
        "hub_http_requests_total",
        "HTTP requests by route template, method and status"
    );
    describe_histogram!(
        "hub_http_request_duration_seconds",
        "HTTP request latency by route template and method"
    );
    describe_gauge!(
        "hub_store_pool_connections",
        "Database pool connections by state (in_use, idle)"
    );
    describe_gauge!("hub_jobs", "Jobs in the store by status");
    describe_gauge!("hub_job_queue_depth", "Jobs waiting to run");
    describe_gauge!(
        "hub_job_oldest_queued_age_seconds",
        "Age of the oldest queued job (0 when none)"
    );
    describe_histogram!(
        JOB_DURATION,
        "Time from claim to end of the jobs this server ran, by end status"
    );
    describe_counter!(
        "hub_ssh_tests_total",
        "SSH connectivity test requests by outcome"
    );
    describe_histogram!(
        "hub_ssh_test_duration_seconds",
        "SSH connectivity test request latency"
    );
    describe_counter!(
        "hub_ssh_hosts_total",
        "Hosts probed by SSH tests, by result code"
    );
    describe_histogram!(
        "hub_ssh_host_latency_seconds",
        "Per-host SSH probe latency by result code"
    );
    describe_counter!("hub_llm_calls_total", "AI model calls by outcome");
    describe_histogram!(
        "hub_llm_call_duration_seconds",
        "AI model call latency by outcome"
    );
    describe_gauge!("hub_build_info", "The running build (always 1)");
}
