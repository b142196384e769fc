//! The SSH test use case: inventories → hosts → probes, run concurrently → host keys trusted
//! on first use → per-inventory results, recorded in the catalogue.

use super::error::ConnectivityError;
use super::executor::{
    CancelFlag, ProbeBatch, ProbeExecutor, ProbeTask, TaskResult, TestLimits, Unprobed,
};
use super::host_key::{HostKey, KnownHost, KnownHostId, NewKnownHost};
use super::ports::KnownHostRepository;
use super::probe::{ConnectivityProbe, ProbeOutcome};
use super::report::{HostReport, InventoryReport, Unreached, fold, planned_report};
use super::targets::{Plan, PlannedHost, ProbeDefaults, plan_hosts};
use crate::catalog::{
    Inventory, InventoryId, InventoryQuery, InventoryRepository, PageRequest, SshTestRecorder,
};
use chrono::{DateTime, SubsecRound, Utc};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long past its own timeout a probe may run before the batch stops waiting for it.
const OVERRUN_GRACE: Duration = Duration::from_secs(2);
/// Inventories read per page when testing them all.
const ALL_PAGE: u32 = 100;

type Endpoint = (String, u16);

/// Tests inventories over SSH; generic over the catalogue `C` and the known-host store `K`.
#[derive(Debug)]
pub struct ConnectivityService<C, K> {
    catalog: C,
    known_hosts: K,
    probe: Arc<dyn ConnectivityProbe>,
    executor: Arc<dyn ProbeExecutor>,
    defaults: ProbeDefaults,
    limits: TestLimits,
}

/// One probe to run, and where its result goes.
struct Slot {
    inventory: usize,
    host: usize,
    endpoint: Endpoint,
    known: bool,
}

fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

impl<C, K> ConnectivityService<C, K>
where
    C: InventoryRepository + SshTestRecorder,
    K: KnownHostRepository,
{
    pub fn new(
        catalog: C,
        known_hosts: K,
        probe: Arc<dyn ConnectivityProbe>,
        executor: Arc<dyn ProbeExecutor>,
        defaults: ProbeDefaults,
    ) -> Self {
        Self {
            catalog,
            known_hosts,
            probe,
            executor,
            defaults,
            limits: TestLimits::default(),
        }
    }

    /// The same service with other bounds on each request.
    pub fn with_limits(mut self, limits: TestLimits) -> Self {
        self.limits = limits;
        self
    }

    pub fn defaults(&self) -> &ProbeDefaults {
        &self.defaults
    }

    pub fn limits(&self) -> &TestLimits {
        &self.limits
    }

    /// Tests the given inventories (every one when `ids` is empty), in the order asked
    /// (else in id order), and records each result. The answer comes by the request's
    /// deadline ([`TestLimits::deadline`], counted from this call): hosts without a result
    /// by then are reported timed out (`SSH_TIMEOUT`, "the request's deadline … passed") and
    /// count as unreachable in what is recorded. Errors, before anything is probed:
    /// [`ConnectivityError::InventoryNotFound`] naming every unknown id;
    /// [`ConnectivityError::TooManyHosts`] when the inventories hold more than
    /// [`TestLimits::max_hosts`] hosts together. [`ConnectivityError::Canceled`] when `cancel`
    /// was set before every host had a result: the hosts not started were skipped, and
    /// nothing is recorded. [`ConnectivityError::Unavailable`] when the store fails.
    pub fn test(
        &self,
        ids: &[InventoryId],
        cancel: &CancelFlag,
    ) -> Result<Vec<InventoryReport>, ConnectivityError> {
        let deadline = Instant::now() + self.limits.deadline;
        let inventories = self.inventories(ids)?;
        let mut plans: Vec<(Vec<PlannedHost>, Option<String>)> = inventories
            .iter()
            .map(|i| match plan_hosts(&i.config, &self.defaults) {
                Ok(hosts) => (hosts, None),
                Err(unparsable) => (Vec::new(), Some(unparsable.0)),
            })
            .collect();
        let hosts: usize = plans.iter().map(|(hosts, _)| hosts.len()).sum();
        if hosts > self.limits.max_hosts {
            let limit = self.limits.max_hosts;
            return Err(ConnectivityError::TooManyHosts { hosts, limit });
        }
        let known = self.known_keys(&plans)?;
        let (slots, tasks) = self.tasks(&mut plans, &known);
        let outcomes = self.executor.run_batch(ProbeBatch {
            tasks,
            overrun: self.overrun(),
            deadline,
            cancel: cancel.clone(),
        });
        if outcomes.contains(&Err(Unprobed::Canceled)) {
            return Err(ConnectivityError::Canceled);
        }
        let mut results: Vec<Vec<Option<TaskResult>>> = plans
            .iter()
            .map(|(hosts, _)| vec![None; hosts.len()])
            .collect();
        let mut trusted: HashMap<Endpoint, KnownHost> = HashMap::new();
        for (slot, outcome) in slots.into_iter().zip(outcomes) {
            let outcome = match outcome {
                Ok(outcome) => Ok(self.trust_on_first_use(&slot, outcome, &mut trusted)?),
                Err(unprobed) => Err(unprobed),
            };
            results[slot.inventory][slot.host] = Some(outcome);
        }
        let unreached = Unreached {
            timeout: self.defaults.timeout,
            overrun: self.overrun(),
            deadline: self.limits.deadline,
        };
        let mut reports = Vec::with_capacity(inventories.len());
        for ((inventory, (hosts, unparsable)), outcomes) in
            inventories.into_iter().zip(plans).zip(results)
        {
            let hosts: Vec<HostReport> = hosts
                .into_iter()
                .zip(outcomes)
                .map(|(host, outcome)| planned_report(host, outcome, &unreached))
                .collect();
            let (ssh_status, power, folded) = fold(&hosts);
            let message = unparsable.unwrap_or(folded);
            let tested_at = now();
            self.catalog
                .record_ssh_test(inventory.id, power, ssh_status, tested_at)?;
            reports.push(InventoryReport {
                inventory_id: inventory.id,
                inventory_name: inventory.name,
                ssh_status,
                power,
                message,
                tested_at,
                hosts,
            });
        }
        Ok(reports)
    }

    /// Every trusted host key, first seen first.
    pub fn known_hosts(&self) -> Result<Vec<KnownHost>, ConnectivityError> {
        Ok(self.known_hosts.list_known_hosts()?)
    }

    /// Forgets a host key, so the next one seen there is trusted. Errors:
    /// [`ConnectivityError::KnownHostNotFound`].
    pub fn forget_known_host(&self, id: KnownHostId) -> Result<(), ConnectivityError> {
        if self.known_hosts.delete_known_host(id)? {
            Ok(())
        } else {
            Err(ConnectivityError::KnownHostNotFound(id.to_string()))
        }
    }

    fn overrun(&self) -> Duration {
        self.defaults.timeout + OVERRUN_GRACE
    }

    fn inventories(&self, ids: &[InventoryId]) -> Result<Vec<Inventory>, ConnectivityError> {
        if ids.is_empty() {
            return self.all_inventories();
        }
        let mut unique = ids.to_vec();
        let mut seen = std::collections::HashSet::new();
        unique.retain(|id| seen.insert(*id));
        let mut found = Vec::with_capacity(unique.len());
        let mut missing = Vec::new();
        for id in unique {
            match self.catalog.get_inventory(id)? {
                Some(inventory) => found.push(inventory),
                None => missing.push(id.to_string()),
            }
        }
        if missing.is_empty() {
            Ok(found)
        } else {
            Err(ConnectivityError::InventoryNotFound(missing.join(", ")))
        }
    }

    fn all_inventories(&self) -> Result<Vec<Inventory>, ConnectivityError> {
        let mut all = Vec::new();
        for page in 1.. {
            let query = InventoryQuery {
                search: None,
                page: PageRequest {
                    page,
                    per_page: ALL_PAGE,
                },
            };
            let found = self.catalog.list_inventories(&query)?;
            let done = found.items.len() < ALL_PAGE as usize;
            all.extend(found.items);
            if done || all.len() as u64 >= found.total {
                break;
            }
        }
        Ok(all)
    }

    /// The trusted key of every endpoint the plans will probe, read once per endpoint.
    fn known_keys(
        &self,
        plans: &[(Vec<PlannedHost>, Option<String>)],
    ) -> Result<HashMap<Endpoint, HostKey>, ConnectivityError> {
        let mut known = HashMap::new();
        let mut asked = std::collections::HashSet::new();
        for host in plans.iter().flat_map(|(hosts, _)| hosts) {
            let Plan::Ssh(target) = &host.plan else {
                continue;
            };
            let endpoint = (target.address.clone(), target.port);
            if !asked.insert(endpoint.clone()) {
                continue;
            }
            if let Some(entry) = self.known_hosts.get_known_host(&endpoint.0, endpoint.1)? {
                known.insert(endpoint, entry.key);
            }
        }
        Ok(known)
    }

    fn tasks(
        &self,
        plans: &mut [(Vec<PlannedHost>, Option<String>)],
        known: &HashMap<Endpoint, HostKey>,
    ) -> (Vec<Slot>, Vec<ProbeTask>) {
        let mut slots = Vec::new();
        let mut tasks: Vec<ProbeTask> = Vec::new();
        for (inventory, (hosts, _)) in plans.iter_mut().enumerate() {
            for (index, host) in hosts.iter_mut().enumerate() {
                let Plan::Ssh(target) = &mut host.plan else {
                    continue;
                };
                let endpoint = (target.address.clone(), target.port);
                target.known_key = known.get(&endpoint).cloned();
                slots.push(Slot {
                    inventory,
                    host: index,
                    known: target.known_key.is_some(),
                    endpoint,
                });
                let (probe, target) = (self.probe.clone(), target.clone());
                tasks.push(Box::new(move || probe.probe(&target)));
            }
        }
        (slots, tasks)
    }

    /// Stores the first key seen at an endpoint; a key that lost a race to another one (a
    /// concurrent test trusted a different key first) is a mismatch like any other.
    fn trust_on_first_use(
        &self,
        slot: &Slot,
        outcome: ProbeOutcome,
        trusted: &mut HashMap<Endpoint, KnownHost>,
    ) -> Result<ProbeOutcome, ConnectivityError> {
        let Some(seen) = outcome.host_key.clone() else {
            return Ok(outcome);
        };
        if slot.known {
            return Ok(outcome);
        }
        let entry = match trusted.get(&slot.endpoint) {
            Some(entry) => entry.clone(),
            None => {
                let entry = self.known_hosts.trust_first_seen(&NewKnownHost {
                    address: slot.endpoint.0.clone(),
                    port: slot.endpoint.1,
                    key: seen.clone(),
                    seen_at: now(),
                })?;
                trusted.insert(slot.endpoint.clone(), entry.clone());
                entry
            }
        };
        if entry.key.same_key(&seen) {
            Ok(outcome)
        } else {
            Ok(ProbeOutcome::mismatch(&entry.key, &seen, outcome.latency))
        }
    }
}

/// The SSH test use cases with the stores' types erased, so that the application can hold
/// them as `Arc<dyn ConnectivityTests>` beside its other I/O ports.
pub trait ConnectivityTests: Send + Sync + std::fmt::Debug {
    /// See [`ConnectivityService::test`].
    fn test(
        &self,
        ids: &[InventoryId],
        cancel: &CancelFlag,
    ) -> Result<Vec<InventoryReport>, ConnectivityError>;
    /// See [`ConnectivityService::known_hosts`].
    fn known_hosts(&self) -> Result<Vec<KnownHost>, ConnectivityError>;
    /// See [`ConnectivityService::forget_known_host`].
    fn forget_known_host(&self, id: KnownHostId) -> Result<(), ConnectivityError>;
}

impl<C, K> ConnectivityTests for ConnectivityService<C, K>
where
    C: InventoryRepository + SshTestRecorder + std::fmt::Debug,
    K: KnownHostRepository + std::fmt::Debug,
{
    fn test(
        &self,
        ids: &[InventoryId],
        cancel: &CancelFlag,
    ) -> Result<Vec<InventoryReport>, ConnectivityError> {
        ConnectivityService::test(self, ids, cancel)
    }

    fn known_hosts(&self) -> Result<Vec<KnownHost>, ConnectivityError> {
        ConnectivityService::known_hosts(self)
    }

    fn forget_known_host(&self, id: KnownHostId) -> Result<(), ConnectivityError> {
        ConnectivityService::forget_known_host(self, id)
    }
}
