//! What the adapter needs from the hub's settings.

use std::fmt;
use std::time::Duration;

/// `HUB_LLM_TIMEOUT_SECS` when unset.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// `HUB_LLM_MAX_TOKENS` when unset: room for an explanation and a playbook, and a bound on
/// what one call may cost.
pub const DEFAULT_MAX_TOKENS: u32 = 1024;

/// Low: answers about infrastructure should be the same each time, not creative.
pub const DEFAULT_TEMPERATURE: f32 = 0.2;

/// An API key. It is sent as `Authorization: Bearer` and shown nowhere else: its `Debug`
/// and `Display` hide it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<hidden>)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<hidden>")
    }
}

/// `HUB_LLM_BASE_URL`, `HUB_LLM_MODEL`, `HUB_LLM_API_KEY`, `HUB_LLM_TIMEOUT_SECS`.
#[derive(Debug, Clone, PartialEq)]
pub struct LlmHttpConfig {
    /// The API's base, before `/chat/completions` (`http://127.0.0.1:11434/v1`).
    pub base_url: String,
    pub model: String,
    pub api_key: Option<ApiKey>,
    /// The whole call, its retry included.
    pub timeout: Duration,
    pub temperature: f32,
    /// The most tokens of one answer (`max_tokens`): every call carries it, so that a
    /// model never generates until its context is full.
    pub max_tokens: u32,
}

impl LlmHttpConfig {
    /// The defaults for a server and a model: no key, 60 s, temperature 0.2, 1024 tokens.
    pub fn new(base_url: impl Into<String>, model: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            model: model.into(),
            api_key: None,
            timeout: DEFAULT_TIMEOUT,
            temperature: DEFAULT_TEMPERATURE,
            max_tokens: DEFAULT_MAX_TOKENS,
        }
    }
}
