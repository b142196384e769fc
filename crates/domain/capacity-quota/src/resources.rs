use crate::Amount;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One dimension of capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    Cpu,
    Memory,
    Storage,
}

impl Resource {
    pub const ALL: [Resource; 3] = [Resource::Cpu, Resource::Memory, Resource::Storage];

    /// The name used in field names (`total_cpu`) and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Resource::Cpu => "cpu",
            Resource::Memory => "memory",
            Resource::Storage => "storage",
        }
    }

    /// The unit of this dimension, for messages.
    pub fn unit(self) -> &'static str {
        match self {
            Resource::Cpu => "cores",
            Resource::Memory => "MB",
            Resource::Storage => "GB",
        }
    }
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// CPU cores, memory MB and storage GB together. Arithmetic is on `i64` so that a
/// difference can be negative; callers decide what a negative result means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Resources {
    pub cpu: i64,
    pub memory: i64,
    pub storage: i64,
}

impl Resources {
    pub const ZERO: Resources = Resources {
        cpu: 0,
        memory: 0,
        storage: 0,
    };

    pub fn new(cpu: Amount, memory: Amount, storage: Amount) -> Self {
        Self {
            cpu: cpu.get(),
            memory: memory.get(),
            storage: storage.get(),
        }
    }

    pub fn get(&self, resource: Resource) -> i64 {
        match resource {
            Resource::Cpu => self.cpu,
            Resource::Memory => self.memory,
            Resource::Storage => self.storage,
        }
    }

    /// Component-wise sum, saturating so that no input can overflow.
    pub fn plus(self, other: Resources) -> Resources {
        Resources {
            cpu: self.cpu.saturating_add(other.cpu),
            memory: self.memory.saturating_add(other.memory),
            storage: self.storage.saturating_add(other.storage),
        }
    }

    /// Component-wise difference, saturating.
    pub fn minus(self, other: Resources) -> Resources {
        Resources {
            cpu: self.cpu.saturating_sub(other.cpu),
            memory: self.memory.saturating_sub(other.memory),
            storage: self.storage.saturating_sub(other.storage),
        }
    }

    /// The first dimension below zero, if any.
    pub fn first_negative(&self) -> Option<Resource> {
        Resource::ALL.into_iter().find(|r| self.get(*r) < 0)
    }
}
