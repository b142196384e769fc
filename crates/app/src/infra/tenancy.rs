//! Tenants and what they own: VM specifications, virtual machines, k8s clusters and their
//! quotas in host groups.

use super::input::{optional_uuid, required, uuid};
use super::resource::{FilterKind, FilterParam, IdKind, InfraResource, words};
use super::usage::QuotaOut;
use crate::http::ListQuery;
use capacity_quota::QuotaLimits;
use chrono::{DateTime, Utc};
use infra_inventory::FieldError;
use infra_inventory::ids::{HostGroupId, TenantId};
use infra_inventory::resources::{
    HostGroupTenantQuota, K8sCluster, K8sClusterDraft, K8sClusterFilter, NoFilter, QuotaDraft,
    QuotaFilter, VirtualMachine, VirtualMachineDraft, VirtualMachineFilter, VmSpecification,
    VmSpecificationDraft,
};
use infra_inventory::values::{
    ClusterStatus, Name, VmStatus, parse_amount, parse_percentage, parse_text,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

const TENANT: FilterParam = FilterParam {
    name: "tenant_id",
    kind: FilterKind::Integer,
};

fn tenant_filter(query: &ListQuery) -> Result<Option<TenantId>, FieldError> {
    Ok(query
        .parsed::<i64>("tenant_id", "an integer")?
        .map(TenantId))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct VmSpecificationBody {
    #[schema(required = true, max_length = 255)]
    name: Option<String>,
    #[schema(required = true, minimum = 0)]
    required_cpu: Option<i64>,
    #[schema(required = true, minimum = 0)]
    required_memory: Option<i64>,
    #[schema(required = true, minimum = 0)]
    required_storage: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = VmSpecification)]
pub struct VmSpecificationOut {
    id: String,
    name: String,
    required_cpu: i64,
    required_memory: i64,
    required_storage: i64,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl InfraResource for VmSpecification {
    const PATH: &'static str = "vm-specifications";
    const LIST_KEY: Option<&'static str> = Some("vm_specifications");
    const DELETED: &'static str = "VM specification deleted successfully";
    const NAME: &'static str = "VmSpecification";
    const ID: IdKind = IdKind::Uuid;
    const FILTERS: &'static [FilterParam] = &[];
    type Body = VmSpecificationBody;
    type Out = VmSpecificationOut;

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
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct VirtualMachineBody {
    #[schema(required = true, max_length = 255)]
    name: Option<String>,
    #[schema(required = true)]
    tenant_id: Option<i64>,
    #[schema(required = true, format = Uuid)]
    host_id: Option<String>,
    #[schema(required = true, format = Uuid)]
    specification_id: Option<String>,
    #[schema(format = Uuid)]
    k8s_cluster_id: Option<String>,
    #[schema(schema_with = words::vm)]
    status: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = VirtualMachine)]
pub struct VirtualMachineOut {
    id: String,
    name: String,
    tenant_id: i64,
    host_id: String,
    specification_id: String,
    k8s_cluster_id: Option<String>,
    #[schema(schema_with = words::vm)]
    status: &'static str,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl InfraResource for VirtualMachine {
    const PATH: &'static str = "virtual-machines";
    const LIST_KEY: Option<&'static str> = Some("virtual_machines");
    const DELETED: &'static str = "Virtual machine deleted successfully";
    const NAME: &'static str = "VirtualMachine";
    const ID: IdKind = IdKind::Uuid;
    const FILTERS: &'static [FilterParam] = &[
        TENANT,
        FilterParam {
            name: "host_id",
            kind: FilterKind::Uuid,
        },
        FilterParam {
            name: "specification_id",
            kind: FilterKind::Uuid,
        },
        FilterParam {
            name: "k8s_cluster_id",
            kind: FilterKind::Uuid,
        },
        FilterParam {
            name: "status",
            kind: FilterKind::Words(VmStatus::WORDS),
        },
    ];
    type Body = VirtualMachineBody;
    type Out = VirtualMachineOut;

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
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct K8sClusterBody {
    #[schema(required = true, max_length = 255)]
    name: Option<String>,
    #[schema(required = true)]
    tenant_id: Option<i64>,
    description: Option<String>,
    #[schema(schema_with = words::cluster)]
    status: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = K8sCluster)]
pub struct K8sClusterOut {
    id: String,
    name: String,
    tenant_id: i64,
    description: Option<String>,
    #[schema(schema_with = words::cluster)]
    status: &'static str,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl InfraResource for K8sCluster {
    const PATH: &'static str = "k8s-clusters";
    const LIST_KEY: Option<&'static str> = Some("k8s_clusters");
    const DELETED: &'static str = "K8s cluster deleted successfully";
    const NAME: &'static str = "K8sCluster";
    const ID: IdKind = IdKind::Uuid;
    const FILTERS: &'static [FilterParam] = &[
        TENANT,
        FilterParam {
            name: "status",
            kind: FilterKind::Words(ClusterStatus::WORDS),
        },
    ];
    type Body = K8sClusterBody;
    type Out = K8sClusterOut;

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
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct QuotaBody {
    #[schema(required = true)]
    group_id: Option<i64>,
    #[schema(required = true)]
    tenant_id: Option<i64>,
    #[schema(required = true, minimum = 0, maximum = 100)]
    cpu_quota_percentage: Option<f64>,
    #[schema(required = true, minimum = 0)]
    memory_quota: Option<i64>,
    #[schema(required = true, minimum = 0)]
    storage_quota: Option<i64>,
}

impl InfraResource for HostGroupTenantQuota {
    const PATH: &'static str = "host-group-tenant-quotas";
    const LIST_KEY: Option<&'static str> = Some("host_group_tenant_quotas");
    const DELETED: &'static str = "Baremetal group tenant quota deleted successfully";
    const NAME: &'static str = "HostGroupTenantQuota";
    const ID: IdKind = IdKind::Uuid;
    const FILTERS: &'static [FilterParam] = &[
        FilterParam {
            name: "group_id",
            kind: FilterKind::Integer,
        },
        TENANT,
    ];
    type Body = QuotaBody;
    type Out = QuotaOut;

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
}

impl From<&VmSpecification> for VmSpecificationOut {
    fn from(r: &VmSpecification) -> Self {
        let f = &r.fields;
        VmSpecificationOut {
            id: r.id.to_string(),
            name: f.name.to_string(),
            required_cpu: f.required_cpu.get(),
            required_memory: f.required_memory.get(),
            required_storage: f.required_storage.get(),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

impl From<&VirtualMachine> for VirtualMachineOut {
    fn from(r: &VirtualMachine) -> Self {
        let f = &r.fields;
        VirtualMachineOut {
            id: r.id.to_string(),
            name: f.name.to_string(),
            tenant_id: f.tenant_id.0,
            host_id: f.host_id.to_string(),
            specification_id: f.specification_id.to_string(),
            k8s_cluster_id: f.k8s_cluster_id.map(|id| id.to_string()),
            status: f.status.as_str(),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

impl From<&K8sCluster> for K8sClusterOut {
    fn from(r: &K8sCluster) -> Self {
        let f = &r.fields;
        K8sClusterOut {
            id: r.id.to_string(),
            name: f.name.to_string(),
            tenant_id: f.tenant_id.0,
            description: f.description.clone(),
            status: f.status.as_str(),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}
