use crate::{Resource, Resources};

/// What a host has and what is spoken for.
///
/// `available` is derived, never stored: `total − reserved − allocated`, where `reserved` is
/// capacity used outside this system and `allocated` sums the specifications of the VMs placed
/// on the host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HostCapacity {
    pub total: Resources,
    pub reserved: Resources,
    pub allocated: Resources,
}

/// How a write asks for a host's reserved capacity to be set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapacityRequest {
    /// The client sent `available_*` (the seed's way): reserve whatever makes it true.
    Available(Resources),
    /// The client sent `reserved_*` directly.
    Reserved(Resources),
    /// Nothing sent: on create nothing is reserved; on update the reservation is kept.
    Unchanged,
}

/// A refusal that names the resource, what was asked, what is used and the limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("insufficient {resource}: requested {requested} {unit}, {used} {unit} in use, limit {limit} {unit}", unit = resource.unit())]
pub struct InsufficientCapacity {
    pub resource: Resource,
    pub requested: i64,
    pub used: i64,
    pub limit: i64,
}

impl HostCapacity {
    pub fn available(&self) -> Resources {
        self.total.minus(self.reserved).minus(self.allocated)
    }

    /// The capacity after a host write that sets `total` as requested, given what VMs
    /// already hold. Refuses a total below the allocation and an `available` that would need
    /// a negative reservation.
    pub fn rewrite(
        total: Resources,
        request: CapacityRequest,
        previous_reserved: Resources,
        allocated: Resources,
    ) -> Result<HostCapacity, InsufficientCapacity> {
        if let Some(resource) = total.minus(allocated).first_negative() {
            // The "request" here is the allocation that must still fit under the new total.
            return Err(InsufficientCapacity {
                resource,
                requested: allocated.get(resource),
                used: allocated.get(resource),
                limit: total.get(resource),
            });
        }
        let reserved = match request {
            CapacityRequest::Available(available) => total.minus(available).minus(allocated),
            CapacityRequest::Reserved(reserved) => reserved,
            CapacityRequest::Unchanged => previous_reserved,
        };
        if let Some(resource) = reserved.first_negative() {
            let wanted = match request {
                CapacityRequest::Available(available) => available.get(resource),
                _ => 0,
            };
            return Err(InsufficientCapacity {
                resource,
                requested: wanted,
                used: allocated.get(resource),
                limit: total.get(resource),
            });
        }
        let next = HostCapacity {
            total,
            reserved,
            allocated,
        };
        if let Some(resource) = next.available().first_negative() {
            // Only reachable with an explicit reservation larger than what is free.
            return Err(InsufficientCapacity {
                resource,
                requested: reserved.get(resource),
                used: allocated.get(resource),
                limit: total.get(resource),
            });
        }
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res(cpu: i64, memory: i64, storage: i64) -> Resources {
        Resources {
            cpu,
            memory,
            storage,
        }
    }

    #[test]
    fn available_sets_reserved_as_the_remainder() {
        let cap = HostCapacity::rewrite(
            res(16, 32768, 1024),
            CapacityRequest::Available(res(14, 30000, 900)),
            Resources::ZERO,
            Resources::ZERO,
        );
        assert_eq!(
            cap.map(|c| (c.reserved, c.available())),
            Ok((res(2, 2768, 124), res(14, 30000, 900)))
        );
    }

    #[test]
    fn available_accounts_for_allocations() {
        let cap = HostCapacity::rewrite(
            res(16, 100, 100),
            CapacityRequest::Available(res(10, 100 - 20, 100 - 30)),
            Resources::ZERO,
            res(4, 20, 30),
        );
        assert_eq!(cap.map(|c| c.reserved), Ok(res(2, 0, 0)));
    }

    #[test]
    fn available_above_free_capacity_is_refused_naming_the_resource() {
        let err = HostCapacity::rewrite(
            res(16, 100, 100),
            CapacityRequest::Available(res(16, 100, 100)),
            Resources::ZERO,
            res(0, 10, 0),
        );
        assert_eq!(err.map_err(|e| e.resource), Err(Resource::Memory));
    }

    #[test]
    fn total_below_allocation_is_refused() {
        let err = HostCapacity::rewrite(
            res(2, 100, 100),
            CapacityRequest::Unchanged,
            Resources::ZERO,
            res(4, 0, 0),
        );
        let err = err.err();
        assert_eq!(err.as_ref().map(|e| e.resource), Some(Resource::Cpu));
        assert!(
            err.map(|e| e.to_string())
                .unwrap_or_default()
                .contains("limit 2 cores")
        );
    }

    #[test]
    fn explicit_reservation_larger_than_free_is_refused() {
        let err = HostCapacity::rewrite(
            res(8, 8, 8),
            CapacityRequest::Reserved(res(5, 0, 0)),
            Resources::ZERO,
            res(4, 0, 0),
        );
        assert!(err.is_err());
    }

    #[test]
    fn admit_checks_every_dimension() {
        let cap = HostCapacity {
            total: res(8, 8, 8),
            reserved: res(1, 0, 0),
            allocated: res(4, 4, 4),
        };
        assert!(cap.admit_claim(crate::Claim::new(res(3, 4, 4))).is_ok());
        assert_eq!(
            cap.admit_claim(crate::Claim::new(res(4, 1, 1)))
                .map_err(|e| (e.resource, e.requested, e.used, e.limit)),
            Err((Resource::Cpu, 4, 5, 8))
        );
        assert_eq!(
            cap.admit_claim(crate::Claim::new(res(0, 0, 5)))
                .map_err(|e| e.resource),
            Err(Resource::Storage)
        );
    }
}
