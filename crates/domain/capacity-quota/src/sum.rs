//! Sums of amounts. Each amount is at most [`MAX_AMOUNT`], but a sum of many is not: 1,025
//! hosts of 2^53 − 1 cores already hold more than `i64` can count. Sums are therefore taken
//! exactly (in `i128`) and read bounded, saturating at `MAX_AMOUNT`.
//!
//! Why the bound and not `i64::MAX`: every figure a sum becomes (a host's allocation, a
//! tenant's usage, a group's total) goes out in JSON, where clients written in JavaScript read
//! integers exactly only up to 2^53 − 1; and arithmetic on bounded sums (a usage plus a
//! request, a total minus a reservation) stays far from `i64` overflow. No decision changes
//! where a bounded sum is compared with a limit, because every limit is itself at most
//! `MAX_AMOUNT`: a usage read as the bound is at or over any limit, as the exact one is.
//! The one figure the bound can lower is a group's total CPU, which only data written before
//! group totals were bounded can exceed; a CPU quota there is a share of the bound.

use crate::{MAX_AMOUNT, Resources};

/// An exact sum of amounts as it is read: itself up to [`MAX_AMOUNT`], the bound beyond it.
/// Sums of amounts are never negative; a negative input (no amount is) reads as 0.
pub fn bounded(exact: i128) -> i64 {
    let clamped = exact.clamp(0, i128::from(MAX_AMOUNT));
    // In 0..=MAX_AMOUNT, so it fits; the fallback is unreachable.
    i64::try_from(clamped).unwrap_or(MAX_AMOUNT)
}

/// The [`bounded`] sum of `values`.
pub fn bounded_sum(values: impl IntoIterator<Item = i64>) -> i64 {
    bounded(exact_sum(values))
}

/// The sum in `i128`, which no count of `i64` values that fits in memory can overflow; it
/// saturates all the same, so that no input can make it panic.
fn exact_sum(values: impl IntoIterator<Item = i64>) -> i128 {
    values
        .into_iter()
        .fold(0i128, |sum, v| sum.saturating_add(i128::from(v)))
}

impl Resources {
    /// The [`bounded`] sum of each dimension of `items`.
    pub fn bounded_sum(items: impl IntoIterator<Item = Resources>) -> Resources {
        let (cpu, memory, storage) =
            items
                .into_iter()
                .fold((0i128, 0i128, 0i128), |(cpu, memory, storage), r| {
                    (
                        cpu.saturating_add(i128::from(r.cpu)),
                        memory.saturating_add(i128::from(r.memory)),
                        storage.saturating_add(i128::from(r.storage)),
                    )
                });
        Resources {
            cpu: bounded(cpu),
            memory: bounded(memory),
            storage: bounded(storage),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sums_beyond_i64_read_as_the_bound() {
        // 1,030 hosts of 2^53 − 1 cores: 9.28e18, past i64::MAX (9.22e18).
        let hosts = std::iter::repeat_n(MAX_AMOUNT, 1030);
        assert_eq!(bounded_sum(hosts), MAX_AMOUNT);
        assert_eq!(bounded_sum([i64::MAX, i64::MAX]), MAX_AMOUNT);
        assert_eq!(bounded_sum([MAX_AMOUNT - 1, 1]), MAX_AMOUNT);
        assert_eq!(bounded_sum([2, 3]), 5);
        assert_eq!(bounded_sum(std::iter::empty()), 0);
        assert_eq!(bounded(-1), 0);
    }

    proptest! {
        #[test]
        fn a_bounded_sum_is_the_exact_sum_up_to_the_bound(
            values in prop::collection::vec(0..=i64::MAX, 0..40),
        ) {
            let exact: i128 = values.iter().map(|v| i128::from(*v)).sum();
            let sum = bounded_sum(values.iter().copied());
            prop_assert_eq!(i128::from(sum), exact.min(i128::from(MAX_AMOUNT)));
            let each = Resources::bounded_sum(values.iter().map(|&v| Resources {
                cpu: v,
                memory: v / 2,
                storage: 0,
            }));
            prop_assert_eq!(each.cpu, sum);
            prop_assert!(each.memory <= MAX_AMOUNT && each.storage == 0);
        }
    }
}
