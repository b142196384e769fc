//! A quota is read with its usage in one call ([`UsageReader::quota_with_usage`],
//! [`UsageReader::quotas_with_usage`]): the figures are those `quota_usage` gives for its
//! pair, and the list pages, filters and counts as the quota repository's own list.

use super::fixtures::*;
use crate::ids::QuotaId;
use crate::page::{Page, PageRequest};
use crate::ports::{InventoryStore, QuotaUsage, Repository, UsageReader};
use crate::record::RecordId;
use crate::resources::*;
use crate::views::QuotaWithUsage;
use capacity_quota::Resources;

fn page(page: u32, per_page: u32) -> PageRequest {
    PageRequest {
        page,
        per_page,
        after: None,
    }
}

/// What `quota_usage` says of each quota's pair, beside the quota.
fn expected<S: UsageReader>(store: &S, quotas: Vec<HostGroupTenantQuota>) -> Vec<QuotaWithUsage> {
    let pairs: Vec<_> = quotas
        .iter()
        .map(|q| (q.fields.group_id, q.fields.tenant_id))
        .collect();
    let usage = store.quota_usage(&pairs).unwrap();
    quotas
        .into_iter()
        .zip(usage)
        .map(|(quota, usage)| QuotaWithUsage { quota, usage })
        .collect()
}

pub fn quotas_are_read_with_their_usage_in_one_call<S: InventoryStore>(store: &S) {
    let p = placement(store, 16, 2);
    let second_host: Host = store.create(&host(Some(p.group), 8, 4096, 100)).unwrap();
    let a: VirtualMachine = store.create(&vm(p.tenant, p.host, p.spec)).unwrap();
    let _b: VirtualMachine = store.create(&vm(p.tenant, second_host.id, p.spec)).unwrap();
    // A tenant with a quota and no VMs, and a quota in a group without hosts.
    let idle: Tenant = store.create(&tenant("Idle")).unwrap();
    let empty: HostGroup = store.create(&host_group("Empty")).unwrap();
    let idle_quota: HostGroupTenantQuota = store
        .create(&quota(p.group, idle.id, 10.0, 10, 10))
        .unwrap();
    let empty_quota: HostGroupTenantQuota = store
        .create(&quota(empty.id, p.tenant, 10.0, 10, 10))
        .unwrap();

    let one = store.quota_with_usage(p.quota).unwrap().expect("stored");
    assert_eq!(
        one.usage,
        QuotaUsage {
            group_id: p.group,
            tenant_id: p.tenant,
            used: Resources {
                cpu: 4,
                memory: 2048,
                storage: 20,
            },
            group_total_cpu: 24,
        }
    );
    let stored = Repository::<HostGroupTenantQuota>::get(store, p.quota).unwrap();
    assert_eq!(Some(one.quota.clone()), stored);
    let idle_view = store
        .quota_with_usage(idle_quota.id)
        .unwrap()
        .expect("stored");
    assert_eq!(
        (idle_view.usage.used, idle_view.usage.group_total_cpu),
        (Resources::ZERO, 24)
    );
    let empty_view = store
        .quota_with_usage(empty_quota.id)
        .unwrap()
        .expect("stored");
    assert_eq!(
        (empty_view.usage.used, empty_view.usage.group_total_cpu),
        (Resources::ZERO, 0)
    );
    assert_eq!(store.quota_with_usage(QuotaId::generate(7)).unwrap(), None);

    // Every list agrees with the repository's list and with `quota_usage`, page by page.
    let filters = [
        QuotaFilter::default(),
        QuotaFilter {
            group_id: Some(p.group),
            ..QuotaFilter::default()
        },
        QuotaFilter {
            tenant_id: Some(p.tenant),
            ..QuotaFilter::default()
        },
    ];
    for filter in &filters {
        for request in [page(1, 2), page(2, 2), page(1, 10)] {
            let plain = Repository::<HostGroupTenantQuota>::list(store, filter, request).unwrap();
            let viewed = store.quotas_with_usage(filter, request).unwrap();
            let want = Page {
                total: plain.total,
                items: expected(store, plain.items),
            };
            assert_eq!(viewed, want, "{filter:?} {request:?}");
        }
    }
    let all = store.quotas_with_usage(&filters[0], page(1, 10)).unwrap();
    assert_eq!((all.total, all.items.len()), (3, 3));

    // A keyset page starts after its key, and its total is still the filter's.
    let first = &all.items[0];
    let after = page(1, 10).after(Some(first.quota.id.key())).unwrap();
    let rest = store.quotas_with_usage(&filters[0], after).unwrap();
    assert_eq!(rest.total, 3);
    assert_eq!(rest.items, all.items[1..].to_vec());

    // Usage follows the VMs: a deleted VM no longer counts.
    Repository::<VirtualMachine>::delete(store, a.id).unwrap();
    let after_delete = store.quota_with_usage(p.quota).unwrap().expect("stored");
    assert_eq!(after_delete.usage.used.cpu, 2);
}
