//! The service on the memory stores, with a scripted runner and a clock that moves when
//! told.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod execute;
mod run;

use crate::catalog::contract::{inventory, playbook};
use crate::catalog::memory::MemoryCatalog;
use crate::catalog::{InventoryId, InventoryRepository, PlaybookId, PlaybookRepository, RunStatus};
use crate::jobs::memory::{FakeRunner, ManualClock, MemoryJobs};
use crate::jobs::*;
use chrono::{TimeDelta, TimeZone, Utc};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

struct Hub {
    catalog: MemoryCatalog,
    jobs: MemoryJobs,
    runner: FakeRunner,
    clock: ManualClock,
    service: JobService<MemoryJobs, MemoryCatalog>,
    playbooks: Vec<PlaybookId>,
    inventory: InventoryId,
}

fn hub_with(runner: FakeRunner, settings: JobSettings) -> Hub {
    let catalog = MemoryCatalog::new();
    let inventory = catalog.create_inventory(&inventory("Lab")).unwrap().id;
    let playbooks = ["Ping", "Deploy", "Verify"]
        .iter()
        .map(|name| {
            let task = format!("name: {name}\ndebug:\n  msg: {name}");
            catalog
                .create_playbook(&playbook(name, &[(None, &task)]))
                .unwrap()
                .id
        })
        .collect();
    let jobs = MemoryJobs::new();
    let clock = ManualClock::new(Utc.timestamp_opt(1_736_510_400, 0).unwrap());
    let service = JobService::new(
        jobs.clone(),
        catalog.clone(),
        Arc::new(runner.clone()),
        Arc::new(clock.clone()),
        settings,
    );
    Hub {
        catalog,
        jobs,
        runner,
        clock,
        service,
        playbooks,
        inventory,
    }
}

fn hub() -> Hub {
    hub_with(FakeRunner::new(), JobSettings::default())
}

fn worker() -> WorkerId {
    WorkerId::new("test:1:0").unwrap()
}

impl Hub {
    /// Queues the hub's first `n` playbooks on its inventory.
    fn execute(&self, n: usize) -> Job {
        let ids = self.playbooks[..n].iter().map(|p| p.0).collect();
        let request = ExecuteRequest::parse(Some(ids), Some(self.inventory.0), None).unwrap();
        self.service.execute(request).unwrap()
    }

    fn run(&self) -> RunReport {
        self.run_until(&AtomicBool::new(false))
    }

    fn run_until(&self, shutdown: &AtomicBool) -> RunReport {
        self.service
            .run_one(&worker(), shutdown)
            .unwrap()
            .expect("a job to run")
    }

    /// Whether no job is left to run.
    fn idle(&self) -> bool {
        self.service
            .run_one(&worker(), &AtomicBool::new(false))
            .unwrap()
            .is_none()
    }

    fn output(&self, job: &Job, playbook: usize) -> String {
        self.service
            .output(&job.id, self.playbooks[playbook], 0)
            .unwrap()
            .text
    }

    fn catalog_status(&self, playbook: usize) -> RunStatus {
        self.catalog
            .get_playbook(self.playbooks[playbook])
            .unwrap()
            .unwrap()
            .status
    }

    fn job(&self, job: &Job) -> Job {
        self.service.job(&job.id).unwrap()
    }
}

fn statuses(job: &Job) -> Vec<PlaybookRunStatus> {
    job.playbooks.iter().map(|r| r.status).collect()
}

fn lease() -> TimeDelta {
    JobSettings::default().lease
}
