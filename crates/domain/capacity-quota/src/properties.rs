//! The policy under any inputs: admission decides as exact arithmetic would, whatever the
//! sizes (up to `i64::MAX`, past anything an `Amount` allows), and never panics. Sums taken
//! in saturated `i64` once read a growing usage as unchanged, and a host's usage was
//! `total − available`, which overflowed when `available` had saturated.

use crate::{
    Amount, CapacityRequest, Claim, CpuPercentage, HostCapacity, MAX_AMOUNT, QuotaLimits,
    QuotaState, Resource, Resources,
};
use proptest::prelude::*;

/// Small figures, figures at the JSON bound, at `i64::MAX`, and anything between.
fn figure() -> impl Strategy<Value = i64> + Clone {
    prop_oneof![
        0..=64i64,
        (MAX_AMOUNT - 64)..=MAX_AMOUNT,
        Just(i64::MAX),
        (i64::MAX - 64)..=i64::MAX,
        0..=i64::MAX,
    ]
}

fn amount() -> impl Strategy<Value = i64> + Clone {
    prop_oneof![0..=64i64, (MAX_AMOUNT - 64)..=MAX_AMOUNT, 0..=MAX_AMOUNT]
}

fn resources(part: impl Strategy<Value = i64> + Clone) -> impl Strategy<Value = Resources> {
    (part.clone(), part.clone(), part).prop_map(|(cpu, memory, storage)| Resources {
        cpu,
        memory,
        storage,
    })
}

fn exact(r: Resources, resource: Resource) -> i128 {
    i128::from(r.get(resource))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn a_host_admits_exactly_what_fits(
        total in resources(figure()),
        reserved in resources(figure()),
        allocated in resources(figure()),
        request in resources(figure()),
        share in prop_oneof![Just(0.0), Just(1.0), 0.0..=1.0f64],
    ) {
        // The previous claim is part of the allocation, as stores hand it in.
        let previous = Resources {
            cpu: ((allocated.cpu as f64 * share) as i64).min(allocated.cpu),
            memory: ((allocated.memory as f64 * share) as i64).min(allocated.memory),
            storage: ((allocated.storage as f64 * share) as i64).min(allocated.storage),
        };
        let host = HostCapacity { total, reserved, allocated };
        let decided = host.admit_claim(Claim { request, previous });
        let fits = Resource::ALL.into_iter().all(|r| {
            let free = exact(total, r) - exact(reserved, r) - exact(allocated, r)
                + exact(previous, r);
            request.get(r) <= previous.get(r) || exact(request, r) <= free
        });
        prop_assert_eq!(decided.is_ok(), fits, "{:?}", decided);
        if let Err(e) = decided {
            prop_assert!(e.used >= 0 && e.requested >= 0, "{:?}", e);
        }
    }

    #[test]
    fn a_quota_admits_exactly_what_fits(
        memory_quota in amount(),
        storage_quota in amount(),
        used in resources(figure()),
        request in resources(amount()),
        share in prop_oneof![Just(0.0), Just(1.0), 0.0..=1.0f64],
    ) {
        let previous = Resources {
            cpu: ((used.cpu as f64 * share) as i64).min(used.cpu),
            memory: ((used.memory as f64 * share) as i64).min(used.memory),
            storage: ((used.storage as f64 * share) as i64).min(used.storage),
        };
        let state = QuotaState {
            limits: QuotaLimits {
                cpu_quota_percentage: CpuPercentage::new(100.0).unwrap_or_else(|_| unreachable!()),
                memory_quota: Amount::new(memory_quota).unwrap_or(Amount::ZERO),
                storage_quota: Amount::new(storage_quota).unwrap_or(Amount::ZERO),
            },
            group_total_cpu: 0,
            used,
        };
        let decided = state.admit(Claim { request, previous });
        let fits = [(Resource::Memory, memory_quota), (Resource::Storage, storage_quota)]
            .into_iter()
            .all(|(r, limit)| {
                let after = exact(used, r) - exact(previous, r) + exact(request, r);
                after <= exact(used, r) || after <= i128::from(limit)
            })
            // No CPU at all (the group has none): only a claim that does not grow fits.
            && (request.cpu <= previous.cpu);
        prop_assert_eq!(decided.is_ok(), fits, "{:?}", decided);
    }

    #[test]
    fn a_host_rewrite_never_leaves_negative_capacity(
        total in resources(amount()),
        available in resources(amount()),
        allocated in resources(figure()),
        previous in resources(figure()),
        explicit in any::<bool>(),
    ) {
        let request = if explicit {
            CapacityRequest::Reserved(available)
        } else {
            CapacityRequest::Available(available)
        };
        if let Ok(next) = HostCapacity::rewrite(total, request, previous, allocated) {
            prop_assert!(next.reserved.first_negative().is_none(), "{:?}", next);
            prop_assert!(next.available().first_negative().is_none(), "{:?}", next);
        }
    }
}

#[test]
fn a_usage_counted_at_i64_max_still_refuses_growth() {
    let full = Resources {
        cpu: i64::MAX,
        memory: i64::MAX,
        storage: i64::MAX,
    };
    let state = QuotaState {
        limits: QuotaLimits {
            cpu_quota_percentage: CpuPercentage::new(100.0).unwrap_or_else(|_| unreachable!()),
            memory_quota: Amount::new(MAX_AMOUNT).unwrap_or(Amount::ZERO),
            storage_quota: Amount::new(MAX_AMOUNT).unwrap_or(Amount::ZERO),
        },
        group_total_cpu: MAX_AMOUNT,
        used: full,
    };
    let one = Resources {
        cpu: 0,
        memory: 1,
        storage: 0,
    };
    assert_eq!(
        state.admit(Claim::new(one)).map_err(|e| e.resource),
        Err(Resource::Memory)
    );
}
