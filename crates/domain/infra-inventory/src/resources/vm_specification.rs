use crate::ids::VmSpecificationId;
use crate::record::{Draft, Reference, ResourceKind, Stored};
use crate::values::Name;
use capacity_quota::{Amount, Resources};
use serde::Serialize;

/// A VM size: the CPU, memory and storage every VM of this specification claims.
pub type VmSpecification = Stored<VmSpecificationDraft>;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VmSpecificationDraft {
    pub name: Name,
    pub required_cpu: Amount,
    pub required_memory: Amount,
    pub required_storage: Amount,
}

impl VmSpecificationDraft {
    pub fn resources(&self) -> Resources {
        Resources::new(
            self.required_cpu,
            self.required_memory,
            self.required_storage,
        )
    }
}

/// The filter of a list that has none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoFilter;

impl Draft for VmSpecificationDraft {
    type Id = VmSpecificationId;
    type Filter = NoFilter;
    const KIND: ResourceKind = ResourceKind::VmSpecification;

    fn references(&self) -> Vec<Reference> {
        Vec::new()
    }

    fn matches(&self, _filter: &NoFilter) -> bool {
        true
    }
}
