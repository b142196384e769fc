//! PostgreSQL notices between servers on one database: a transaction sends a NOTIFY, which
//! PostgreSQL delivers at commit (never for a rolled-back one), and each server's listener,
//! on a connection of its own, calls back. SQLite has no such channel: there every server
//! is alone, and what a notice would speed up has a bound of its own (a poll, an expiry).

use crate::DieselStore;
use crate::connection::{AnyConnection, DatabaseUrl, with_connect_timeout};
use diesel::prelude::*;
use diesel::{PgConnection, QueryResult};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::Duration;

/// How often a listener reads its socket. Reading what arrived is local (no round trip to
/// the server), so this costs nothing of the database's.
const READ_EVERY: Duration = Duration::from_millis(20);
/// After a lost connection, before the next attempt.
const RECONNECT_AFTER: Duration = Duration::from_secs(1);

/// One channel, and how its listener is named in logs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Channel {
    /// The PostgreSQL channel: a constant of this crate, never input.
    pub(crate) name: &'static str,
    pub(crate) what: &'static str,
    /// What covers for a lost listener, for the log line that says it is lost.
    pub(crate) meanwhile: &'static str,
}

impl Channel {
    /// Within a transaction: tell the listeners, at commit (at once outside one).
    pub(crate) fn notify(self, conn: &mut AnyConnection) -> QueryResult<()> {
        match conn {
            AnyConnection::Postgresql(pg) => {
                diesel::sql_query(format!("NOTIFY {}", self.name)).execute(pg)?;
            }
            AnyConnection::Sqlite(_) => {}
        }
        Ok(())
    }
}

impl DieselStore {
    /// On PostgreSQL, a thread that calls `on_notice` soon after a notice on `channel`
    /// (and once on each connect, for what was sent while no one listened), until `stop`
    /// is set; `None` on SQLite.
    pub(crate) fn listen_on(
        &self,
        channel: Channel,
        stop: Arc<AtomicBool>,
        on_notice: impl Fn() + Send + 'static,
    ) -> Result<Option<JoinHandle<()>>, String> {
        let DatabaseUrl::Postgres(url) = self.url() else {
            return Ok(None);
        };
        let url = with_connect_timeout(url, self.connect_timeout());
        thread::Builder::new()
            .name(channel.name.replace('_', "-"))
            .spawn(move || listen(&url, channel, &stop, &on_notice))
            .map(Some)
            .map_err(|e| format!("starting {}: {e}", channel.what))
    }
}

fn listen(url: &str, channel: Channel, stop: &AtomicBool, on_notice: &dyn Fn()) {
    let mut reported = false;
    while !stop.load(Ordering::SeqCst) {
        let listening = PgConnection::establish(url)
            .map_err(|e| e.to_string())
            .and_then(|mut conn| {
                diesel::sql_query(format!("LISTEN {}", channel.name))
                    .execute(&mut conn)
                    .map_err(|e| e.to_string())?;
                Ok(conn)
            });
        match listening {
            Ok(mut conn) => {
                if reported {
                    tracing::info!("{} is connected again", channel.what);
                    reported = false;
                }
                // Notices sent while no one listened are lost: act as if one came.
                on_notice();
                if let Err(e) = relay(&mut conn, stop, on_notice) {
                    tracing::warn!(error = %e, "{} lost its connection; {}", channel.what, channel.meanwhile);
                    reported = true;
                }
            }
            Err(e) => {
                if !reported {
                    tracing::warn!(error = %e, "{} cannot connect; {}", channel.what, channel.meanwhile);
                    reported = true;
                }
            }
        }
        nap(stop, RECONNECT_AFTER);
    }
}

/// Passes notices on until `stop`, or until the connection fails.
fn relay(conn: &mut PgConnection, stop: &AtomicBool, on_notice: &dyn Fn()) -> QueryResult<()> {
    while !stop.load(Ordering::SeqCst) {
        let mut heard = false;
        for notice in conn.notifications_iter() {
            notice?;
            heard = true;
        }
        if heard {
            on_notice();
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
