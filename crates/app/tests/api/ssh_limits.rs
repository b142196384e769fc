//! `POST /api/ssh/test` under hostile inventories: the per-request host cap, the deadline,
//! a client that goes away, and fairness between a large test and a small one; against a
//! listener that accepts and never speaks, each test on SQLite and on PostgreSQL with small
//! timeouts so that each takes a few seconds.

use crate::support::{TOKEN, TestApp};
use ansible_core::connectivity::{ProbeDefaults, TestLimits};
use serde_json::{Value, json};
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use store_diesel::{DatabaseUrl, DieselStore};

/// Accepts every connection, counts it, keeps it open and never writes a byte.
struct SilentServer {
    port: u16,
    accepted: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl SilentServer {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let (accepted, stop) = (
            Arc::new(AtomicUsize::new(0)),
            Arc::new(AtomicBool::new(false)),
        );
        let (count, stopped) = (accepted.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut open: Vec<TcpStream> = Vec::new();
            while !stopped.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        count.fetch_add(1, Ordering::SeqCst);
                        open.push(stream);
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(2)),
                }
            }
        });
        Self {
            port,
            accepted,
            stop,
        }
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

impl Drop for SilentServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// What the test app's SSH tests get: probe threads, per-host timeout, host cap, deadline.
#[derive(Clone, Copy)]
struct Setup {
    threads: usize,
    timeout: Duration,
    max_hosts: usize,
    deadline: Duration,
}

/// The store and the application's state with `setup`'s SSH tests; `None` when PostgreSQL
/// is asked for and none is reachable (the skip is printed).
fn state(
    postgres: bool,
    setup: Setup,
) -> Option<(
    DieselStore,
    Box<dyn std::any::Any>,
    control_hub::AppState<DieselStore>,
)> {
    let (url, guard): (String, Box<dyn std::any::Any>) = if postgres {
        let db = hub_testkit::PgDatabase::create()?;
        (db.url.clone(), Box::new(db))
    } else {
        let file = hub_testkit::SqliteFile::create();
        (file.url.clone(), Box::new(file))
    };
    let store = DieselStore::open(&DatabaseUrl::parse(&url).unwrap(), Some(8)).unwrap();
    let defaults = ProbeDefaults {
        user: "root".to_owned(),
        timeout: setup.timeout,
    };
    let limits = TestLimits {
        max_hosts: setup.max_hosts,
        deadline: setup.deadline,
    };
    let state = control_hub::AppState {
        ssh: control_hub::connectivity_service_limited(
            store.clone(),
            defaults,
            setup.threads,
            limits,
        ),
        ..crate::support::state(&store)
    };
    Some((store, guard, state))
}

/// The test app, and its state for a real server beside it.
async fn app(
    postgres: bool,
    setup: Setup,
) -> Option<(TestApp, control_hub::AppState<DieselStore>)> {
    let (store, guard, state) = state(postgres, setup)?;
    Some((
        TestApp::with_state(store, guard, state.clone()).await,
        state,
    ))
}

/// A test on SQLite and on PostgreSQL, each with `setup`'s SSH tests.
macro_rules! limits_test {
    ($name:ident, $setup:expr, |$app:ident, $state:pat_param| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[actix_web::test]
            async fn sqlite() {
                let Some(($app, $state)) = app(false, $setup).await else {
                    return;
                };
                $body
            }

            #[actix_web::test]
            async fn postgres() {
                let Some(($app, $state)) = app(true, $setup).await else {
                    return;
                };
                $body
            }
        }
    };
}

/// `count` hosts at 127.0.0.1:`port`, with a password (so each is probed).
fn hosts(prefix: &str, count: usize, port: u16) -> String {
    (0..count)
        .map(|n| {
            format!(
                "{prefix}{n:03} ansible_host=127.0.0.1 ansible_port={port} ansible_password=x\n"
            )
        })
        .collect()
}

async fn inventory(app: &TestApp, name: &str, config: &str) -> i64 {
    let body = json!({ "name": name, "config": config });
    app.create("/api/inventories", body).await["data"]["id"]
        .as_i64()
        .unwrap()
}

async fn stored(app: &TestApp, id: i64) -> Value {
    app.get(&format!("/api/inventories/{id}")).await.body["data"].clone()
}

const SHORT: Setup = Setup {
    threads: 4,
    timeout: Duration::from_secs(1),
    max_hosts: 100,
    deadline: Duration::from_secs(2),
};

limits_test!(
    more_hosts_than_the_cap_are_refused_before_any_probe,
    Setup {
        max_hosts: 5,
        ..SHORT
    },
    |app, _| {
        let silent = SilentServer::start();
        let a = inventory(&app, "A", &hosts("a", 3, silent.port)).await;
        let b = inventory(&app, "B", &hosts("b", 3, silent.port)).await;
        for body in [json!({ "inventoryIds": [a, b] }), json!({})] {
            let reply = app.post("/api/ssh/test", body).await;
            reply.assert_failure(422, "SSH_TOO_MANY_HOSTS");
            let message = reply.failure_message();
            assert!(
                message.contains("6 hosts") && message.contains("5"),
                "{message}"
            );
        }
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(silent.accepted(), 0, "a refused test probed");
        for id in [a, b] {
            assert_eq!(stored(&app, id).await["lastTestedAt"], Value::Null);
        }
        // At the cap or under it, the test runs.
        let reply = app
            .post("/api/ssh/test", json!({ "inventoryIds": [a] }))
            .await;
        reply.assert_status(200);
        assert_eq!(silent.accepted(), 3);
    }
);

limits_test!(
    hosts_left_at_the_deadline_time_out_and_the_answer_comes_then,
    SHORT,
    |app, _| {
        // Three probes at a time (four places, one kept for other requests), 1 s each: twenty
        // hosts would take seven seconds; the deadline answers at two.
        let silent = SilentServer::start();
        let id = inventory(&app, "Fleet", &hosts("h", 20, silent.port)).await;
        let started = Instant::now();
        let reply = app
            .post("/api/ssh/test", json!({ "inventoryIds": [id] }))
            .await;
        let took = started.elapsed();
        reply.assert_status(200);
        assert!(
            took >= Duration::from_millis(1900) && took < Duration::from_millis(3500),
            "{took:?}"
        );
        let result = &reply.body["data"]["results"][0];
        let hosts = result["hosts"].as_array().unwrap();
        assert_eq!(hosts.len(), 20);
        assert!(
            hosts.iter().all(|h| h["code"] == "SSH_TIMEOUT"),
            "{hosts:?}"
        );
        let by_deadline: Vec<_> = hosts
            .iter()
            .filter(|h| {
                h["message"]
                    .as_str()
                    .unwrap()
                    .contains("the request's deadline (2 s) passed")
            })
            .collect();
        assert!(
            by_deadline.len() >= 14,
            "{} of 20: {hosts:?}",
            by_deadline.len()
        );
        assert!(by_deadline.iter().any(|h| h["latencyMs"].is_null()));
        // Nothing starts after the deadline: at most the nine probes begun in time ever connect.
        std::thread::sleep(Duration::from_millis(1200));
        assert!(silent.accepted() <= 9, "{} connections", silent.accepted());
        // Unreached hosts are unreachable ones: Off, Unconnected, and tested at the answer's time.
        let stored = stored(&app, id).await;
        assert_eq!(
            (
                &stored["status"],
                &stored["sshStatus"],
                &stored["lastTestedAt"]
            ),
            (&json!("Off"), &json!("Unconnected"), &result["testedAt"])
        );
    }
);

limits_test!(
    a_small_test_is_not_queued_behind_a_large_one,
    Setup {
        timeout: Duration::from_secs(2),
        deadline: Duration::from_secs(3),
        ..SHORT
    },
    |app, _| {
        let silent = SilentServer::start();
        let large = inventory(&app, "Large", &hosts("l", 30, silent.port)).await;
        let closed = hub_testkit::sshd::closed_port();
        let small = inventory(&app, "Small", &hosts("s", 1, closed)).await;
        let large_test = app.post("/api/ssh/test", json!({ "inventoryIds": [large] }));
        let small_test = async {
            // The large test holds every place it may by now.
            actix_web::rt::time::sleep(Duration::from_millis(300)).await;
            let started = Instant::now();
            let reply = app
                .post("/api/ssh/test", json!({ "inventoryIds": [small] }))
                .await;
            (reply, started.elapsed())
        };
        let (large_reply, (small_reply, small_took)) =
            futures_util::future::join(large_test, small_test).await;
        small_reply.assert_status(200);
        let host = &small_reply.body["data"]["results"][0]["hosts"][0];
        assert_eq!(host["code"], "SSH_CONNECTION_FAILED", "{host}");
        // Behind the large test it would wait 1.7 s for a place (2 s probes, from 0.3 s).
        assert!(
            small_took < Duration::from_millis(800),
            "the small test took {small_took:?}"
        );
        large_reply.assert_status(200);
    }
);

limits_test!(
    a_client_that_goes_away_stops_the_probes,
    Setup {
        deadline: Duration::from_secs(20),
        ..SHORT
    },
    |app, state| {
        let silent = SilentServer::start();
        let id = inventory(&app, "Fleet", &hosts("h", 40, silent.port)).await;
        // A real server over the same store and SSH tests, configured as `serve` is.
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let server = actix_web::HttpServer::new(move || control_hub::build_app(state.clone()))
            .workers(1)
            .h1_allow_half_closed(false)
            .listen(listener)
            .unwrap()
            .run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        let body = json!({ "inventoryIds": [id] }).to_string();
        let (at_close, after) = actix_web::rt::task::spawn_blocking(move || {
            let mut socket = TcpStream::connect(addr).unwrap();
            let head = format!(
                "POST /api/ssh/test HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n\
                 Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
            socket.write_all(head.as_bytes()).unwrap();
            // Three probes at a time, a second each: a few hosts are being probed.
            std::thread::sleep(Duration::from_millis(1500));
            drop(socket);
            std::thread::sleep(Duration::from_millis(150));
            let at_close = silent.accepted();
            // Two more rounds of the per-host timeout: without the client, nothing starts.
            std::thread::sleep(Duration::from_millis(2500));
            (at_close, silent.accepted())
        })
        .await
        .unwrap();
        handle.stop(true).await;
        assert!(
            (3..=9).contains(&at_close),
            "{at_close} hosts probed before the client left"
        );
        assert_eq!(after, at_close, "probes went on after the client left");
        // A canceled test records nothing.
        assert_eq!(stored(&app, id).await["lastTestedAt"], Value::Null);
    }
);
