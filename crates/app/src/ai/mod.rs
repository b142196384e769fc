//! The AI assistant's routes (seed 002, DESIGN.md §3.6): send a message, start, read, list
//! and delete conversations, in the Ansible area's envelope with camelCase keys.

mod conversations;
mod messages;
pub mod model_pool;
mod time;
mod wire;

pub use model_pool::ModelPool;
pub use time::Timezone;

use crate::HubStore;
use crate::routes::RouteTable;
use ai_assist::{AssistSettings, AssistantService};
use std::sync::Arc;

/// The assistant, the threads its turns run on, and how its times are shown.
#[derive(Debug)]
pub struct AiState<S> {
    pub assistant: Arc<AssistantService<S, S>>,
    /// `HUB_LLM_CONCURRENCY`: turns wait on the model here, never on the blocking pool.
    pub model_pool: Arc<ModelPool>,
    /// `HUB_TIMEZONE`: the zone of each message's `time` (`6:30 pm`).
    pub timezone: Timezone,
}

impl<S> Clone for AiState<S> {
    fn clone(&self) -> Self {
        Self {
            assistant: Arc::clone(&self.assistant),
            model_pool: Arc::clone(&self.model_pool),
            timezone: self.timezone,
        }
    }
}

impl<S: ai_assist::ConversationStore + ansible_core::catalog::CatalogStore> AiState<S> {
    /// An assistant with no model configured (every message is 503) and the real syntax
    /// check, the default model pool, times in UTC: for embeddings and tests that do not
    /// talk to a model.
    pub fn unconfigured(store: S) -> Self {
        Self {
            assistant: crate::assistant_service(
                store,
                Arc::new(llm_http::UnconfiguredChatModel::new(
                    "HUB_LLM_BASE_URL and HUB_LLM_MODEL",
                )),
                crate::syntax_check(
                    "ansible-playbook".into(),
                    std::time::Duration::from_secs(30),
                ),
                AssistSettings::default(),
            ),
            model_pool: Arc::new(ModelPool::new(model_pool::DEFAULT_THREADS)),
            timezone: Timezone::utc(),
        }
    }
}

/// Adds the AI routes to the table.
pub fn register<S: HubStore>(table: &mut RouteTable) {
    messages::register::<S>(table);
    conversations::register::<S>(table);
}
