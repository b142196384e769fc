//! The AI assistant: conversations and their messages as the hub stores them, the chat
//! model port, the prompt the model sees (a system prompt, an inventory's groups and host
//! names — never a variable's value — and the history trimmed from its oldest turn), and
//! playbook suggestions that are offered only once they parse, render and pass Ansible's
//! syntax check.
//!
//! No I/O happens here: the model is an adapter's (`llm-http`), behind [`ChatModel`]; the
//! syntax check is `ansible-cli`'s, behind [`ansible_core::catalog::PlaybookSyntaxCheck`];
//! storage is `store-diesel`'s, behind [`ConversationRepository`].

mod chat;
mod error;
mod id;
mod model;
mod ports;
mod prompt;
mod replies;
mod rules;
mod service;
pub mod suggest;

#[cfg(feature = "memory")]
pub mod memory;

#[cfg(feature = "contract")]
pub mod contract;

pub use chat::{ChatError, ChatMessage, ChatModel, ChatRole};
pub use error::AssistError;
pub use id::{ConversationId, MessageId};
pub use model::{Author, Conversation, Message, NewConversation, NewTurn};
pub use ports::{ConversationRepository, ConversationStore, ConversationStoreError};
pub use prompt::{DEFAULT_CONTEXT_CHARS, InventorySummary, SYSTEM_PROMPT, build_prompt};
pub use replies::{YES_NO, asks_yes_no};
pub use rules::{MAX_MESSAGE_BYTES, MessageText, conversation_title};
pub use service::{
    AssistSettings, AssistantService, SendMessage, StartConversation, Transcript, TurnOutcome,
};

/// The conversation store contract on the in-memory store.
#[cfg(all(test, feature = "contract"))]
mod memory_contract {
    crate::conversation_contract_tests!(((), super::memory::MemoryConversations::new()));
}
