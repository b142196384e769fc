//! New jobs told to every server on PostgreSQL: an enqueue's transaction sends a NOTIFY,
//! which PostgreSQL delivers at commit (never for a rolled-back enqueue), and each server's
//! listener, on a connection of its own, wakes its idle workers. SQLite has no such
//! channel: there the workers rely on their own server's ring and on their poll.

use crate::DieselStore;
use crate::connection::AnyConnection;
use crate::listener::Channel;
use diesel::QueryResult;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::thread::JoinHandle;

const CHANNEL: Channel = Channel {
    name: "control_hub_jobs",
    what: "the job queue listener",
    meanwhile: "idle workers poll meanwhile",
};

/// Within an enqueue's transaction: tell the listeners, at commit.
pub(crate) fn notify(conn: &mut AnyConnection) -> QueryResult<()> {
    CHANNEL.notify(conn)
}

impl DieselStore {
    /// On PostgreSQL, a thread that calls `on_new_job` soon after any server queues a job,
    /// until `stop` is set; `None` on SQLite. A lost connection is logged and opened again
    /// every second; what was queued meanwhile the workers' poll finds.
    pub fn listen_for_jobs(
        &self,
        stop: Arc<AtomicBool>,
        on_new_job: impl Fn() + Send + 'static,
    ) -> Result<Option<JoinHandle<()>>, String> {
        self.listen_on(CHANNEL, stop, on_new_job)
    }
}
