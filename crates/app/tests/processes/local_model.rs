//! The assistant on a real local model: the `control-hub` binary against llama-cpp-python's
//! OpenAI-compatible server with Gemma 3 270M (`hub_testkit::local_model`), one server shared
//! by the suite. The model is a tiny base model and answers poorly: these tests assert the
//! plumbing and the invariants (an answer is stored, only valid playbooks are offered, the
//! history is sent, a timeout stores nothing), never the quality of what it says.
//!
//! Skipped loudly where the model is not installed (`.ci/local-model` installs it); a
//! failure instead under `HUB_REQUIRE_LOCAL_MODEL=1`.

use crate::server::{Server, Setup, TOKEN};
use hub_testkit::local_model::{LocalModel, RecordingProxy};
use serde_json::{Value, json};
use std::path::Path;
use std::time::{Duration, Instant};

/// What a turn may take here: the hub's `HUB_LLM_TIMEOUT_SECS` for the answering tests.
const TURN_LIMIT_SECS: u64 = 120;

/// A hub on SQLite whose assistant is the model at `base_url`.
fn hub(dir: &Path, base_url: &str, timeout_secs: u64, max_tokens: u32) -> Server {
    let setup = Setup::new(&dir.join("data"), None)
        .with("HUB_LLM_BASE_URL", base_url)
        .with("HUB_LLM_MODEL", "gemma3-270m")
        .with("HUB_LLM_TIMEOUT_SECS", &timeout_secs.to_string())
        .with("HUB_LLM_MAX_TOKENS", &max_tokens.to_string());
    Server::start(&setup, "hub")
}

/// `POST /api/ai/messages`, waiting as long as a turn may take (the server's own client
/// gives up after 30 s).
fn ask(server: &Server, message: &str, conversation: Option<&str>) -> (u16, Value) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(TURN_LIMIT_SECS + 30)))
        .build()
        .into();
    let context = conversation.map_or_else(|| json!({}), |id| json!({ "conversation_id": id }));
    let mut response = agent
        .post(format!("{}/api/ai/messages", server.base))
        .header("Authorization", format!("Bearer {TOKEN}"))
        .send_json(json!({ "message": message, "context": context }))
        .expect("the hub answers");
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().expect("a body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// A 200 turn's `data`, with the shape every answer has whatever the model said.
fn answered(server: &Server, reply: &(u16, Value), message: &str) -> Value {
    let (status, body) = reply;
    assert_eq!(*status, 200, "{body}\n{}", server.log());
    assert_eq!(body["success"], true, "{body}");
    let data = body["data"].clone();
    assert!(
        data["conversationId"]
            .as_str()
            .is_some_and(|id| id.starts_with("conv-")),
        "{data}"
    );
    assert_eq!(data["userMessage"]["text"], message, "{data}");
    assert_eq!(data["userMessage"]["isUser"], true, "{data}");
    assert_eq!(data["aiResponse"]["isUser"], false, "{data}");
    let text = data["aiResponse"]["text"].as_str().unwrap_or_default();
    assert!(
        !text.trim().is_empty(),
        "an empty answer was stored: {data}"
    );
    assert!(data["suggestedActions"].is_array(), "{data}");
    let replies = &data["quickReplies"];
    assert!(
        *replies == json!([]) || *replies == json!(["Yes", "No"]),
        "{data}"
    );
    data
}

/// The stored messages of a conversation: (isUser, text).
fn stored(server: &Server, id: &str) -> Vec<(bool, String)> {
    let (status, body) = server.get(&format!("/api/ai/conversations/{id}"));
    assert_eq!(status, 200, "{body}");
    body["data"]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["isUser"].as_bool().unwrap(),
                m["text"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The (role, content) pairs of a chat request's `messages`.
fn messages(body: &Value) -> Vec<(String, String)> {
    body["messages"]
        .as_array()
        .unwrap_or_else(|| panic!("no messages in {body}"))
        .iter()
        .map(|m| {
            (
                m["role"].as_str().unwrap_or_default().to_owned(),
                m["content"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_message_is_answered_and_stored_within_the_limit() {
    let Some(model) = LocalModel::shared() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let server = hub(dir.path(), &model.base_url(), TURN_LIMIT_SECS, 64);
    let message = "Hello! In one sentence, what is Ansible?";
    let started = Instant::now();
    let reply = ask(&server, message, None);
    let took = started.elapsed();
    let data = answered(&server, &reply, message);
    assert!(took < Duration::from_secs(TURN_LIMIT_SECS), "{took:?}");
    let id = data["conversationId"].as_str().unwrap();
    let answer = data["aiResponse"]["text"].as_str().unwrap().to_owned();
    assert_eq!(
        stored(&server, id),
        vec![(true, message.to_owned()), (false, answer)]
    );
    eprintln!("local model answered in {took:?}");
}

#[test]
fn only_a_valid_playbook_is_ever_offered() {
    let Some(model) = LocalModel::shared() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // Room for a fenced block, should the model write one.
    let server = hub(dir.path(), &model.base_url(), TURN_LIMIT_SECS, 192);
    let message = "Write an Ansible playbook in a ```yaml block that installs nginx on all hosts.";
    let reply = ask(&server, message, None);
    let data = answered(&server, &reply, message);
    let text = data["aiResponse"]["text"].as_str().unwrap();
    let actions = data["suggestedActions"].as_array().unwrap();
    if !text.contains("```") {
        assert!(actions.is_empty(), "no fenced block, yet: {data}");
    }
    for action in actions {
        assert_eq!(action["type"], "create_playbook", "{action}");
        let (status, created) = server.post("/api/playbooks", &action["data"]);
        assert_eq!(
            status, 201,
            "an offered playbook was refused: {created}\n{action}"
        );
    }
    eprintln!(
        "local model: {} suggestion(s) offered for:\n{text}",
        actions.len()
    );
}

#[test]
fn the_second_prompt_carries_the_first_turn() {
    let Some(model) = LocalModel::shared() else {
        return;
    };
    let proxy = RecordingProxy::start(model.port);
    let dir = tempfile::tempdir().unwrap();
    let server = hub(dir.path(), &proxy.base_url(), TURN_LIMIT_SECS, 32);
    let first = "My deployment host is called zebra-4711. Please remember that name.";
    let data = answered(&server, &ask(&server, first, None), first);
    let id = data["conversationId"].as_str().unwrap().to_owned();
    let first_answer = data["aiResponse"]["text"].as_str().unwrap().to_owned();
    let second = "What is my deployment host called?";
    let data = answered(&server, &ask(&server, second, Some(&id)), second);
    assert_eq!(data["conversationId"], id.as_str());

    let bodies = proxy.bodies();
    assert_eq!(bodies.len(), 2, "one model call per message: {bodies:?}");
    for body in &bodies {
        assert_eq!(
            body["max_tokens"], 32,
            "HUB_LLM_MAX_TOKENS reaches the model: {body}"
        );
    }
    let opening = messages(&bodies[0]);
    assert_eq!(opening[0].0, "system", "{opening:?}");
    assert_eq!(
        opening[1..],
        [("user".to_owned(), first.to_owned())],
        "the first prompt has no history"
    );
    let followup = messages(&bodies[1]);
    assert_eq!(followup[0].0, "system", "{followup:?}");
    assert_eq!(
        followup[1..],
        [
            ("user".to_owned(), first.to_owned()),
            ("assistant".to_owned(), first_answer),
            ("user".to_owned(), second.to_owned()),
        ],
        "the second prompt is the first turn, then the question"
    );
    assert_eq!(stored(&server, &id).len(), 4);
}

#[test]
fn a_timeout_leaves_nothing_stored() {
    // A server of its own: the generation the hub abandons would otherwise hold the shared
    // server (it answers one request at a time) long after this test.
    let Some(model) = LocalModel::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let server = hub(dir.path(), &model.base_url(), 1, 1024);
    let (status, started) = server.post("/api/ai/conversations", &json!({}));
    assert_eq!(status, 201, "{started}");
    let existing = started["data"]["conversationId"]
        .as_str()
        .unwrap()
        .to_owned();
    // A base model goes on with a sequence: far more than a second's worth of tokens.
    let long = "Count from 1 to 2000, one number per line, leaving none out:\n1\n2\n3\n4\n5\n";
    for conversation in [None, Some(existing.as_str())] {
        let begun = Instant::now();
        let (status, body) = ask(&server, long, conversation);
        assert_eq!(status, 503, "{body}\n{}", server.log());
        assert_eq!(body["success"], false, "{body}");
        assert_eq!(body["error"]["code"], "AI_SERVICE_UNAVAILABLE", "{body}");
        assert!(
            begun.elapsed() < Duration::from_secs(15),
            "{:?}",
            begun.elapsed()
        );
    }
    let (status, list) = server.get("/api/ai/conversations?per_page=100");
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["data"]["pagination"]["total"], 1, "{list}");
    assert_eq!(stored(&server, &existing), Vec::new());
    assert!(
        server.log().contains("HUB_LLM_TIMEOUT_SECS"),
        "the log names the setting:\n{}",
        server.log()
    );
    let pids = model.server_pids();
    assert!(!pids.is_empty(), "the model server's process is not found");
    drop(model);
    assert!(
        pids.iter()
            .all(|pid| !Path::new(&format!("/proc/{pid}")).exists()),
        "the model server outlived its owner: {pids:?}"
    );
}
