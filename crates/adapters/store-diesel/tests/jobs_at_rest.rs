//! Jobs as the rest of the store sees them: a queued or running job keeps its inventory from
//! being deleted, and a job's inventory snapshot is sealed at rest and survives key rotation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use ansible_core::catalog::{InventoryDraft, InventoryRepository, StoreError};
use ansible_core::jobs::contract::{at, lease, new_job, worker};
use ansible_core::jobs::{JobEnd, JobRepository};
use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};
use store_diesel::DieselStore;
use store_diesel::secrets::SecretKey;

fn open(url: &str, key: &SecretKey) -> DieselStore {
    support::open_keyed(url, key).unwrap()
}

#[derive(diesel::QueryableByName)]
struct Raw {
    #[diesel(sql_type = diesel::sql_types::Text)]
    sealed_inventory: String,
}

fn raw(url: &str) -> Vec<Raw> {
    let q = diesel::sql_query("SELECT sealed_inventory FROM jobs ORDER BY seq");
    if let Some(path) = url.strip_prefix("sqlite://") {
        q.load(&mut SqliteConnection::establish(path).unwrap())
            .unwrap()
    } else {
        q.load(&mut PgConnection::establish(url).unwrap()).unwrap()
    }
}

fn jobs_hold_their_inventory(url: &str) {
    let store = open(url, &SecretKey::generate());
    let draft = InventoryDraft::parse(Some("lab".into()), None, Some("web1".into())).unwrap();
    let inventory = store.create_inventory(&draft).unwrap();
    let mut job = new_job(inventory.id.0, &[1], 0);
    job.inventory = inventory.id;
    let queued = store.enqueue(&job).unwrap();

    let refused = store.delete_inventory(inventory.id);
    assert!(
        matches!(&refused, Err(StoreError::InUse(m)) if m.contains("1 queued or running")),
        "{refused:?}"
    );
    store.claim(&worker("w1"), at(1), lease()).unwrap().unwrap();
    assert!(matches!(
        store.delete_inventory(inventory.id),
        Err(StoreError::InUse(_))
    ));
    let end = JobEnd::Failed("runner missing".into());
    store
        .finish_job(&queued.id, &worker("w1"), &end, at(2))
        .unwrap();
    assert_eq!(store.delete_inventory(inventory.id), Ok(true));
    // The finished job outlives its inventory.
    assert!(store.get(&queued.id).unwrap().is_some());
}

fn snapshots_are_sealed(url: &str) {
    let key = SecretKey::generate();
    let store = open(url, &key);
    let job = store.enqueue(&new_job(1, &[1], 0)).unwrap();
    let rows = raw(url);
    assert_eq!(rows.len(), 1);
    assert!(!rows[0].sealed_inventory.contains("s3cret"));

    let new = SecretKey::generate();
    assert_eq!(store.rotate_secret_key(&new).unwrap(), 1);
    drop(store);
    let store = open(url, &new);
    let snapshot = store.snapshot(&job.id).unwrap().unwrap();
    assert!(snapshot.inventory.contains("ansible_password=s3cret"));
}

#[test]
fn sqlite_jobs_hold_their_inventory() {
    let file = hub_testkit::SqliteFile::create();
    jobs_hold_their_inventory(&file.url);
}

#[test]
fn postgres_jobs_hold_their_inventory() {
    let Some(db) = hub_testkit::PgDatabase::create() else {
        return;
    };
    jobs_hold_their_inventory(&db.url);
}

#[test]
fn sqlite_snapshots_are_sealed() {
    let file = hub_testkit::SqliteFile::create();
    snapshots_are_sealed(&file.url);
}

#[test]
fn postgres_snapshots_are_sealed() {
    let Some(db) = hub_testkit::PgDatabase::create() else {
        return;
    };
    snapshots_are_sealed(&db.url);
}
