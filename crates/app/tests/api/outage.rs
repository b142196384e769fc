//! PostgreSQL going away under a running hub: calls answer a prompt 503 in their area's format,
//! the readiness probe says so within 2 s, and everything recovers without a restart. The
//! database is reached through a TCP relay the test can cut, and its backends are killed with
//! `pg_terminate_backend` while requests run.

use crate::support::{TestApp, seed};
use diesel::{Connection, PgConnection, RunQueryDsl};
use serde_json::json;
use std::io::copy;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use store_diesel::{DatabaseUrl, DieselStore, StoreOptions};

/// A loopback relay to PostgreSQL that can be cut (every connection closed, new ones dropped)
/// and restored.
struct Relay {
    port: u16,
    up: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<TcpStream>>>,
}

impl Relay {
    fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let open: Arc<Mutex<Vec<TcpStream>>> = Arc::default();
        let (up2, open2) = (up.clone(), open.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                if !up2.load(Ordering::SeqCst) {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(server) = TcpStream::connect(target) else {
                    continue;
                };
                let mut streams = open2.lock().unwrap();
                streams.push(client.try_clone().unwrap());
                streams.push(server.try_clone().unwrap());
                for (mut from, mut to) in [
                    (client.try_clone().unwrap(), server.try_clone().unwrap()),
                    (server, client),
                ] {
                    std::thread::spawn(move || {
                        let _ = copy(&mut from, &mut to);
                        let _ = to.shutdown(Shutdown::Both);
                    });
                }
            }
        });
        Self { port, up, open }
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for stream in self.open.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

/// `url` with its host and port replaced by the relay's.
fn through(url: &str, port: u16) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (authority, path) = rest.split_once('/').unwrap();
    let user = authority.rsplit_once('@').map(|(u, _)| format!("{u}@"));
    format!(
        "{scheme}://{}127.0.0.1:{port}/{path}",
        user.unwrap_or_default()
    )
}

fn target(url: &str) -> SocketAddr {
    let rest = url.split_once("://").unwrap().1;
    let authority = rest.split('/').next().unwrap();
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host.contains(':') {
        host.to_owned()
    } else {
        format!("{host}:5432")
    };
    std::net::ToSocketAddrs::to_socket_addrs(&host.replace("localhost", "127.0.0.1"))
        .unwrap()
        .next()
        .unwrap()
}

#[actix_web::test]
async fn an_outage_is_a_fast_503_and_the_hub_recovers() {
    let Some(db) = hub_testkit::PgDatabase::create() else {
        return;
    };
    let relay = Relay::start(target(&db.url));
    let url = DatabaseUrl::parse(&through(&db.url, relay.port)).unwrap();
    let options = StoreOptions {
        pool_size: Some(4),
        connect_timeout: Duration::from_secs(2),
        ..StoreOptions::default()
    };
    let store = DieselStore::open_with(&url, options).unwrap();
    let admin = db.url.clone();
    let app = TestApp::over(store, Box::new(db)).await;
    app.create("/api/tenants", seed::tenant()).await;

    // Cut: every call a 503 in its area's format, promptly; not ready within 2 s.
    relay.cut();
    for _ in 0..3 {
        let started = Instant::now();
        app.get("/api/tenants")
            .await
            .assert_error(503, "SERVICE_UNAVAILABLE");
        assert!(
            started.elapsed() < Duration::from_secs(4),
            "{:?}",
            started.elapsed()
        );
    }
    app.post(
        "/api/inventories",
        json!({ "name": "x", "config": "h ansible_connection=local" }),
    )
    .await
    .assert_failure(503, "SERVICE_UNAVAILABLE");
    let started = Instant::now();
    let ready = app
        .send(actix_web::test::TestRequest::get().uri("/readyz"))
        .await;
    assert_eq!(ready.status.as_u16(), 503);
    assert!(
        started.elapsed() <= Duration::from_millis(2100),
        "{:?}",
        started.elapsed()
    );

    // Back: served again without a restart.
    relay.restore();
    let deadline = Instant::now() + Duration::from_secs(15);
    while app.get("/api/tenants").await.status.as_u16() != 200 {
        assert!(Instant::now() < deadline, "the hub did not recover");
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    let ready = app
        .send(actix_web::test::TestRequest::get().uri("/readyz"))
        .await;
    assert_eq!(ready.status.as_u16(), 200);

    // Backends killed while requests run: 200 or 503, never anything else.
    let name = admin.rsplit('/').next().unwrap().to_owned();
    let admin_url = admin.replace(&format!("/{name}"), "/postgres");
    let storm = std::thread::spawn(move || {
        let mut conn = PgConnection::establish(&admin_url).unwrap();
        let until = Instant::now() + Duration::from_secs(2);
        let mut killed = 0_usize;
        while Instant::now() < until {
            killed += diesel::sql_query(format!(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            ))
            .execute(&mut conn)
            .unwrap();
            std::thread::sleep(Duration::from_millis(30));
        }
        killed
    });
    let mut answers = std::collections::BTreeMap::new();
    while !storm.is_finished() {
        let reply = app.get("/api/tenants").await;
        *answers.entry(reply.status.as_u16()).or_insert(0) += 1;
        assert!(matches!(reply.status.as_u16(), 200 | 503), "{}", reply.body);
    }
    let killed = storm.join().unwrap();
    assert!(killed > 0, "the storm killed no backend");
    eprintln!("during the storm: {answers:?}, {killed} backend(s) terminated");
    // After it, every call is served (a connection killed while idle is replaced).
    for _ in 0..20 {
        let reply = app.get("/api/tenants").await;
        assert!(
            matches!(reply.status.as_u16(), 200),
            "after the storm: {} {}",
            reply.status,
            reply.body
        );
    }
}
