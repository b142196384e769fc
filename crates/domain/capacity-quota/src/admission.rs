//! The admission policy for placing a VM: does its claim fit the host and the tenant's quota
//! in the host's group?
//!
//! A claim may replace an earlier one of the same VM (a re-claim after a change of host, spec
//! or tenant). Each dimension is admitted when the usage after the claim fits the limit, or
//! when the claim does not make it grow: so a limit lowered below usage refuses growth but
//! never evicts what already runs.

use crate::{HostCapacity, InsufficientCapacity, QuotaLimits, Resource, Resources};

/// What a VM asks for, and what it already holds in the same scope (zero when new there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    pub request: Resources,
    pub previous: Resources,
}

impl Claim {
    pub fn new(request: Resources) -> Self {
        Self {
            request,
            previous: Resources::ZERO,
        }
    }
}

/// A tenant's standing in one host group at the moment of a claim.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuotaState {
    pub limits: QuotaLimits,
    /// The sum of `total_cpu` of the group's hosts, now.
    pub group_total_cpu: i64,
    /// What the tenant's VMs on the group's hosts hold now (including `Claim::previous`).
    pub used: Resources,
}

/// A quota refusal that names the resource, what was asked, what is used and the limit.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "quota exceeded for {resource}: requested {requested} {unit}, {used} {unit} in use, limit {limit} {unit}",
    unit = resource.unit()
)]
pub struct QuotaExceeded {
    pub resource: Resource,
    pub requested: i64,
    pub used: i64,
    /// For CPU: the percentage of the group's total, in cores (may be fractional).
    pub limit: f64,
}

impl QuotaState {
    /// The CPU limit in cores: the percentage of the group's total CPU.
    pub fn cpu_limit_cores(&self) -> f64 {
        self.limits.cpu_quota_percentage.get() * self.group_total_cpu as f64 / 100.0
    }

    /// Whether `usage` (exact, see [`wide`]) fits the limit of `resource`.
    fn within(&self, resource: Resource, usage: i128) -> bool {
        match resource {
            // used × 100 ≤ percentage × total, compared without dividing.
            Resource::Cpu => {
                usage as f64 * 100.0
                    <= self.limits.cpu_quota_percentage.get() * self.group_total_cpu as f64
            }
            Resource::Memory => usage <= wide(self.limits.memory_quota.get()),
            Resource::Storage => usage <= wide(self.limits.storage_quota.get()),
        }
    }

    fn limit(&self, resource: Resource) -> f64 {
        match resource {
            Resource::Cpu => self.cpu_limit_cores(),
            Resource::Memory => self.limits.memory_quota.get() as f64,
            Resource::Storage => self.limits.storage_quota.get() as f64,
        }
    }

    /// Admits `claim` against the quota.
    pub fn admit(&self, claim: Claim) -> Result<(), QuotaExceeded> {
        for resource in Resource::ALL {
            let used = wide(self.used.get(resource));
            // What the tenant holds without this VM's previous claim, and with its new one.
            let others = used - wide(claim.previous.get(resource));
            let after = others + wide(claim.request.get(resource));
            if after > used && !self.within(resource, after) {
                return Err(QuotaExceeded {
                    resource,
                    requested: claim.request.get(resource),
                    used: narrow(others),
                    limit: self.limit(resource),
                });
            }
        }
        Ok(())
    }
}

impl HostCapacity {
    /// Admits `claim` on this host, whose `allocated` includes `claim.previous`.
    pub fn admit_claim(&self, claim: Claim) -> Result<(), InsufficientCapacity> {
        for resource in Resource::ALL {
            let (request, previous) = (claim.request.get(resource), claim.previous.get(resource));
            // What is spoken for without this VM's previous claim: reserved and other VMs.
            let used = wide(self.reserved.get(resource)) + wide(self.allocated.get(resource))
                - wide(previous);
            let free = wide(self.total.get(resource)) - used;
            if request > previous && free < wide(request) {
                return Err(InsufficientCapacity {
                    resource,
                    requested: request,
                    used: narrow(used),
                    limit: self.total.get(resource),
                });
            }
        }
        Ok(())
    }
}

/// Decisions are taken in `i128`, which holds any sum or difference of a few `i64` values
/// exactly: saturated `i64` arithmetic could read a growing usage as unchanged (both at
/// `i64::MAX`) and admit it. Stores hand in bounded sums, but the policy holds for any input.
fn wide(value: i64) -> i128 {
    i128::from(value)
}

/// An exact figure for a message, saturated into `i64`.
fn narrow(value: i128) -> i64 {
    i64::try_from(value).unwrap_or(if value < 0 { i64::MIN } else { i64::MAX })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Amount, CpuPercentage};

    fn res(cpu: i64, memory: i64, storage: i64) -> Resources {
        Resources {
            cpu,
            memory,
            storage,
        }
    }

    fn quota(pct: f64, memory: i64, storage: i64, total_cpu: i64, used: Resources) -> QuotaState {
        QuotaState {
            limits: QuotaLimits {
                cpu_quota_percentage: CpuPercentage::new(pct).unwrap_or_else(|_| unreachable!()),
                memory_quota: Amount::new(memory).unwrap_or(Amount::ZERO),
                storage_quota: Amount::new(storage).unwrap_or(Amount::ZERO),
            },
            group_total_cpu: total_cpu,
            used,
        }
    }

    #[test]
    fn cpu_is_a_share_of_the_group_total() {
        let q = quota(40.0, 1000, 1000, 20, res(4, 0, 0));
        assert_eq!(q.cpu_limit_cores(), 8.0);
        assert!(q.admit(Claim::new(res(4, 0, 0))).is_ok());
        let err = q.admit(Claim::new(res(5, 0, 0))).err();
        assert_eq!(
            err.map(|e| (e.resource, e.requested, e.used, e.limit)),
            Some((Resource::Cpu, 5, 4, 8.0))
        );
    }

    #[test]
    fn memory_and_storage_are_absolute() {
        let q = quota(100.0, 100, 50, 8, res(0, 90, 10));
        assert!(q.admit(Claim::new(res(1, 10, 40))).is_ok());
        assert_eq!(
            q.admit(Claim::new(res(1, 11, 1))).map_err(|e| e.resource),
            Err(Resource::Memory)
        );
        assert_eq!(
            q.admit(Claim::new(res(1, 1, 41))).map_err(|e| e.resource),
            Err(Resource::Storage)
        );
        let message = q
            .admit(Claim::new(res(0, 11, 0)))
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            message.as_deref(),
            Some("quota exceeded for memory: requested 11 MB, 90 MB in use, limit 100 MB")
        );
    }

    #[test]
    fn a_lowered_quota_refuses_growth_but_not_shrinking() {
        // 6 cores used, the limit fell to 4: a re-claim from 4 to 2 cores is allowed,
        // from 2 to 3 is not.
        let q = quota(40.0, 1000, 1000, 10, res(6, 0, 0));
        assert!(
            q.admit(Claim {
                request: res(2, 0, 0),
                previous: res(4, 0, 0)
            })
            .is_ok()
        );
        assert!(
            q.admit(Claim {
                request: res(3, 0, 0),
                previous: res(2, 0, 0)
            })
            .is_err()
        );
        assert!(
            q.admit(Claim {
                request: res(2, 0, 0),
                previous: res(2, 0, 0)
            })
            .is_ok()
        );
    }

    #[test]
    fn a_reclaim_on_the_same_host_counts_its_old_claim_as_free() {
        let host = HostCapacity {
            total: res(8, 8, 8),
            reserved: Resources::ZERO,
            allocated: res(8, 4, 4),
        };
        assert!(
            host.admit_claim(Claim {
                request: res(4, 4, 4),
                previous: res(4, 0, 0)
            })
            .is_ok()
        );
        assert!(
            host.admit_claim(Claim {
                request: res(5, 0, 0),
                previous: res(4, 0, 0)
            })
            .is_err()
        );
        assert!(host.admit_claim(Claim::new(res(1, 0, 0))).is_err());
        assert!(host.admit_claim(Claim::new(res(0, 4, 4))).is_ok());
    }
}
