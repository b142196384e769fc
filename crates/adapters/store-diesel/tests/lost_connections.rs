//! The pool hands out connections without testing them first, so a connection the server
//! closed while it sat idle is found by the call that uses it. That call must still succeed
//! (on another connection), the lost ones must leave the pool, and a revoked token must be
//! heard of by every server's listener.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use diesel::{Connection, PgConnection, RunQueryDsl};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use store_diesel::secrets::SecretKey;

/// Terminates every backend of `url`'s database but this connection's; how many it ended.
fn terminate_backends(url: &str) -> usize {
    let name = url.rsplit('/').next().unwrap().to_owned();
    let admin = url.replace(&format!("/{name}"), "/postgres");
    let mut conn = PgConnection::establish(&admin).unwrap();
    diesel::sql_query(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = '{name}' AND pid <> pg_backend_pid()"
    ))
    .execute(&mut conn)
    .unwrap()
}

#[test]
fn postgres_calls_succeed_after_every_idle_connection_was_closed() {
    let Some(db) = hub_testkit::PgDatabase::create() else {
        return;
    };
    let store = support::open_keyed(&db.url, &SecretKey::generate()).unwrap();
    // Fill the pool (two connections) with idle ones, then have the server close them all.
    for n in 0..4 {
        store.insert_token("warm", &format!("{n:064}")).unwrap();
    }
    // Reads from four threads at once until the pool has opened both connections.
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..200 {
                    if store.pool_state().0 >= 2 {
                        break;
                    }
                    store.list_tokens().unwrap();
                }
            });
        }
    });
    let (open, _) = store.pool_state();
    assert!(open >= 2, "the pool holds {open} connection(s)");
    assert!(terminate_backends(&db.url) >= 2);
    // Let the terminations land before the next call uses a connection.
    std::thread::sleep(Duration::from_millis(200));

    // A read, a write and a read again: each on a connection that is lost, each succeeds.
    assert_eq!(store.list_tokens().unwrap().len(), 4);
    terminate_backends(&db.url);
    std::thread::sleep(Duration::from_millis(200));
    let made = store.insert_token("after", &"1".repeat(64)).unwrap();
    terminate_backends(&db.url);
    std::thread::sleep(Duration::from_millis(200));
    assert!(store.find_token_hash(&"1".repeat(64)).unwrap().is_some());
    assert!(store.revoke_token(&made.id).unwrap());
    store.readiness().unwrap();
}

#[test]
fn postgres_a_revocation_is_heard_by_every_listener() {
    let Some(db) = hub_testkit::PgDatabase::create() else {
        return;
    };
    let key = SecretKey::generate();
    let here = support::open_keyed(&db.url, &key).unwrap();
    let there = support::open_keyed(&db.url, &key).unwrap();
    let heard = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let counter = Arc::clone(&heard);
    let listener = here
        .listen_for_revocations(Arc::clone(&stop), move || {
            counter.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap()
        .expect("PostgreSQL listens");
    let wait_for = |n: usize| {
        let until = Instant::now() + Duration::from_secs(10);
        while heard.load(Ordering::SeqCst) < n {
            assert!(Instant::now() < until, "heard {heard:?}, wanted {n}");
            std::thread::sleep(Duration::from_millis(10));
        }
    };
    // Once on connecting (a revocation may have been missed before).
    wait_for(1);
    let token = there.insert_token("t", &"2".repeat(64)).unwrap();
    // Revoking an id that does not exist tells no one.
    assert!(!there.revoke_token("no-such-token").unwrap());
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(heard.load(Ordering::SeqCst), 1);
    assert!(there.revoke_token(&token.id).unwrap());
    wait_for(2);
    stop.store(true, Ordering::SeqCst);
    listener.join().unwrap();
}

#[test]
fn sqlite_has_no_revocation_listener() {
    let file = hub_testkit::SqliteFile::create();
    let store = support::open_keyed(&file.url, &SecretKey::generate()).unwrap();
    let listener = store
        .listen_for_revocations(Arc::new(AtomicBool::new(false)), || {})
        .unwrap();
    assert!(listener.is_none());
}
