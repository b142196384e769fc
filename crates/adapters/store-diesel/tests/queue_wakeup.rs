//! On PostgreSQL a server hears of the jobs other servers queue: its listener is called
//! after another store's enqueue commits, and not for an enqueue that never commits.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use ansible_core::catalog::{InventoryDraft, InventoryRepository};
use ansible_core::jobs::JobRepository;
use ansible_core::jobs::contract::new_job;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use store_diesel::DieselStore;
use store_diesel::secrets::SecretKey;

fn open(url: &str, key: &SecretKey) -> DieselStore {
    support::open_keyed(url, key).unwrap()
}

fn wait_for(calls: &AtomicUsize, at_least: usize) -> bool {
    let until = Instant::now() + Duration::from_secs(10);
    while calls.load(Ordering::SeqCst) < at_least {
        if Instant::now() > until {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    true
}

#[test]
fn postgres_a_listener_hears_of_another_servers_jobs() {
    let Some(db) = hub_testkit::PgDatabase::create() else {
        return;
    };
    let key = SecretKey::generate();
    let (here, there) = (open(&db.url, &key), open(&db.url, &key));
    let calls = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let counter = Arc::clone(&calls);
    let listener = here
        .listen_for_jobs(Arc::clone(&stop), move || {
            counter.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap()
        .expect("PostgreSQL listens");
    // Once connected it calls once, for what was queued while no one listened.
    assert!(wait_for(&calls, 1), "the listener connects");
    let connected = calls.load(Ordering::SeqCst);

    let draft = InventoryDraft::parse(Some("lab".into()), None, Some("web1".into())).unwrap();
    let inventory = there.create_inventory(&draft).unwrap();
    // An enqueue that fails (a duplicate id) rolls back, its notice with it.
    let mut job = new_job(inventory.id.0, &[1], 0);
    job.inventory = inventory.id;
    there.enqueue(&job).unwrap();
    assert!(wait_for(&calls, connected + 1), "heard of the job");
    let heard = calls.load(Ordering::SeqCst);
    assert!(there.enqueue(&job).is_err());
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        calls.load(Ordering::SeqCst),
        heard,
        "nothing for a rolled-back enqueue"
    );

    stop.store(true, Ordering::SeqCst);
    listener.join().unwrap();
}

#[test]
fn sqlite_has_no_listener() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("hub.db").display());
    let store = open(&url, &SecretKey::generate());
    let listener = store
        .listen_for_jobs(Arc::new(AtomicBool::new(false)), || {})
        .unwrap();
    assert!(listener.is_none());
}
