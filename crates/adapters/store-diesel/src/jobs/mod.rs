//! Jobs (ansible-core's `JobRepository`) on both backends: the queue, each run's record and
//! its output in chunks. Every worker write loads the job in its write transaction (locked
//! `FOR UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` holds the database), moves it with
//! the domain's `Job` methods, so the lifecycle rules live in one place, and writes it back.

mod codec;
mod detail;
mod error;
mod output;
mod queue;
mod record;
mod recorder;
mod repository;
#[cfg(test)]
mod summaries_tests;
mod wakeup;
mod worker;

pub(crate) use queue::inventory_users;

/// The column a job's inventory text is sealed for (bound as associated data).
pub(crate) const INVENTORY_COLUMN: &str = "jobs.sealed_inventory";
