//! What tenants use: `GET /api/tenants/{id}/usage`, and the usage fields of quota answers.
//! The service reads the usage; this module only presents it.

use crate::http::domain_errors::not_found;
use crate::http::{ApiError, blocking, path_id};
use actix_web::web;
use chrono::{DateTime, Utc};
use infra_inventory::ids::TenantId;
use infra_inventory::ports::InventoryStore;
use infra_inventory::{InventoryService, QuotaWithUsage, ResourceKind};
use serde::Serialize;
use utoipa::ToSchema;

/// A quota with what is used under it: the seed's fields, then `used_*`, the group's total CPU
/// and the CPU limit in cores that the percentage means now.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = HostGroupTenantQuota)]
pub struct QuotaOut {
    id: String,
    group_id: i64,
    tenant_id: i64,
    cpu_quota_percentage: f64,
    memory_quota: i64,
    storage_quota: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    used_cpu: i64,
    used_memory: i64,
    used_storage: i64,
    group_total_cpu: i64,
    cpu_limit_cores: f64,
}

/// What the service returns for a quota is the quota with its usage.
impl From<&QuotaWithUsage> for QuotaOut {
    fn from(view: &QuotaWithUsage) -> Self {
        let (quota, usage) = (&view.quota, &view.usage);
        let limits = quota.fields.limits;
        QuotaOut {
            id: quota.id.to_string(),
            group_id: quota.fields.group_id.0,
            tenant_id: quota.fields.tenant_id.0,
            cpu_quota_percentage: limits.cpu_quota_percentage.get(),
            memory_quota: limits.memory_quota.get(),
            storage_quota: limits.storage_quota.get(),
            created_at: quota.created_at,
            updated_at: quota.updated_at,
            used_cpu: usage.used.cpu,
            used_memory: usage.used.memory,
            used_storage: usage.used.storage,
            group_total_cpu: usage.group_total_cpu,
            cpu_limit_cores: view.state().cpu_limit_cores(),
        }
    }
}

/// `GET /api/tenants/{id}/usage`: every host group the tenant holds a quota in.
#[derive(Debug, Serialize, ToSchema)]
pub struct TenantUsage {
    tenant_id: i64,
    groups: Vec<QuotaOut>,
}

pub async fn tenant_usage<S: InventoryStore>(
    id: web::Path<String>,
    service: web::Data<InventoryService<S>>,
) -> Result<web::Json<TenantUsage>, ApiError> {
    let tenant = path_id::canonical_int(&id)
        .map(TenantId)
        .ok_or_else(|| not_found(ResourceKind::Tenant, &id))?;
    let groups = blocking(move || service.tenant_usage(tenant)).await?;
    Ok(web::Json(TenantUsage {
        tenant_id: tenant.0,
        groups: groups.iter().map(QuotaOut::from).collect(),
    }))
}
