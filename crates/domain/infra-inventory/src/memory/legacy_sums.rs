//! The memory store reads sums as the SQL stores do: rows that no write admits now (1,030
//! hosts of 2^53 − 1 cores in one group, 1,030 VMs of 2^53 − 1 of everything on one host),
//! put straight into the tables, read saturated at 2^53 − 1 and never overflow.
#![allow(clippy::unwrap_used, clippy::panic)]

use super::MemoryStore;
use super::stored::now;
use crate::contract::fixtures::{host, host_group, quota, spec, tenant, vm};
use crate::error::StoreError;
use crate::ids::{HostId, VirtualMachineId};
use crate::ports::{Repository, UsageReader};
use crate::record::{RecordId, Stored};
use crate::resources::*;
use capacity_quota::{MAX_AMOUNT, Resource, Resources};

const ROWS: usize = 1030;
const FULL: Resources = Resources {
    cpu: MAX_AMOUNT,
    memory: MAX_AMOUNT,
    storage: MAX_AMOUNT,
};

#[test]
fn sums_past_i64_read_as_the_bound() {
    let store = MemoryStore::new();
    let group: HostGroup = store.create(&host_group("Legacy")).unwrap();
    let hoarder: Tenant = store.create(&tenant("Hoarder")).unwrap();
    let newcomer: Tenant = store.create(&tenant("Newcomer")).unwrap();
    for t in [hoarder.id, newcomer.id] {
        let _q: HostGroupTenantQuota = store
            .create(&quota(group.id, t, 100.0, MAX_AMOUNT, MAX_AMOUNT))
            .unwrap();
    }
    let crowded: Host = store
        .create(&host(Some(group.id), MAX_AMOUNT, MAX_AMOUNT, MAX_AMOUNT))
        .unwrap();
    let huge: VmSpecification = store
        .create(&spec(MAX_AMOUNT, MAX_AMOUNT, MAX_AMOUNT))
        .unwrap();
    let small: VmSpecification = store.create(&spec(1, 1, 1)).unwrap();
    let mut others = Vec::new();
    {
        // Past the rules, as data written before they held.
        let mut tables = store.lock().unwrap();
        let draft = host(Some(group.id), MAX_AMOUNT, MAX_AMOUNT, MAX_AMOUNT);
        for _ in 1..ROWS {
            let mut legacy = crowded.clone();
            legacy.id = HostId::generate(0);
            others.push(legacy.id);
            tables.put(legacy, &draft);
        }
        let draft = vm(hoarder.id, crowded.id, huge.id);
        for _ in 0..ROWS {
            let at = now();
            let record = Stored {
                id: VirtualMachineId::generate(0),
                fields: draft.clone(),
                created_at: at,
                updated_at: at,
            };
            tables.put(record, &draft);
        }
    }

    let read: Host = store.get(crowded.id).unwrap().unwrap();
    assert_eq!(read.capacity.allocated, FULL);
    assert_eq!(read.capacity.available(), Resources::ZERO);

    let usage = store
        .quota_usage(&[(group.id, hoarder.id), (group.id, newcomer.id)])
        .unwrap();
    assert_eq!(
        (usage[0].used, usage[0].group_total_cpu),
        (FULL, MAX_AMOUNT)
    );
    assert_eq!(
        (usage[1].used, usage[1].group_total_cpu),
        (Resources::ZERO, MAX_AMOUNT)
    );

    let _placed: VirtualMachine = store.create(&vm(newcomer.id, others[0], small.id)).unwrap();
    let over: Result<VirtualMachine, _> = store.create(&vm(hoarder.id, others[1], small.id));
    let Err(StoreError::QuotaExceeded(e)) = over else {
        panic!("expected QuotaExceeded, got {over:?}")
    };
    assert_eq!(
        (e.resource, e.requested, e.used),
        (Resource::Cpu, 1, MAX_AMOUNT)
    );
    let full: Result<VirtualMachine, _> = store.create(&vm(newcomer.id, crowded.id, small.id));
    let Err(StoreError::InsufficientCapacity(e)) = full else {
        panic!("expected InsufficientCapacity, got {full:?}")
    };
    assert_eq!((e.requested, e.used, e.limit), (1, MAX_AMOUNT, MAX_AMOUNT));
}
