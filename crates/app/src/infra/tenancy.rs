//! Tenants and what they own: VM specifications, virtual machines, k8s clusters and their
//! quotas in host groups.

use super::input::{optional_uuid, required, uuid};
use super::resource::{InfraResource, serialized};
use crate::http::ListQuery;
use capacity_quota::QuotaLimits;
use infra_inventory::FieldError;
use infra_inventory::ids::{HostGroupId, TenantId};
pub use infra_inventory::resources::{
    HostGroupTenantQuota, K8sCluster, VirtualMachine, VmSpecification,
};
use infra_inventory::resources::{
    K8sClusterDraft, K8sClusterFilter, NoFilter, QuotaDraft, QuotaFilter, VirtualMachineDraft,
    VirtualMachineFilter, VmSpecificationDraft,
};
use infra_inventory::values::{
    ClusterStatus, Name, VmStatus, parse_amount, parse_percentage, parse_text,
};
use serde::Deserialize;

fn tenant_filter(query: &ListQuery) -> Result<Option<TenantId>, FieldError> {
    Ok(query
        .parsed::<i64>("tenant_id", "an integer")?
        .map(TenantId))
}

#[derive(Debug, Deserialize)]
pub struct VmSpecificationBody {
    name: Option<String>,
    required_cpu: Option<i64>,
    required_memory: Option<i64>,
    required_storage: Option<i64>,
}

impl InfraResource for VmSpecification {
    const PATH: &'static str = "vm-specifications";
    const LIST_KEY: Option<&'static str> = Some("vm_specifications");
    const DELETED: &'static str = "VM specification deleted successfully";
    type Body = VmSpecificationBody;

    fn draft(b: VmSpecificationBody) -> Result<VmSpecificationDraft, FieldError> {
        Ok(VmSpecificationDraft {
            name: Name::parse("name", &required("name", b.name)?)?,
            required_cpu: parse_amount("required_cpu", required("required_cpu", b.required_cpu)?)?,
            required_memory: parse_amount(
                "required_memory",
                required("required_memory", b.required_memory)?,
            )?,
            required_storage: parse_amount(
                "required_storage",
                required("required_storage", b.required_storage)?,
            )?,
        })
    }

    fn filter(_query: &ListQuery) -> Result<NoFilter, FieldError> {
        Ok(NoFilter)
    }

    fn to_json(&self) -> serde_json::Value {
        serialized(self)
    }
}

#[derive(Debug, Deserialize)]
pub struct VirtualMachineBody {
    name: Option<String>,
    tenant_id: Option<i64>,
    host_id: Option<String>,
    specification_id: Option<String>,
    k8s_cluster_id: Option<String>,
    status: Option<String>,
}

impl InfraResource for VirtualMachine {
    const PATH: &'static str = "virtual-machines";
    const LIST_KEY: Option<&'static str> = Some("virtual_machines");
    const DELETED: &'static str = "Virtual machine deleted successfully";
    type Body = VirtualMachineBody;

    fn draft(b: VirtualMachineBody) -> Result<VirtualMachineDraft, FieldError> {
        Ok(VirtualMachineDraft {
            name: Name::parse("name", &required("name", b.name)?)?,
            tenant_id: TenantId(required("tenant_id", b.tenant_id)?),
            host_id: uuid("host_id", &required("host_id", b.host_id)?)?,
            specification_id: uuid(
                "specification_id",
                &required("specification_id", b.specification_id)?,
            )?,
            k8s_cluster_id: optional_uuid("k8s_cluster_id", b.k8s_cluster_id)?,
            status: VmStatus::parse("status", b.status.as_deref())?,
        })
    }

    fn filter(query: &ListQuery) -> Result<VirtualMachineFilter, FieldError> {
        Ok(VirtualMachineFilter {
            tenant_id: tenant_filter(query)?,
            host_id: query.parsed("host_id", "a UUID")?,
            specification_id: query.parsed("specification_id", "a UUID")?,
            k8s_cluster_id: query.parsed("k8s_cluster_id", "a UUID")?,
            status: query
                .text("status")
                .map(|s| VmStatus::parse("status", Some(s)))
                .transpose()?,
        })
    }

    fn to_json(&self) -> serde_json::Value {
        serialized(self)
    }
}

#[derive(Debug, Deserialize)]
pub struct K8sClusterBody {
    name: Option<String>,
    tenant_id: Option<i64>,
    description: Option<String>,
    status: Option<String>,
}

impl InfraResource for K8sCluster {
    const PATH: &'static str = "k8s-clusters";
    const LIST_KEY: Option<&'static str> = Some("k8s_clusters");
    const DELETED: &'static str = "K8s cluster deleted successfully";
    type Body = K8sClusterBody;

    fn draft(b: K8sClusterBody) -> Result<K8sClusterDraft, FieldError> {
        Ok(K8sClusterDraft {
            name: Name::parse("name", &required("name", b.name)?)?,
            tenant_id: TenantId(required("tenant_id", b.tenant_id)?),
            description: parse_text("description", b.description)?,
            status: ClusterStatus::parse("status", b.status.as_deref())?,
        })
    }

    fn filter(query: &ListQuery) -> Result<K8sClusterFilter, FieldError> {
        Ok(K8sClusterFilter {
            tenant_id: tenant_filter(query)?,
            status: query
                .text("status")
                .map(|s| ClusterStatus::parse("status", Some(s)))
                .transpose()?,
        })
    }

    fn to_json(&self) -> serde_json::Value {
        serialized(self)
    }
}

#[derive(Debug, Deserialize)]
pub struct QuotaBody {
    group_id: Option<i64>,
    tenant_id: Option<i64>,
    cpu_quota_percentage: Option<f64>,
    memory_quota: Option<i64>,
    storage_quota: Option<i64>,
}

impl InfraResource for HostGroupTenantQuota {
    const PATH: &'static str = "host-group-tenant-quotas";
    const LIST_KEY: Option<&'static str> = Some("host_group_tenant_quotas");
    const DELETED: &'static str = "Baremetal group tenant quota deleted successfully";
    type Body = QuotaBody;

    fn draft(b: QuotaBody) -> Result<QuotaDraft, FieldError> {
        Ok(QuotaDraft {
            group_id: HostGroupId(required("group_id", b.group_id)?),
            tenant_id: TenantId(required("tenant_id", b.tenant_id)?),
            limits: QuotaLimits {
                cpu_quota_percentage: parse_percentage(
                    "cpu_quota_percentage",
                    required("cpu_quota_percentage", b.cpu_quota_percentage)?,
                )?,
                memory_quota: parse_amount(
                    "memory_quota",
                    required("memory_quota", b.memory_quota)?,
                )?,
                storage_quota: parse_amount(
                    "storage_quota",
                    required("storage_quota", b.storage_quota)?,
                )?,
            },
        })
    }

    fn filter(query: &ListQuery) -> Result<QuotaFilter, FieldError> {
        Ok(QuotaFilter {
            group_id: query
                .parsed::<i64>("group_id", "an integer")?
                .map(HostGroupId),
            tenant_id: tenant_filter(query)?,
        })
    }

    fn to_json(&self) -> serde_json::Value {
        serialized(self)
    }

    fn present<S: infra_inventory::ports::InventoryStore>(
        records: &[Self],
        store: &S,
    ) -> Result<Vec<serde_json::Value>, infra_inventory::InventoryError> {
        super::usage::present_quotas(records, store)
    }
}
