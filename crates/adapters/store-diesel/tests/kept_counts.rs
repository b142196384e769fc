//! A list's total is kept briefly between pages (`store_diesel::counts`): exact for what the
//! same store writes, at most `LIFETIME` old for what another store on the database writes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use infra_inventory::PageRequest;
use infra_inventory::contract::fixtures;
use infra_inventory::ports::Repository;
use infra_inventory::resources::{StatusFilter, Tenant};
use store_diesel::DieselStore;
use store_diesel::counts::LIFETIME;
use store_diesel::secrets::SecretKey;

fn total(store: &DieselStore) -> u64 {
    let page = PageRequest::parse(None, None, 100, 1000).unwrap();
    Repository::<Tenant>::list(store, &StatusFilter::default(), page)
        .unwrap()
        .total
}

fn kept_counts_follow_writes(url: &str) {
    let key = SecretKey::generate();
    let (here, there) = (
        support::open_keyed(url, &key).unwrap(),
        support::open_keyed(url, &key).unwrap(),
    );
    assert_eq!(total(&here), 0);
    // Its own write: the next page counts again.
    Repository::<Tenant>::create(&here, &fixtures::tenant("a")).unwrap();
    assert_eq!(total(&here), 1);
    // Another store's write: this one's kept count stands until it expires.
    Repository::<Tenant>::create(&there, &fixtures::tenant("b")).unwrap();
    assert_eq!(total(&here), 1, "the count was kept");
    assert_eq!(total(&there), 2);
    std::thread::sleep(LIFETIME + std::time::Duration::from_millis(100));
    assert_eq!(total(&here), 2, "an expired count is taken again");
}

#[test]
fn sqlite_kept_counts_follow_writes() {
    let file = hub_testkit::SqliteFile::create();
    kept_counts_follow_writes(&file.url);
}

#[test]
fn postgres_kept_counts_follow_writes() {
    if let Some(db) = hub_testkit::PgDatabase::create() {
        kept_counts_follow_writes(&db.url);
    }
}
