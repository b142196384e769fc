//! A job's event stream costs a bounded amount per follower, whatever the job printed: a
//! client that stops reading holds one batch, not the job's output (issue 19: 200 such
//! clients on a job with a big output took the server past 4 GB).

use crate::server::{Server, Setup, TOKEN, finished};
use serde_json::json;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::os::unix::fs::PermissionsExt;
use std::time::{Duration, Instant};

/// Followers that never read.
const STALLED: usize = 60;
/// What the job prints: 4 MiB of `x` in 100-byte lines (under the 8 MiB kept per playbook).
const PRINTED: usize = 4 * 1024 * 1024;

/// A stand-in for ansible-playbook that prints `PRINTED` bytes and succeeds.
fn loud_program(dir: &std::path::Path) -> std::path::PathBuf {
    let program = dir.join("loud-ansible-playbook");
    std::fs::write(
        &program,
        format!("#!/bin/sh\nhead -c {PRINTED} /dev/zero | tr '\\0' 'x' | fold -w 99\nexit 0\n"),
    )
    .unwrap();
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    program
}

/// The server's resident memory, in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// Opens the event stream and reads nothing: the request is sent, the answer left unread.
fn stalled_follower(base: &str, job: &str) -> TcpStream {
    let addr = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).unwrap();
    let request = format!(
        "GET /api/playbooks/jobs/{job}/events HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {TOKEN}\r\nAccept: text/event-stream\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).unwrap();
    stream
}

/// Reads the whole stream of a finished job; the output text it carried, in bytes.
fn read_all(base: &str, job: &str) -> (usize, String) {
    let addr = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let request = format!(
        "GET /api/playbooks/jobs/{job}/events HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {TOKEN}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let printed = text
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .filter_map(|d| serde_json::from_str::<serde_json::Value>(d).ok())
        .filter_map(|v| v["text"].as_str().map(str::len))
        .sum();
    (printed, text)
}

#[test]
fn on_sqlite_followers_that_stop_reading_cost_a_bounded_amount_each() {
    followers_that_stop_reading_cost_a_bounded_amount_each(None);
}

#[test]
fn on_postgres_followers_that_stop_reading_cost_a_bounded_amount_each() {
    let Some(db) = hub_testkit::PgDatabase::create() else {
        return;
    };
    followers_that_stop_reading_cost_a_bounded_amount_each(Some(db.url.clone()));
}

fn followers_that_stop_reading_cost_a_bounded_amount_each(database_url: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let program = loud_program(dir.path());
    let setup = Setup::new(&dir.path().join("data"), database_url)
        .with("HUB_ANSIBLE_PLAYBOOK", &program.display().to_string());
    let server = Server::start(&setup, "sse");
    let (status, inventory) = server.post(
        "/api/inventories",
        &json!({ "name": "loud", "config": "localhost ansible_connection=local\n" }),
    );
    assert_eq!(status, 201, "{inventory}");
    let playbook = server.playbook("name: ping\nansible.builtin.ping:\n");
    let job = server.execute(&playbook, &inventory["data"]["id"], json!({}));
    server.wait_job(&job, Duration::from_secs(60), finished);

    let before = rss_kib(server.pid());
    let stalled: Vec<TcpStream> = (0..STALLED)
        .map(|_| stalled_follower(&server.base, &job))
        .collect();
    // Give every stream time to take what it may: the old stream read 200 chunks at once,
    // here the whole 4 MiB, for each follower.
    let until = Instant::now() + Duration::from_secs(3);
    let mut peak = before;
    while Instant::now() < until {
        peak = peak.max(rss_kib(server.pid()));
        std::thread::sleep(Duration::from_millis(100));
    }
    let grew = peak.saturating_sub(before);
    eprintln!("{STALLED} stalled followers: RSS {before} -> {peak} KiB (+{grew})");
    // One batch is 64 KiB plus one chunk (at most 64 KiB of text, a little more as JSON),
    // and actix-web's write buffer: well under 1 MiB a follower.
    assert!(
        grew < (STALLED as u64) * 1024,
        "{STALLED} stalled followers grew the server by {grew} KiB ({before} -> {peak})"
    );

    // A follower that reads gets the whole output, and the end, meanwhile.
    let (printed, text) = read_all(&server.base, &job);
    assert!(printed >= PRINTED, "read {printed} of {PRINTED} bytes");
    assert!(text.contains("event: end"), "no end event");
    // And the server serves others meanwhile.
    let (status, _) = server.get("/api/hosts");
    assert_eq!(status, 200);
    drop(stalled);
}
