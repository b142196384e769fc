//! Metered wrappers of the ports whose calls the metrics count: SSH tests and model calls.
//! They change nothing of what the wrapped port answers.

use ai_assist::{ChatError, ChatMessage, ChatModel};
use ansible_core::catalog::InventoryId;
use ansible_core::connectivity::{
    CancelFlag, ConnectivityError, ConnectivityTests, InventoryReport, KnownHost, KnownHostId,
};
use std::sync::Arc;
use std::time::Instant;

/// SSH tests, counted per request and per host by result code.
#[derive(Debug)]
pub struct MeteredConnectivity(pub Arc<dyn ConnectivityTests>);

/// A host's label: its failure code, `OK` when it authenticated.
fn host_code(host: &ansible_core::connectivity::HostReport) -> &'static str {
    host.failure.map_or("OK", |f| f.code())
}

impl ConnectivityTests for MeteredConnectivity {
    fn test(
        &self,
        ids: &[InventoryId],
        cancel: &CancelFlag,
    ) -> Result<Vec<InventoryReport>, ConnectivityError> {
        let started = Instant::now();
        let result = self.0.test(ids, cancel);
        metrics::histogram!("hub_ssh_test_duration_seconds")
            .record(started.elapsed().as_secs_f64());
        let outcome = if result.is_ok() { "ok" } else { "error" };
        metrics::counter!("hub_ssh_tests_total", "outcome" => outcome).increment(1);
        for host in result.iter().flatten().flat_map(|r| &r.hosts) {
            let code = host_code(host);
            metrics::counter!("hub_ssh_hosts_total", "code" => code).increment(1);
            if let Some(latency) = host.latency {
                metrics::histogram!("hub_ssh_host_latency_seconds", "code" => code)
                    .record(latency.as_secs_f64());
            }
        }
        result
    }

    fn known_hosts(&self) -> Result<Vec<KnownHost>, ConnectivityError> {
        self.0.known_hosts()
    }

    fn forget_known_host(&self, id: KnownHostId) -> Result<(), ConnectivityError> {
        self.0.forget_known_host(id)
    }
}

/// Model calls, counted and timed by outcome.
pub struct MeteredChatModel(pub Arc<dyn ChatModel>);

impl std::fmt::Debug for MeteredChatModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MeteredChatModel").finish_non_exhaustive()
    }
}

fn outcome(result: &Result<String, ChatError>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(ChatError::NotConfigured(_)) => "not_configured",
        Err(ChatError::Unreachable(_)) => "unreachable",
        Err(ChatError::Timeout(_)) => "timeout",
        Err(ChatError::Refused(_)) => "refused",
        Err(ChatError::Malformed(_)) => "malformed",
    }
}

impl ChatModel for MeteredChatModel {
    fn complete(&self, messages: &[ChatMessage]) -> Result<String, ChatError> {
        let started = Instant::now();
        let result = self.0.complete(messages);
        let outcome = outcome(&result);
        metrics::counter!("hub_llm_calls_total", "outcome" => outcome).increment(1);
        metrics::histogram!("hub_llm_call_duration_seconds", "outcome" => outcome)
            .record(started.elapsed().as_secs_f64());
        result
    }
}
