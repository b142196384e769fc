//! The SSH test's bodies: the seed's `results[]`, each with its `hosts[]`, and the known
//! hosts.

use crate::routes::one_of as words;
use ansible_core::connectivity::{HostReport, InventoryReport, KnownHost, known_hosts_name};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

fn connected() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    words(&["Connected", "Unconnected"])
}

fn host_code() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    words(&[
        "SSH_TIMEOUT",
        "SSH_CONNECTION_FAILED",
        "SSH_AUTHENTICATION_FAILED",
        "SSH_HOST_KEY_MISMATCH",
        "SSH_NO_CREDENTIALS",
    ])
}

/// `POST /api/ssh/test`: which inventories; none, `null` or `[]` tests them all.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SshTestBody {
    /// Also accepted as `inventory_ids`.
    #[serde(default, alias = "inventory_ids")]
    pub inventory_ids: Option<Vec<i64>>,
}

/// One host's result.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HostResult {
    /// The inventory's host name.
    name: String,
    address: String,
    port: u16,
    user: String,
    #[schema(schema_with = connected)]
    status: &'static str,
    /// Why it did not connect; `null` when it did.
    #[schema(schema_with = host_code, nullable)]
    code: Option<&'static str>,
    message: String,
    /// From the start of the attempt to its end; `null` when nothing was attempted.
    latency_ms: Option<u64>,
    /// `SHA256:…` of the host key the server presented.
    fingerprint: Option<String>,
}

/// One inventory's result: the seed's fields, plus its hosts.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InventoryResult {
    inventory_id: i64,
    inventory_name: String,
    /// `Connected` only when every host authenticated.
    #[schema(schema_with = connected)]
    status: &'static str,
    /// e.g. `3/4 hosts connected; web2: timed out after 5 s`.
    message: String,
    tested_at: DateTime<Utc>,
    hosts: Vec<HostResult>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SshTestResults {
    results: Vec<InventoryResult>,
}

impl From<&HostReport> for HostResult {
    fn from(h: &HostReport) -> Self {
        Self {
            name: h.name.clone(),
            address: h.address.clone(),
            port: h.port,
            user: h.user.clone(),
            status: if h.connected() {
                "Connected"
            } else {
                "Unconnected"
            },
            code: h.failure.map(|f| f.code()),
            message: h.message.clone(),
            latency_ms: h
                .latency
                .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            fingerprint: h.fingerprint.clone(),
        }
    }
}

impl From<&[InventoryReport]> for SshTestResults {
    fn from(reports: &[InventoryReport]) -> Self {
        let results = reports
            .iter()
            .map(|r| InventoryResult {
                inventory_id: r.inventory_id.0,
                inventory_name: r.inventory_name.clone(),
                status: r.ssh_status.as_str(),
                message: r.message.clone(),
                tested_at: r.tested_at,
                hosts: r.hosts.iter().map(HostResult::from).collect(),
            })
            .collect();
        Self { results }
    }
}

/// A host key trusted on first use.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KnownHostOut {
    id: i64,
    address: String,
    port: u16,
    /// e.g. `ssh-ed25519`.
    key_type: String,
    /// The public key, base64, as in known_hosts.
    key: String,
    fingerprint: String,
    first_seen_at: DateTime<Utc>,
    /// The entry as an OpenSSH known_hosts line.
    known_hosts_line: String,
}

impl From<&KnownHost> for KnownHostOut {
    fn from(h: &KnownHost) -> Self {
        Self {
            id: h.id.0,
            address: h.address.clone(),
            port: h.port,
            key_type: h.key.key_type.clone(),
            key: h.key.key_base64.clone(),
            fingerprint: h.key.fingerprint.clone(),
            first_seen_at: h.first_seen_at,
            known_hosts_line: format!(
                "{} {} {}",
                known_hosts_name(&h.address, h.port),
                h.key.key_type,
                h.key.key_base64
            ),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KnownHostList {
    items: Vec<KnownHostOut>,
}

impl From<&[KnownHost]> for KnownHostList {
    fn from(hosts: &[KnownHost]) -> Self {
        Self {
            items: hosts.iter().map(KnownHostOut::from).collect(),
        }
    }
}
