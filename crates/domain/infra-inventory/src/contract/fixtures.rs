//! Drafts for contract cases and tests: valid by construction, varied by argument.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::ids::*;
use crate::ports::Repository;
use crate::resources::*;
use crate::values::*;
use capacity_quota::{Amount, CapacityRequest, CpuPercentage, QuotaLimits, Resources};

pub fn name(text: &str) -> Name {
    Name::parse("name", text).expect("fixture name")
}

pub fn amount(value: i64) -> Amount {
    Amount::new(value).expect("fixture amount")
}

pub fn maintainer(email: &str) -> MaintainerDraft {
    MaintainerDraft {
        name: name("John Doe"),
        email: Email::parse("email", email).expect("fixture email"),
        status: ActiveStatus::Active,
    }
}

pub fn maintainer_group(manager: Option<MaintainerId>) -> MaintainerGroupDraft {
    MaintainerGroupDraft {
        name: name("Ops Team"),
        group_manager_id: manager,
        description: None,
        status: ActiveStatus::Active,
    }
}

pub fn host_group(text: &str) -> HostGroupDraft {
    HostGroupDraft {
        name: name(text),
        description: Some("rack row A".to_owned()),
        status: ActiveStatus::Active,
    }
}

pub fn tenant(text: &str) -> TenantDraft {
    TenantDraft {
        name: name(text),
        description: None,
        status: ActiveStatus::Active,
    }
}

pub fn host(group: Option<HostGroupId>, cpu: i64, memory: i64, storage: i64) -> HostDraft {
    HostDraft {
        name: name("Server A"),
        status: HostStatus::Running,
        total: Resources {
            cpu,
            memory,
            storage,
        },
        capacity: CapacityRequest::Unchanged,
        group_id: group,
        location: Location {
            region: Some("north".to_owned()),
            dc: Some("DC1".to_owned()),
            ..Location::default()
        },
    }
}

pub fn spec(cpu: i64, memory: i64, storage: i64) -> VmSpecificationDraft {
    VmSpecificationDraft {
        name: name("Standard"),
        required_cpu: amount(cpu),
        required_memory: amount(memory),
        required_storage: amount(storage),
    }
}

pub fn cluster(tenant: TenantId) -> K8sClusterDraft {
    K8sClusterDraft {
        name: name("Cluster A"),
        tenant_id: tenant,
        description: None,
        status: ClusterStatus::Active,
    }
}

pub fn vm(tenant: TenantId, host: HostId, spec: VmSpecificationId) -> VirtualMachineDraft {
    VirtualMachineDraft {
        name: name("VM-01"),
        tenant_id: tenant,
        host_id: host,
        specification_id: spec,
        k8s_cluster_id: None,
        status: VmStatus::Creating,
    }
}

pub fn quota(
    group: HostGroupId,
    tenant: TenantId,
    percentage: f64,
    memory: i64,
    storage: i64,
) -> QuotaDraft {
    QuotaDraft {
        group_id: group,
        tenant_id: tenant,
        limits: QuotaLimits {
            cpu_quota_percentage: CpuPercentage::new(percentage).expect("fixture percentage"),
            memory_quota: amount(memory),
            storage_quota: amount(storage),
        },
    }
}

/// A tenant, a host group, a host in it, a specification, and a quota that grants the tenant
/// the whole group: what a VM needs.
#[derive(Debug)]
pub struct Placement {
    pub tenant: TenantId,
    pub group: HostGroupId,
    pub host: HostId,
    pub spec: VmSpecificationId,
    pub quota: QuotaId,
}

pub fn placement<S>(store: &S, host_cpu: i64, spec_cpu: i64) -> Placement
where
    S: Repository<Tenant>
        + Repository<HostGroup>
        + Repository<Host>
        + Repository<VmSpecification>
        + Repository<HostGroupTenantQuota>,
{
    let tenant: Tenant = store.create(&tenant("Tenant A")).unwrap();
    let group: HostGroup = store.create(&host_group("Group 1")).unwrap();
    let host: Host = store
        .create(&host(Some(group.id), host_cpu, 65536, 4096))
        .unwrap();
    let spec: VmSpecification = store.create(&spec(spec_cpu, 1024, 10)).unwrap();
    let quota: HostGroupTenantQuota = store
        .create(&quota(group.id, tenant.id, 100.0, 1 << 40, 1 << 40))
        .unwrap();
    Placement {
        tenant: tenant.id,
        group: group.id,
        host: host.id,
        spec: spec.id,
        quota: quota.id,
    }
}
