//! The Ansible area's answers, camelCase as seed 002's final rule asks.

use ansible_core::catalog::{Inventory, Playbook};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::routes::one_of as words;

fn power() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    words(&["On", "Off"])
}

fn ssh() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    words(&["Connected", "Unconnected"])
}

fn kind() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    words(&["Machine", "Other"])
}

fn run() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    words(&["Success", "Fail", "Not start"])
}

/// A list item: no config, which can be long (the edit page loads it by id).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InventorySummary {
    id: i64,
    name: String,
    #[schema(schema_with = power)]
    status: &'static str,
    #[schema(schema_with = ssh)]
    ssh_status: &'static str,
    group: String,
    /// When the last SSH test of the inventory ended; `null` until one has.
    last_tested_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// The whole inventory, as the edit page loads it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InventoryDetail {
    #[serde(flatten)]
    summary: InventorySummary,
    /// The Ansible inventory text (INI or YAML).
    config: String,
}

impl From<&Inventory> for InventorySummary {
    fn from(i: &Inventory) -> Self {
        Self {
            id: i.id.0,
            name: i.name.clone(),
            status: i.status.as_str(),
            ssh_status: i.ssh_status.as_str(),
            group: i.group.clone(),
            last_tested_at: i.last_tested_at,
            created_at: i.created_at,
            updated_at: i.updated_at,
        }
    }
}

impl From<&Inventory> for InventoryDetail {
    fn from(i: &Inventory) -> Self {
        Self {
            summary: i.into(),
            config: i.config.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlaybookSummary {
    id: i64,
    name: String,
    #[serde(rename = "type")]
    #[schema(schema_with = kind)]
    kind: &'static str,
    #[schema(schema_with = run)]
    status: &'static str,
    last_run_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// `hosts`, `gatherFacts` and every other play keyword, in the order given.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlaybookMainOut {
    hosts: String,
    gather_facts: bool,
    #[serde(flatten)]
    #[schema(value_type = Object)]
    extra: Map<String, Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskOut {
    id: i64,
    enabled: bool,
    /// One YAML mapping: the task.
    content: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlaybookDetail {
    #[serde(flatten)]
    summary: PlaybookSummary,
    main: PlaybookMainOut,
    tasks: Vec<TaskOut>,
}

impl From<&Playbook> for PlaybookSummary {
    fn from(p: &Playbook) -> Self {
        Self {
            id: p.id.0,
            name: p.name.clone(),
            kind: p.kind.as_str(),
            status: p.status.as_str(),
            last_run_at: p.last_run_at,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

impl TryFrom<&Playbook> for PlaybookDetail {
    type Error = serde_json::Error;

    fn try_from(p: &Playbook) -> Result<Self, serde_json::Error> {
        let extra = p
            .main
            .extra
            .iter()
            .map(|(key, value)| Ok((key.clone(), serde_json::to_value(value)?)))
            .collect::<Result<Map<_, _>, serde_json::Error>>()?;
        Ok(Self {
            summary: p.into(),
            main: PlaybookMainOut {
                hosts: p.main.hosts.clone(),
                gather_facts: p.main.gather_facts,
                extra,
            },
            tasks: p
                .tasks
                .iter()
                .map(|t| TaskOut {
                    id: t.id,
                    enabled: t.enabled,
                    content: t.content.clone(),
                })
                .collect(),
        })
    }
}
