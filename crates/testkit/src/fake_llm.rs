//! A local HTTP server speaking OpenAI's chat completions API (`POST …/chat/completions`),
//! for tests of the chat model adapter and of the AI endpoints: a real socket on a loopback
//! port, scripted answers, and every request it received kept for assertions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One scripted answer.
#[derive(Debug, Clone)]
pub enum Reply {
    /// 200 with a chat completion whose message content is the text.
    Answer(String),
    /// This status, with `Retry-After` when given, and a small JSON error body.
    Status(u16, Option<String>),
    /// 200 with this body as is (for malformed answers).
    Raw(String),
    /// Reads the request and never answers (the connection stays open for a minute).
    Hang,
    /// 200 answering `echo: ` and the last user message, after `delay`.
    Echo(Duration),
}

/// One request the server received.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Value,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The `messages` of the request: (role, content) pairs.
    pub fn messages(&self) -> Vec<(String, String)> {
        self.body["messages"]
            .as_array()
            .map(|all| {
                all.iter()
                    .map(|m| {
                        (
                            m["role"].as_str().unwrap_or_default().to_owned(),
                            m["content"].as_str().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[derive(Debug, Default)]
struct Shared {
    script: Mutex<VecDeque<Reply>>,
    received: Mutex<Vec<Received>>,
    stop: AtomicBool,
}

/// The server; it stops when dropped.
#[derive(Debug)]
pub struct FakeLlm {
    port: u16,
    shared: Arc<Shared>,
    default: Reply,
}

impl FakeLlm {
    /// Starts a server that answers `default` once its script is used up.
    pub fn start(default: Reply) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let port = listener.local_addr().expect("its address").port();
        let shared = Arc::new(Shared::default());
        let server = Arc::clone(&shared);
        let fallback = default.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if server.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let server = Arc::clone(&server);
                let fallback = fallback.clone();
                std::thread::spawn(move || serve(stream, &server, fallback));
            }
        });
        Self {
            port,
            shared,
            default,
        }
    }

    /// Queues answers for the next requests, in order.
    pub fn then(&self, reply: Reply) -> &Self {
        self.shared.script.lock().unwrap().push_back(reply);
        self
    }

    /// The base URL clients are configured with (`HUB_LLM_BASE_URL`).
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    /// Every request received so far, in order.
    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    pub fn default_reply(&self) -> &Reply {
        &self.default
    }
}

impl Drop for FakeLlm {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// A base URL on which nothing listens: connections are refused.
pub fn refusing_base_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let port = listener.local_addr().expect("its address").port();
    drop(listener);
    format!("http://127.0.0.1:{port}/v1")
}

fn read_request(stream: &TcpStream) -> Option<Received> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let path = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Received {
        method,
        path,
        headers,
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
    })
}

fn respond(mut stream: TcpStream, status: u16, extra: &str, body: &str) {
    let reason = match status {
        200 => "OK",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
    let _ = stream.flush();
}

fn serve(stream: TcpStream, shared: &Shared, fallback: Reply) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Some(request) = read_request(&stream) else {
        return;
    };
    let model = request.body["model"].clone();
    let last_user = request
        .messages()
        .into_iter()
        .rev()
        .find(|(role, _)| role == "user")
        .map(|(_, text)| text)
        .unwrap_or_default();
    shared.received.lock().unwrap().push(request);
    let reply = shared
        .script
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or(fallback);
    let reply = match reply {
        Reply::Echo(delay) => {
            std::thread::sleep(delay);
            Reply::Answer(format!("echo: {last_user}"))
        }
        other => other,
    };
    match reply {
        Reply::Echo(_) => {}
        Reply::Answer(text) => {
            let body = json!({
                "id": "chatcmpl-test",
                "object": "chat.completion",
                "model": model,
                "choices": [{
                    "index": 0,
                    "message": { "role": "assistant", "content": text },
                    "finish_reason": "stop"
                }]
            });
            respond(stream, 200, "", &body.to_string());
        }
        Reply::Status(status, retry_after) => {
            let extra = retry_after
                .map(|s| format!("Retry-After: {s}\r\n"))
                .unwrap_or_default();
            let body = json!({ "error": { "message": "scripted failure", "type": "test" } });
            respond(stream, status, &extra, &body.to_string());
        }
        Reply::Raw(body) => respond(stream, 200, "", &body),
        Reply::Hang => std::thread::sleep(Duration::from_secs(60)),
    }
}
