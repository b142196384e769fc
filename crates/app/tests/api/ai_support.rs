//! Test apps whose assistant talks to a real loopback server speaking OpenAI's chat API
//! (`hub_testkit::fake_llm`), through the real `llm-http` adapter and the real syntax check.

use crate::support::{TestApp, state};
use ai_assist::{AssistSettings, ChatModel};
use llm_http::{ApiKey, LlmHttpConfig, OpenAiChatModel};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use store_diesel::{DatabaseUrl, DieselStore};

pub use hub_testkit::fake_llm::{FakeLlm, Reply, refusing_base_url};

/// The API key the test apps send.
pub const LLM_KEY: &str = "sk-hub-test-key";

/// Which store a test runs on.
#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// How a test app's assistant is set up.
#[derive(Debug, Clone)]
pub struct AiSetup {
    pub base_url: String,
    pub timeout: Duration,
    pub context_chars: usize,
}

impl AiSetup {
    pub fn at(base_url: String) -> Self {
        Self {
            base_url,
            timeout: Duration::from_secs(20),
            context_chars: ai_assist::DEFAULT_CONTEXT_CHARS,
        }
    }

    pub fn model(&self) -> Arc<dyn ChatModel> {
        Arc::new(OpenAiChatModel::new(LlmHttpConfig {
            api_key: Some(ApiKey::new(LLM_KEY)),
            timeout: self.timeout,
            ..LlmHttpConfig::new(&self.base_url, "hub-test-model")
        }))
    }
}

/// The app on a fresh store of `backend` with the assistant of `setup`; `None` (after a
/// loud skip line) when PostgreSQL is wanted and none is reachable or required.
pub async fn ai_app(backend: Backend, setup: &AiSetup) -> Option<TestApp> {
    let (url, guard): (String, Box<dyn std::any::Any>) = match backend {
        Backend::Sqlite => {
            let file = hub_testkit::SqliteFile::create();
            (file.url.clone(), Box::new(file))
        }
        Backend::Postgres => {
            let db = hub_testkit::PgDatabase::create()?;
            (db.url.clone(), Box::new(db))
        }
    };
    let store = DieselStore::open(&DatabaseUrl::parse(&url).unwrap(), Some(8)).unwrap();
    let mut state = state(&store);
    state.ai.assistant = control_hub::assistant_service(
        store.clone(),
        setup.model(),
        control_hub::syntax_check("ansible-playbook".into(), Duration::from_secs(60)),
        AssistSettings {
            context_chars: setup.context_chars,
        },
    );
    Some(TestApp::with_state(store, guard, state).await)
}

/// Whether ansible-playbook is on PATH; a loud skip (or a failure under
/// `HUB_REQUIRE_ANSIBLE=1`) when not.
pub fn ansible_installed() -> bool {
    let found = std::process::Command::new("ansible-playbook")
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        hub_testkit::unavailable("HUB_REQUIRE_ANSIBLE", "ansible-playbook", "not on PATH");
    }
    found
}

impl TestApp {
    /// `POST /api/ai/messages` with `message` and an optional conversation id.
    pub async fn ask(&self, message: &str, conversation: Option<&str>) -> crate::support::Reply {
        let context = match conversation {
            Some(id) => json!({ "conversation_id": id }),
            None => json!({}),
        };
        self.post(
            "/api/ai/messages",
            json!({ "message": message, "context": context }),
        )
        .await
    }

    /// How many conversations are stored.
    pub async fn conversation_count(&self) -> u64 {
        let reply = self.get("/api/ai/conversations?per_page=100").await;
        reply.assert_status(200);
        reply.body["data"]["pagination"]["total"].as_u64().unwrap()
    }

    /// The stored messages of a conversation, as `GET` shows them.
    pub async fn stored_messages(&self, id: &str) -> Vec<Value> {
        let reply = self.get(&format!("/api/ai/conversations/{id}")).await;
        reply.assert_status(200);
        reply.body["data"]["messages"].as_array().unwrap().clone()
    }
}

/// Defines a test that runs once on SQLite and once on PostgreSQL: `$backend` is which.
#[macro_export]
macro_rules! ai_test {
    ($name:ident, |$backend:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[actix_web::test]
            async fn sqlite() {
                let $backend = $crate::ai_support::Backend::Sqlite;
                $body
            }

            #[actix_web::test]
            async fn postgres() {
                let $backend = $crate::ai_support::Backend::Postgres;
                $body
            }
        }
    };
}
