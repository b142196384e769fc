//! What the job routes read and write (DESIGN §3.4), camelCase.

use crate::http::ApiError;
use ansible_core::jobs::{HostStats, Job, PlaybookRun};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// `POST /playbooks/execute`; snake_case spellings are accepted too.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExecuteBody {
    /// The playbooks to run, in order, each once (1 to 50).
    #[serde(alias = "playbook_ids")]
    #[schema(required = true)]
    pub playbook_ids: Option<Vec<i64>>,
    /// Default: the only inventory, if exactly one exists.
    #[serde(alias = "inventory_id")]
    pub inventory_id: Option<i64>,
    /// Variables for every playbook of the job (`-e`); an object. Optional, as seed 002 says.
    #[serde(alias = "extra_vars")]
    #[schema(value_type = Object, required = false)]
    pub extra_vars: Option<Value>,
}

/// A playbook of a queued job.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QueuedPlaybook {
    id: i64,
    name: String,
    status: &'static str,
}

/// The answer to an execute: the job is queued.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobAccepted {
    job_id: String,
    status: &'static str,
    playbooks: Vec<QueuedPlaybook>,
    created_at: DateTime<Utc>,
}

impl From<&Job> for JobAccepted {
    fn from(job: &Job) -> Self {
        Self {
            job_id: job.id.to_string(),
            status: job.status.as_str(),
            playbooks: job
                .playbooks
                .iter()
                .map(|p| QueuedPlaybook {
                    id: p.playbook.0,
                    name: p.name.clone(),
                    status: p.status.as_str(),
                })
                .collect(),
            created_at: job.created_at,
        }
    }
}

/// One host's line of the recap.
#[derive(Debug, Serialize, ToSchema)]
pub struct HostStatsBody {
    ok: u64,
    changed: u64,
    unreachable: u64,
    failed: u64,
    skipped: u64,
    rescued: u64,
    ignored: u64,
}

impl From<&HostStats> for HostStatsBody {
    fn from(s: &HostStats) -> Self {
        Self {
            ok: s.ok,
            changed: s.changed,
            unreachable: s.unreachable,
            failed: s.failed,
            skipped: s.skipped,
            rescued: s.rescued,
            ignored: s.ignored,
        }
    }
}

/// One playbook of a job and how its run went.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlaybookRunBody {
    id: i64,
    name: String,
    status: &'static str,
    /// The output so far (only in a job's own answer, not in lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<String>,
    started_at: Option<DateTime<Utc>>,
    completed_at: Option<DateTime<Utc>>,
    exit_code: Option<i32>,
    host_stats: BTreeMap<String, HostStatsBody>,
}

impl PlaybookRunBody {
    fn new(run: &PlaybookRun, output: Option<String>) -> Self {
        Self {
            id: run.playbook.0,
            name: run.name.clone(),
            status: run.status.as_str(),
            output,
            started_at: run.started_at,
            completed_at: run.completed_at,
            exit_code: run.exit_code,
            host_stats: run
                .host_stats
                .iter()
                .map(|(host, stats)| (host.clone(), HostStatsBody::from(stats)))
                .collect(),
        }
    }
}

/// A job: its playbooks, their results, its times and variables.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobBody {
    job_id: String,
    status: &'static str,
    inventory_id: i64,
    playbooks: Vec<PlaybookRunBody>,
    created_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    completed_at: Option<DateTime<Utc>>,
    /// As given at execute.
    #[schema(value_type = Object)]
    extra_vars: Value,
}

impl JobBody {
    /// The job; `outputs` (when given) holds each playbook's output, in the job's order.
    pub fn new(job: &Job, outputs: Option<Vec<String>>) -> Result<Self, ApiError> {
        let extra_vars =
            serde_json::from_str(&job.extra_vars.to_json()).map_err(ApiError::internal)?;
        let mut outputs = outputs.map(Vec::into_iter);
        let playbooks = job
            .playbooks
            .iter()
            .map(|run| {
                let output = outputs.as_mut().and_then(Iterator::next);
                PlaybookRunBody::new(run, output)
            })
            .collect();
        Ok(Self {
            job_id: job.id.to_string(),
            status: job.status.as_str(),
            inventory_id: job.inventory.0,
            playbooks,
            created_at: job.created_at,
            started_at: job.started_at,
            completed_at: job.completed_at,
            extra_vars,
        })
    }
}
