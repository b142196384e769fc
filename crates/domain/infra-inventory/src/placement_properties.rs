//! Random sequences of claims, releases, re-claims, quota edits and host edits never end in
//! overcommit: no host's available capacity below zero, and no quota dimension growing past
//! the larger of its limit and what was in use before the step (a lowered limit refuses
//! growth, it does not evict).
#![allow(clippy::unwrap_used)]

use crate::contract::fixtures::{host, host_group, quota, spec, tenant, vm};
use crate::ids::*;
use crate::memory::MemoryStore;
use crate::page::PageRequest;
use crate::ports::{Repository, UsageReader};
use crate::resources::*;
use capacity_quota::{Resource, Resources};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Step {
    Place {
        host: usize,
        spec: usize,
        tenant: usize,
    },
    Remove {
        vm: usize,
    },
    Move {
        vm: usize,
        host: usize,
        spec: usize,
        tenant: usize,
    },
    SetQuota {
        tenant: usize,
        percentage: u8,
        memory: i64,
        storage: i64,
    },
    SetHostTotal {
        host: usize,
        cpu: i64,
        memory: i64,
        storage: i64,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..4_usize, 0..3_usize, 0..2_usize).prop_map(|(host, spec, tenant)| Step::Place { host, spec, tenant }),
        2 => (0..16_usize).prop_map(|vm| Step::Remove { vm }),
        2 => (0..16_usize, 0..4_usize, 0..3_usize, 0..2_usize)
            .prop_map(|(vm, host, spec, tenant)| Step::Move { vm, host, spec, tenant }),
        1 => (0..2_usize, 0..=100_u8, 0..40_000_i64, 0..400_i64)
            .prop_map(|(tenant, percentage, memory, storage)| Step::SetQuota { tenant, percentage, memory, storage }),
        1 => (0..4_usize, 0..32_i64, 0..40_000_i64, 0..400_i64)
            .prop_map(|(host, cpu, memory, storage)| Step::SetHostTotal { host, cpu, memory, storage }),
    ]
}

struct World {
    store: MemoryStore,
    group: HostGroupId,
    tenants: Vec<TenantId>,
    quotas: Vec<QuotaId>,
    hosts: Vec<HostId>,
    specs: Vec<VmSpecificationId>,
}

fn world() -> World {
    let store = MemoryStore::new();
    let g: HostGroup = store.create(&host_group("G")).unwrap();
    let tenants: Vec<TenantId> = (0..2)
        .map(|i| {
            Repository::<Tenant>::create(&store, &tenant(&format!("T{i}")))
                .unwrap()
                .id
        })
        .collect();
    let quotas = tenants
        .iter()
        .map(|t| {
            Repository::<HostGroupTenantQuota>::create(&store, &quota(g.id, *t, 50.0, 20_000, 200))
                .unwrap()
                .id
        })
        .collect();
    // Three hosts in the group, one outside it.
    let mut hosts: Vec<HostId> = (0..3)
        .map(|_| {
            Repository::<Host>::create(&store, &host(Some(g.id), 16, 16_384, 160))
                .unwrap()
                .id
        })
        .collect();
    hosts.push(
        Repository::<Host>::create(&store, &host(None, 8, 8192, 80))
            .unwrap()
            .id,
    );
    let specs = [(1, 1024, 10), (2, 4096, 20), (4, 8192, 50)]
        .iter()
        .map(|(c, m, s)| {
            Repository::<VmSpecification>::create(&store, &spec(*c, *m, *s))
                .unwrap()
                .id
        })
        .collect();
    World {
        store,
        group: g.id,
        tenants,
        quotas,
        hosts,
        specs,
    }
}

impl World {
    fn vms(&self) -> Vec<VirtualMachine> {
        Repository::<VirtualMachine>::list(
            &self.store,
            &Default::default(),
            PageRequest {
                page: 1,
                per_page: 1000,
                after: None,
            },
        )
        .unwrap()
        .items
    }

    fn hosts_now(&self) -> Vec<Host> {
        self.hosts
            .iter()
            .map(|h| Repository::<Host>::get(&self.store, *h).unwrap().unwrap())
            .collect()
    }

    fn usage(&self) -> Vec<(Resources, HostGroupTenantQuota, i64)> {
        let pairs: Vec<_> = self.tenants.iter().map(|t| (self.group, *t)).collect();
        let usage = self.store.quota_usage(&pairs).unwrap();
        usage
            .into_iter()
            .zip(&self.quotas)
            .map(|(u, q)| {
                (
                    u.used,
                    Repository::<HostGroupTenantQuota>::get(&self.store, *q)
                        .unwrap()
                        .unwrap(),
                    u.group_total_cpu,
                )
            })
            .collect()
    }

    fn apply(&self, step: &Step) {
        // Refusals are expected; only what a step leaves behind is judged.
        let vms = self.vms();
        match *step {
            Step::Place { host, spec, tenant } => {
                let _ = Repository::<VirtualMachine>::create(
                    &self.store,
                    &vm(self.tenants[tenant], self.hosts[host], self.specs[spec]),
                );
            }
            Step::Remove { vm: i } => {
                if let Some(v) = vms.get(i % vms.len().max(1)) {
                    let _ = Repository::<VirtualMachine>::delete(&self.store, v.id);
                }
            }
            Step::Move {
                vm: i,
                host,
                spec,
                tenant,
            } => {
                if let Some(v) = vms.get(i % vms.len().max(1)) {
                    let draft = vm(self.tenants[tenant], self.hosts[host], self.specs[spec]);
                    let _ = Repository::<VirtualMachine>::update(&self.store, v.id, &draft);
                }
            }
            Step::SetQuota {
                tenant,
                percentage,
                memory,
                storage,
            } => {
                let draft = quota(
                    self.group,
                    self.tenants[tenant],
                    f64::from(percentage),
                    memory,
                    storage,
                );
                let _ = Repository::<HostGroupTenantQuota>::update(
                    &self.store,
                    self.quotas[tenant],
                    &draft,
                );
            }
            Step::SetHostTotal {
                host: i,
                cpu,
                memory,
                storage,
            } => {
                let group = if i < 3 { Some(self.group) } else { None };
                let _ = Repository::<Host>::update(
                    &self.store,
                    self.hosts[i],
                    &host(group, cpu, memory, storage),
                );
            }
        }
    }
}

fn within(resource: Resource, used: i64, q: &HostGroupTenantQuota, group_total_cpu: i64) -> bool {
    let limits = &q.fields.limits;
    match resource {
        Resource::Cpu => {
            used as f64 * 100.0 <= limits.cpu_quota_percentage.get() * group_total_cpu as f64
        }
        Resource::Memory => used <= limits.memory_quota.get(),
        Resource::Storage => used <= limits.storage_quota.get(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn no_sequence_of_writes_overcommits(steps in proptest::collection::vec(step(), 1..60)) {
        let w = world();
        for step in &steps {
            let before = w.usage();
            w.apply(step);
            for h in w.hosts_now() {
                let available = h.capacity.available();
                prop_assert!(available.first_negative().is_none(), "host {} overcommitted after {step:?}: {available:?}", h.id);
                let claimed: Resources = w
                    .vms()
                    .iter()
                    .filter(|v| v.fields.host_id == h.id)
                    .map(|v| Repository::<VmSpecification>::get(&w.store, v.fields.specification_id).unwrap().unwrap().fields.resources())
                    .fold(Resources::ZERO, Resources::plus);
                prop_assert_eq!(h.capacity.allocated, claimed);
            }
            for ((used_before, _, _), (used, q, total_cpu)) in before.iter().zip(w.usage()) {
                for r in Resource::ALL {
                    let grew = used.get(r) > used_before.get(r);
                    prop_assert!(
                        !grew || within(r, used.get(r), &q, total_cpu),
                        "{r} grew from {} to {} past the quota after {step:?}", used_before.get(r), used.get(r)
                    );
                }
            }
        }
    }
}
