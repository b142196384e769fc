#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use ai_assist::ChatRole;
use hub_testkit::fake_llm::{FakeLlm, Reply, refusing_base_url};

fn model(base_url: &str, timeout: Duration) -> OpenAiChatModel {
    OpenAiChatModel::new(LlmHttpConfig {
        timeout,
        api_key: Some(ApiKey::new("sk-test-secret")),
        ..LlmHttpConfig::new(base_url, "test-model")
    })
}

fn ask() -> Vec<ChatMessage> {
    vec![
        ChatMessage::new(ChatRole::System, "be brief"),
        ChatMessage::new(ChatRole::User, "hello"),
    ]
}

#[test]
fn an_answer_comes_back_and_the_request_is_openais() {
    let server = FakeLlm::start(Reply::Answer("Hi there.".into()));
    let answer = model(&server.base_url(), DEFAULT_TIMEOUT).complete(&ask());
    assert_eq!(answer, Ok("Hi there.".to_owned()));
    let received = server.received();
    assert_eq!(received.len(), 1);
    let r = &received[0];
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("POST", "/v1/chat/completions")
    );
    assert_eq!(r.header("authorization"), Some("Bearer sk-test-secret"));
    assert_eq!(r.body["model"], "test-model");
    assert!((r.body["temperature"].as_f64().unwrap() - 0.2).abs() < 1e-6);
    assert_eq!(r.body["max_tokens"], DEFAULT_MAX_TOKENS);
    assert_eq!(
        r.messages(),
        vec![
            ("system".to_owned(), "be brief".to_owned()),
            ("user".to_owned(), "hello".to_owned())
        ]
    );
}

#[test]
fn without_a_key_no_authorization_is_sent() {
    let server = FakeLlm::start(Reply::Answer("ok".into()));
    let model = OpenAiChatModel::new(LlmHttpConfig::new(server.base_url() + "/", "m"));
    assert_eq!(model.complete(&ask()), Ok("ok".to_owned()));
    assert_eq!(server.received()[0].header("authorization"), None);
    assert_eq!(server.received()[0].path, "/v1/chat/completions");
}

#[test]
fn a_refused_connection_names_the_base_url_setting() {
    let e = model(&refusing_base_url(), DEFAULT_TIMEOUT).complete(&ask());
    match e {
        Err(ChatError::Unreachable(m)) => assert!(m.contains("HUB_LLM_BASE_URL"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_server_error_is_retried_once() {
    let server = FakeLlm::start(Reply::Status(500, Some("0".into())));
    let e = model(&server.base_url(), DEFAULT_TIMEOUT).complete(&ask());
    assert!(matches!(e, Err(ChatError::Refused(m)) if m.contains("500")));
    assert_eq!(server.received().len(), 2);
    let server = FakeLlm::start(Reply::Answer("second time lucky".into()));
    server.then(Reply::Status(503, Some("0".into())));
    let answer = model(&server.base_url(), DEFAULT_TIMEOUT).complete(&ask());
    assert_eq!(answer, Ok("second time lucky".to_owned()));
}

#[test]
fn a_rate_limit_is_waited_out_once_when_it_fits_in_the_timeout() {
    let server = FakeLlm::start(Reply::Answer("after the wait".into()));
    server.then(Reply::Status(429, Some("1".into())));
    let started = Instant::now();
    let answer = model(&server.base_url(), Duration::from_secs(10)).complete(&ask());
    assert_eq!(answer, Ok("after the wait".to_owned()));
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(server.received().len(), 2);
    // A wait past the timeout is not waited: the call fails at once.
    let server = FakeLlm::start(Reply::Answer("never".into()));
    server.then(Reply::Status(429, Some("120".into())));
    let started = Instant::now();
    let e = model(&server.base_url(), Duration::from_secs(5)).complete(&ask());
    assert!(matches!(e, Err(ChatError::Refused(m)) if m.contains("429")));
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(server.received().len(), 1);
}

#[test]
fn a_server_that_never_answers_times_out() {
    let server = FakeLlm::start(Reply::Hang);
    let started = Instant::now();
    let e = model(&server.base_url(), Duration::from_millis(700)).complete(&ask());
    assert!(
        matches!(&e, Err(ChatError::Timeout(m)) if m.contains("HUB_LLM_TIMEOUT_SECS")),
        "{e:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn every_call_carries_its_max_tokens() {
    let server = FakeLlm::start(Reply::Answer("K".into()));
    let capped = OpenAiChatModel::new(LlmHttpConfig {
        max_tokens: 1,
        ..LlmHttpConfig::new(server.base_url(), "m")
    });
    assert_eq!(capped.complete(&ask()), Ok("K".to_owned()));
    assert_eq!(server.received()[0].body["max_tokens"], 1);
}

/// A listener that takes one connection, reads what the client sends, and never answers;
/// it reports how long after the client's first byte the client closed the connection.
fn silent_listener() -> (String, std::sync::mpsc::Receiver<Option<Duration>>) {
    use std::io::Read;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}/v1", listener.local_addr().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        socket
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut buf = [0_u8; 4096];
        let mut first = None;
        let closed = loop {
            match socket.read(&mut buf) {
                Ok(0) => break first.map(|t: Instant| t.elapsed()),
                Ok(_) => {
                    first.get_or_insert_with(Instant::now);
                }
                // Still open when the read gave up: the client kept the connection.
                Err(_) => break None,
            }
        };
        let _ = tx.send(closed);
    });
    (base, rx)
}

#[test]
fn a_call_that_times_out_closes_its_connection_so_the_server_can_stop_generating() {
    let (base, closed) = silent_listener();
    let e = model(&base, Duration::from_millis(500)).complete(&ask());
    assert!(matches!(e, Err(ChatError::Timeout(_))), "{e:?}");
    let after = closed
        .recv_timeout(Duration::from_secs(15))
        .expect("the listener reports")
        .expect("the client closed the connection");
    assert!(after < Duration::from_secs(3), "closed after {after:?}");
}

#[test]
fn garbage_is_malformed() {
    for body in [
        "not json",
        "{\"choices\": []}",
        "{\"choices\": [{\"message\": {\"content\": null}}]}",
    ] {
        let server = FakeLlm::start(Reply::Raw(body.into()));
        let e = model(&server.base_url(), DEFAULT_TIMEOUT).complete(&ask());
        assert!(matches!(e, Err(ChatError::Malformed(_))), "{body}: {e:?}");
    }
}

#[test]
fn the_key_is_never_shown() {
    let model = model("http://127.0.0.1:1/v1", DEFAULT_TIMEOUT);
    let shown = format!("{model:?}");
    assert!(!shown.contains("sk-test-secret"), "{shown}");
    assert!(shown.contains("<hidden>"));
    let e = model.complete(&ask()).unwrap_err().to_string();
    assert!(!e.contains("sk-test-secret"), "{e}");
}

#[test]
fn an_unconfigured_model_says_what_to_set() {
    let e = UnconfiguredChatModel::new("HUB_LLM_BASE_URL").complete(&ask());
    assert!(matches!(e, Err(ChatError::NotConfigured(m)) if m.contains("HUB_LLM_BASE_URL")));
}
