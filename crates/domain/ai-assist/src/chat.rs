//! The chat model port: an OpenAI-style list of messages in, the answer's text out.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatRole {
    System,
    User,
    Assistant,
}

impl ChatRole {
    /// The role as OpenAI's chat API writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            ChatRole::System => "system",
            ChatRole::User => "user",
            ChatRole::Assistant => "assistant",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatMessage {
    pub role: ChatRole,
    pub content: String,
}

impl ChatMessage {
    pub fn new(role: ChatRole, content: impl Into<String>) -> Self {
        Self {
            role,
            content: content.into(),
        }
    }
}

/// Why the model gave no answer. Every kind is the service being unavailable to the
/// client; the kinds exist for logs and metrics, and each message names the setting to
/// check (`HUB_LLM_BASE_URL`, `HUB_LLM_MODEL`, `HUB_LLM_API_KEY`, `HUB_LLM_TIMEOUT_SECS`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatError {
    /// No model is configured.
    NotConfigured(String),
    /// The model's server could not be reached.
    Unreachable(String),
    /// No answer within the timeout.
    Timeout(String),
    /// The server refused or failed (status 4xx/5xx, 429 past the one retry).
    Refused(String),
    /// The server answered something that is not a chat completion.
    Malformed(String),
}

impl fmt::Display for ChatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (kind, text) = match self {
            ChatError::NotConfigured(t) => ("not configured", t),
            ChatError::Unreachable(t) => ("unreachable", t),
            ChatError::Timeout(t) => ("timed out", t),
            ChatError::Refused(t) => ("refused", t),
            ChatError::Malformed(t) => ("malformed answer", t),
        };
        write!(f, "the AI model is {kind}: {text}")
    }
}

impl std::error::Error for ChatError {}

/// A chat model. Synchronous and object-safe: adapters may block (an HTTP call); the
/// application runs them off its async threads.
#[cfg_attr(test, mockall::automock)]
pub trait ChatModel: Send + Sync {
    /// The model's answer to `messages` (system prompt first, then the conversation in
    /// order, the new question last). Errors: a [`ChatError`] of the kind that happened;
    /// an answer without text is [`ChatError::Malformed`].
    fn complete(&self, messages: &[ChatMessage]) -> Result<String, ChatError>;
}
