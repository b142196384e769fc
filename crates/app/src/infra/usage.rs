//! What tenants use: `GET /api/tenants/{id}/usage`, and the usage fields of quota responses.

use super::handlers::blocking;
use super::resource::serialized;
use crate::http::ApiError;
use actix_web::{HttpResponse, web};
use capacity_quota::QuotaState;
use infra_inventory::ids::TenantId;
use infra_inventory::ports::{InventoryStore, QuotaUsage};
use infra_inventory::resources::HostGroupTenantQuota;
use infra_inventory::{InventoryError, InventoryService, ResourceKind};
use serde_json::{Value, json};

/// A quota with what is used under it: the seed's fields, then `used_*`, the group's total CPU
/// and the CPU limit in cores that the percentage means now.
pub fn quota_with_usage(quota: &HostGroupTenantQuota, usage: &QuotaUsage) -> Value {
    let mut json = serialized(quota);
    let state = QuotaState {
        limits: quota.fields.limits,
        group_total_cpu: usage.group_total_cpu,
        used: usage.used,
    };
    if let Value::Object(fields) = &mut json {
        fields.insert("used_cpu".into(), json!(usage.used.cpu));
        fields.insert("used_memory".into(), json!(usage.used.memory));
        fields.insert("used_storage".into(), json!(usage.used.storage));
        fields.insert("group_total_cpu".into(), json!(usage.group_total_cpu));
        fields.insert("cpu_limit_cores".into(), json!(state.cpu_limit_cores()));
    }
    json
}

/// Quotas are presented with their usage, read in one batch.
pub fn present_quotas<S: InventoryStore>(
    quotas: &[HostGroupTenantQuota],
    store: &S,
) -> Result<Vec<Value>, InventoryError> {
    let service = InventoryService::new(store.clone());
    let with_usage = service.quota_usage(quotas.to_vec())?;
    Ok(with_usage
        .iter()
        .map(|(q, u)| quota_with_usage(q, u))
        .collect())
}

/// Every host group a tenant holds a quota in, with its limits and what is used.
pub async fn tenant_usage<S: InventoryStore>(
    id: web::Path<String>,
    service: web::Data<InventoryService<S>>,
) -> Result<HttpResponse, ApiError> {
    let tenant: TenantId = id
        .parse()
        .map_err(|_| ApiError::not_found(ResourceKind::Tenant, &id))?;
    let groups = blocking(move || service.tenant_usage(tenant)).await?;
    let groups: Vec<Value> = groups.iter().map(|(q, u)| quota_with_usage(q, u)).collect();
    Ok(HttpResponse::Ok().json(json!({ "tenant_id": tenant, "groups": groups })))
}
