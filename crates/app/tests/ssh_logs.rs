//! Passwords and key passphrases never reach a log line: every event of an SSH test, at
//! every level, is captured (a test binary of its own, so that its global subscriber sees
//! the probe threads too) and searched for them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[allow(dead_code, unused_macros, unused_imports)]
#[path = "api/support.rs"]
mod support;

use hub_testkit::sshd::{KeyPair, Sshd, TEST_PASSWORD, TEST_USER};
use serde_json::json;
use std::io::Write;
use std::sync::Mutex;

static CAPTURED: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct Capture;

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        CAPTURED.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[actix_web::test]
async fn no_secret_of_an_ssh_test_is_logged() {
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(|| Capture)
        .with_ansi(false)
        .init();
    let key = KeyPair::generate(Some("Log-Secret-Phrase-32")).unwrap();
    let Some(server) = Sshd::start(&[&key.public]) else {
        return;
    };
    let app = support::TestApp::sqlite().await;
    let line = |name: &str, vars: String| {
        format!(
            "{name} ansible_host=127.0.0.1 ansible_port={} ansible_user={TEST_USER} {vars}\n",
            server.port
        )
    };
    let config = line("good", format!("ansible_ssh_pass={TEST_PASSWORD}"))
        + &line("badpw", "ansible_ssh_pass=Log-Secret-Pw-31".to_owned())
        + &line(
            "badphrase",
            format!(
                "ansible_ssh_private_key_file={} ansible_ssh_private_key_passphrase=Log-Wrong-Phrase-33",
                key.private.display()
            ),
        );
    let created = app
        .create(
            "/api/inventories",
            json!({ "name": "Logs", "config": config }),
        )
        .await;
    let id = created["data"]["id"].clone();
    let reply = app
        .post("/api/ssh/test", json!({ "inventoryIds": [id] }))
        .await;
    reply.assert_status(200);
    let codes: Vec<_> = reply.body["data"]["results"][0]["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["code"].clone())
        .collect();
    assert_eq!(
        codes,
        [
            json!("SSH_AUTHENTICATION_FAILED"),
            json!("SSH_AUTHENTICATION_FAILED"),
            json!(null)
        ]
    );
    let logged = String::from_utf8(CAPTURED.lock().unwrap().clone()).unwrap();
    assert!(
        logged.contains("SSH test done"),
        "nothing captured: {logged}"
    );
    for secret in [
        TEST_PASSWORD,
        "Log-Secret-Pw-31",
        "Log-Secret-Phrase-32",
        "Log-Wrong-Phrase-33",
    ] {
        assert!(!logged.contains(secret), "{secret} was logged:\n{logged}");
    }
}
