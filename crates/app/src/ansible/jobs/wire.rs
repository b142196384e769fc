//! What the job routes read and write (DESIGN §3.4), camelCase.

use crate::http::ApiError;
use ansible_core::jobs::{HostStats, Job, JobDetail, JobSummary, OutputTail, PlaybookRun};
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
    /// Variables for every playbook of the job (`-e`); an object of at most 65536 bytes as
    /// compact JSON (UTF-8), else 422 naming `extraVars`. Optional, as seed 002 says.
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

/// One playbook of a job and how its run went, without its output (lists, a cancel's
/// answer).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlaybookRunBody {
    id: i64,
    /// At most 255 characters.
    name: String,
    status: &'static str,
    started_at: Option<DateTime<Utc>>,
    completed_at: Option<DateTime<Utc>>,
    exit_code: Option<i32>,
    /// One entry per host the run reached, in host name order: at most the first
    /// 100 ([`LISTED_HOSTS`]); the job's own answer has them all.
    host_stats: BTreeMap<String, HostStatsBody>,
    /// `true` when the run reached more hosts than `hostStats` lists.
    host_stats_truncated: bool,
}

/// The most hosts a list item's playbook carries stats for, so that a list's answer is
/// bounded by its page size whatever the inventories held.
pub const LISTED_HOSTS: usize = 100;

impl From<&PlaybookRun> for PlaybookRunBody {
    fn from(run: &PlaybookRun) -> Self {
        Self {
            id: run.playbook.0,
            name: run.name.clone(),
            status: run.status.as_str(),
            started_at: run.started_at,
            completed_at: run.completed_at,
            exit_code: run.exit_code,
            host_stats: run
                .host_stats
                .iter()
                .take(LISTED_HOSTS)
                .map(|(host, stats)| (host.clone(), HostStatsBody::from(stats)))
                .collect(),
            host_stats_truncated: run.host_stats.len() > LISTED_HOSTS,
        }
    }
}

/// One playbook of a job with the last part of its output (a job's own answer).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlaybookDetailBody {
    id: i64,
    /// At most 255 characters.
    name: String,
    status: &'static str,
    /// The output so far, or its last 65536 bytes (UTF-8, cut on a character) when it is
    /// longer: from byte `outputOffset` to the end of what is stored.
    output: String,
    /// `true` when `output` is only the last part: the first `outputOffset` bytes are left
    /// out; `GET …/jobs/{jobId}/output?playbookId=…&offset=0` reads them (and the rest).
    output_truncated: bool,
    /// The byte offset in the playbook's whole output where `output` starts; 0 when it is
    /// whole.
    output_offset: u64,
    started_at: Option<DateTime<Utc>>,
    completed_at: Option<DateTime<Utc>>,
    exit_code: Option<i32>,
    /// One entry per host the run reached.
    host_stats: BTreeMap<String, HostStatsBody>,
}

impl PlaybookDetailBody {
    fn new(run: &PlaybookRun, tail: &OutputTail) -> Self {
        Self {
            id: run.playbook.0,
            name: run.name.clone(),
            status: run.status.as_str(),
            output: tail.text.clone(),
            output_truncated: tail.is_cut(),
            output_offset: tail.offset,
            started_at: run.started_at,
            completed_at: run.completed_at,
            exit_code: run.exit_code,
            // Every host: the one place a client reads them all.
            host_stats: run
                .host_stats
                .iter()
                .map(|(host, stats)| (host.clone(), HostStatsBody::from(stats)))
                .collect(),
        }
    }
}

/// A job as a list shows it: no `extraVars`, no output (`GET` the job for those).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobSummaryBody {
    job_id: String,
    status: &'static str,
    inventory_id: i64,
    /// 1 to 50.
    playbooks: Vec<PlaybookRunBody>,
    created_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    completed_at: Option<DateTime<Utc>>,
}

impl From<&JobSummary> for JobSummaryBody {
    fn from(job: &JobSummary) -> Self {
        Self {
            job_id: job.id.to_string(),
            status: job.status.as_str(),
            inventory_id: job.inventory.0,
            playbooks: job.playbooks.iter().map(PlaybookRunBody::from).collect(),
            created_at: job.created_at,
            started_at: job.started_at,
            completed_at: job.completed_at,
        }
    }
}

/// The variables as given at execute, as JSON.
fn extra_vars(job: &Job) -> Result<Value, ApiError> {
    serde_json::from_str(&job.extra_vars.to_json()).map_err(ApiError::internal)
}

/// A job: its playbooks, their results, its times and variables; no output (a cancel's
/// answer).
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
    /// As given at execute (at most 65536 bytes as JSON).
    #[schema(value_type = Object)]
    extra_vars: Value,
}

impl JobBody {
    pub fn new(job: &Job) -> Result<Self, ApiError> {
        Ok(Self {
            job_id: job.id.to_string(),
            status: job.status.as_str(),
            inventory_id: job.inventory.0,
            playbooks: job.playbooks.iter().map(PlaybookRunBody::from).collect(),
            created_at: job.created_at,
            started_at: job.started_at,
            completed_at: job.completed_at,
            extra_vars: extra_vars(job)?,
        })
    }
}

/// A job with the last part of each playbook's output (`GET /playbooks/jobs/{jobId}`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobDetailBody {
    job_id: String,
    status: &'static str,
    inventory_id: i64,
    playbooks: Vec<PlaybookDetailBody>,
    created_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    completed_at: Option<DateTime<Utc>>,
    /// As given at execute (at most 65536 bytes as JSON).
    #[schema(value_type = Object)]
    extra_vars: Value,
}

impl JobDetailBody {
    pub fn new(detail: &JobDetail) -> Result<Self, ApiError> {
        let job = &detail.job;
        let playbooks = job
            .playbooks
            .iter()
            .zip(&detail.outputs)
            .map(|(run, tail)| PlaybookDetailBody::new(run, tail))
            .collect();
        Ok(Self {
            job_id: job.id.to_string(),
            status: job.status.as_str(),
            inventory_id: job.inventory.0,
            playbooks,
            created_at: job.created_at,
            started_at: job.started_at,
            completed_at: job.completed_at,
            extra_vars: extra_vars(job)?,
        })
    }
}
