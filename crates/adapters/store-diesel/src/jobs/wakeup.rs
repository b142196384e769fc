//! New jobs told to every server on PostgreSQL: an enqueue's transaction sends a NOTIFY,
//! which PostgreSQL delivers at commit (never for a rolled-back enqueue), and each server's
//! listener, on a connection of its own, wakes its idle workers. SQLite has no such
//! channel: there the workers rely on their own server's ring and on their poll.

use crate::DieselStore;
use crate::connection::{AnyConnection, DatabaseUrl, with_connect_timeout};
use diesel::prelude::*;
use diesel::{PgConnection, QueryResult};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::Duration;

const CHANNEL: &str = "control_hub_jobs";
/// How often the listener reads its socket. Reading what arrived is local (no round trip
/// to the server), so this costs nothing of the database's.
const READ_EVERY: Duration = Duration::from_millis(20);
/// After a lost connection, before the next attempt.
const RECONNECT_AFTER: Duration = Duration::from_secs(1);

/// Within an enqueue's transaction: tell the listeners, at commit.
pub(crate) fn notify(conn: &mut AnyConnection) -> QueryResult<()> {
    match conn {
        AnyConnection::Postgresql(pg) => {
            diesel::sql_query(format!("NOTIFY {CHANNEL}")).execute(pg)?;
        }
        AnyConnection::Sqlite(_) => {}
    }
    Ok(())
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
        let DatabaseUrl::Postgres(url) = self.url() else {
            return Ok(None);
        };
        let url = with_connect_timeout(url, self.connect_timeout());
        thread::Builder::new()
            .name("job-queue-listener".to_owned())
            .spawn(move || listen(&url, &stop, &on_new_job))
            .map(Some)
            .map_err(|e| format!("starting the job queue listener: {e}"))
    }
}

fn listen(url: &str, stop: &AtomicBool, on_new_job: &dyn Fn()) {
    let mut reported = false;
    while !stop.load(Ordering::SeqCst) {
        let listening = PgConnection::establish(url)
            .map_err(|e| e.to_string())
            .and_then(|mut conn| {
                diesel::sql_query(format!("LISTEN {CHANNEL}"))
                    .execute(&mut conn)
                    .map_err(|e| e.to_string())?;
                Ok(conn)
            });
        match listening {
            Ok(mut conn) => {
                if reported {
                    tracing::info!("the job queue listener is connected again");
                    reported = false;
                }
                // Jobs queued while no one listened: let the workers look.
                on_new_job();
                if let Err(e) = relay(&mut conn, stop, on_new_job) {
                    tracing::warn!(error = %e, "the job queue listener lost its connection; idle workers poll meanwhile");
                    reported = true;
                }
            }
            Err(e) => {
                if !reported {
                    tracing::warn!(error = %e, "the job queue listener cannot connect; idle workers poll meanwhile");
                    reported = true;
                }
            }
        }
        nap(stop, RECONNECT_AFTER);
    }
}

/// Passes notices on until `stop`, or until the connection fails.
fn relay(conn: &mut PgConnection, stop: &AtomicBool, on_new_job: &dyn Fn()) -> QueryResult<()> {
    while !stop.load(Ordering::SeqCst) {
        let mut heard = false;
        for notice in conn.notifications_iter() {
            notice?;
            heard = true;
        }
        if heard {
            on_new_job();
        }
        thread::sleep(READ_EVERY);
    }
    Ok(())
}

fn nap(stop: &AtomicBool, total: Duration) {
    let step = Duration::from_millis(50);
    let mut slept = Duration::ZERO;
    while slept < total && !stop.load(Ordering::SeqCst) {
        thread::sleep(step);
        slept += step;
    }
}
