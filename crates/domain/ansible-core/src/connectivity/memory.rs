//! In-memory adapters: the known-host store, a scripted probe (fake servers by endpoint) and
//! an executor that runs a batch on the calling thread; for embedding and tests.

use super::executor::{ProbeBatch, ProbeExecutor, TaskResult, Unprobed};
use super::host_key::{HostKey, KnownHost, KnownHostId, NewKnownHost};
use super::ports::KnownHostRepository;
use super::probe::{ConnectivityProbe, ProbeFailure, ProbeOutcome, ProbeTarget};
use crate::catalog::StoreError;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

fn poisoned() -> StoreError {
    StoreError::Unavailable("memory known-host lock poisoned".to_owned())
}

#[derive(Debug, Default)]
struct Hosts {
    rows: BTreeMap<KnownHostId, KnownHost>,
    last_id: i64,
}

/// Known hosts under one mutex; clones share them.
#[derive(Debug, Clone, Default)]
pub struct MemoryKnownHosts {
    state: Arc<Mutex<Hosts>>,
}

impl MemoryKnownHosts {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> Result<MutexGuard<'_, Hosts>, StoreError> {
        self.state.lock().map_err(|_| poisoned())
    }
}

impl KnownHostRepository for MemoryKnownHosts {
    fn list_known_hosts(&self) -> Result<Vec<KnownHost>, StoreError> {
        Ok(self.lock()?.rows.values().cloned().collect())
    }

    fn get_known_host(&self, address: &str, port: u16) -> Result<Option<KnownHost>, StoreError> {
        let state = self.lock()?;
        let found = state
            .rows
            .values()
            .find(|h| h.address == address && h.port == port);
        Ok(found.cloned())
    }

    fn trust_first_seen(&self, new: &NewKnownHost) -> Result<KnownHost, StoreError> {
        let mut state = self.lock()?;
        let existing = state
            .rows
            .values()
            .find(|h| h.address == new.address && h.port == new.port);
        if let Some(existing) = existing {
            return Ok(existing.clone());
        }
        state.last_id += 1;
        let entry = KnownHost {
            id: KnownHostId(state.last_id),
            address: new.address.clone(),
            port: new.port,
            key: new.key.clone(),
            first_seen_at: new.seen_at,
        };
        state.rows.insert(entry.id, entry.clone());
        Ok(entry)
    }

    fn delete_known_host(&self, id: KnownHostId) -> Result<bool, StoreError> {
        Ok(self.lock()?.rows.remove(&id).is_some())
    }
}

/// A fake SSH server, by what it does to a login.
#[derive(Debug, Clone)]
pub enum FakeServer {
    /// Presents `key`; accepts `password` and the key file `key_file`, after `delay`.
    Up {
        key: HostKey,
        password: Option<String>,
        key_file: Option<PathBuf>,
        delay: Duration,
    },
    /// Fails the attempt like this.
    Down(ProbeFailure, String),
}

/// A probe that answers from a script of fake servers; unknown endpoints refuse. Records
/// every target it was asked to probe.
#[derive(Debug, Clone, Default)]
pub struct ScriptedProbe {
    servers: Arc<Mutex<HashMap<(String, u16), FakeServer>>>,
    calls: Arc<Mutex<Vec<ProbeTarget>>>,
}

impl ScriptedProbe {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets what the server at `address:port` does from now on.
    pub fn serve(&self, address: &str, port: u16, server: FakeServer) {
        if let Ok(mut servers) = self.servers.lock() {
            servers.insert((address.to_owned(), port), server);
        }
    }

    /// The targets probed so far, in order.
    pub fn calls(&self) -> Vec<ProbeTarget> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }
}

impl ConnectivityProbe for ScriptedProbe {
    fn probe(&self, target: &ProbeTarget) -> ProbeOutcome {
        if let Ok(mut calls) = self.calls.lock() {
            calls.push(target.clone());
        }
        let creds = &target.credentials;
        let none = Duration::ZERO;
        if creds.password.is_none() && creds.private_key_file.is_none() {
            let message = "no password and no private key file";
            return ProbeOutcome::failed(ProbeFailure::NoCredentials, message, none);
        }
        let server = self
            .servers
            .lock()
            .ok()
            .and_then(|s| s.get(&(target.address.clone(), target.port)).cloned());
        let Some(server) = server else {
            let message = "connection refused";
            return ProbeOutcome::failed(ProbeFailure::ConnectionFailed, message, none);
        };
        match server {
            FakeServer::Down(failure, message) => ProbeOutcome::failed(failure, message, none),
            FakeServer::Up {
                key,
                password,
                key_file,
                delay,
            } => {
                std::thread::sleep(delay);
                if let Some(known) = &target.known_key
                    && !known.same_key(&key)
                {
                    return ProbeOutcome::mismatch(known, &key, delay);
                }
                let by_password = password.is_some() && creds.password == password;
                let by_key = key_file.is_some() && creds.private_key_file == key_file;
                if by_password || by_key {
                    ProbeOutcome::connected(delay, Some(key))
                } else {
                    let mut outcome = ProbeOutcome::failed(
                        ProbeFailure::AuthenticationFailed,
                        format!("authentication failed for user {}", target.user),
                        delay,
                    );
                    outcome.host_key = Some(key);
                    outcome
                }
            }
        }
    }
}

/// Runs each batch on the calling thread, one task after another: a task is not started
/// once the batch is canceled ([`Unprobed::Canceled`]) or past its deadline
/// ([`Unprobed::DeadlineBeforeStart`]); no overrun is possible; a panicking task is
/// [`Unprobed::Lost`].
#[derive(Debug, Clone, Copy, Default)]
pub struct InlineExecutor;

impl ProbeExecutor for InlineExecutor {
    fn run_batch(&self, batch: ProbeBatch) -> Vec<TaskResult> {
        let ProbeBatch {
            tasks,
            deadline,
            cancel,
            ..
        } = batch;
        tasks
            .into_iter()
            .map(|task| {
                if cancel.is_canceled() {
                    Err(Unprobed::Canceled)
                } else if Instant::now() >= deadline {
                    Err(Unprobed::DeadlineBeforeStart)
                } else {
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(task))
                        .map_err(|_| Unprobed::Lost)
                }
            })
            .collect()
    }
}
