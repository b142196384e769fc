//! The chat model port ([`ai_assist::ChatModel`]) on an OpenAI-compatible HTTP API:
//! `POST {base}/chat/completions` with `model`, `messages`, `temperature` and `max_tokens`, as OpenAI,
//! vLLM, llama.cpp's server and Ollama's `/v1` all take it.
//!
//! Each call runs on a thread of its own with a blocking client made for it, so that the
//! caller may be any thread (the app's blocking pool runs it; reqwest's blocking client
//! must never meet an async runtime's context). One retry on 429 and 5xx, after the
//! server's `Retry-After` (seconds) when that still fits in the timeout.

mod config;
mod wire;

pub use config::{ApiKey, DEFAULT_MAX_TOKENS, DEFAULT_TEMPERATURE, DEFAULT_TIMEOUT, LlmHttpConfig};

use ai_assist::{ChatError, ChatMessage, ChatModel};
use reqwest::StatusCode;
use reqwest::blocking::{Client, Response};
use std::time::{Duration, Instant};

/// The pause before the retry when the server names none.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);

/// The most of an error body quoted in a message.
const MAX_QUOTED: usize = 300;

/// A chat model behind an OpenAI-compatible server.
#[derive(Debug, Clone)]
pub struct OpenAiChatModel {
    config: LlmHttpConfig,
}

impl OpenAiChatModel {
    pub fn new(config: LlmHttpConfig) -> Self {
        Self { config }
    }

    fn endpoint(&self) -> String {
        format!(
            "{}/chat/completions",
            self.config.base_url.trim_end_matches('/')
        )
    }

    fn send(
        &self,
        client: &Client,
        body: &serde_json::Value,
        within: Duration,
    ) -> Result<Response, ChatError> {
        let mut request = client.post(self.endpoint()).json(body).timeout(within);
        if let Some(key) = &self.config.api_key {
            request = request.bearer_auth(key.expose());
        }
        request.send().map_err(|e| self.transport(&e))
    }

    /// A failure below HTTP, said in terms of the setting to check.
    fn transport(&self, e: &reqwest::Error) -> ChatError {
        if e.is_timeout() {
            return self.timed_out();
        }
        let cause = std::error::Error::source(e)
            .map(ToString::to_string)
            .unwrap_or_else(|| e.to_string());
        ChatError::Unreachable(format!(
            "cannot reach {} (check HUB_LLM_BASE_URL): {cause}",
            self.endpoint()
        ))
    }

    fn timed_out(&self) -> ChatError {
        ChatError::Timeout(format!(
            "no answer from {} within {} s (HUB_LLM_TIMEOUT_SECS)",
            self.endpoint(),
            self.config.timeout.as_secs_f32()
        ))
    }

    fn refused(&self, status: StatusCode, body: &str) -> ChatError {
        let hint = match status.as_u16() {
            401 | 403 => "check HUB_LLM_API_KEY",
            404 => "check HUB_LLM_BASE_URL (it ends before /chat/completions) and HUB_LLM_MODEL",
            400 | 422 => "check HUB_LLM_MODEL",
            429 => "rate-limited past the one retry",
            _ => "the model server failed",
        };
        let quoted: String = body.chars().take(MAX_QUOTED).collect();
        ChatError::Refused(format!(
            "{} answered {status} ({hint}): {quoted}",
            self.endpoint()
        ))
    }

    /// The whole exchange, with its one retry, within the timeout.
    fn exchange(&self, messages: &[ChatMessage]) -> Result<String, ChatError> {
        let deadline = Instant::now() + self.config.timeout;
        let client = Client::builder()
            .timeout(self.config.timeout)
            .build()
            .map_err(|e| ChatError::NotConfigured(format!("the HTTP client cannot start: {e}")))?;
        let body = wire::request(&self.config, messages);
        let mut retried = false;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(self.timed_out());
            }
            let response = self.send(&client, &body, left)?;
            let status = response.status();
            let retry_after = wire::retry_after(response.headers());
            let text = response.text().map_err(|e| self.transport(&e))?;
            if status.is_success() {
                return wire::answer(&text).map_err(|why| {
                    ChatError::Malformed(format!(
                        "{} answered 200 but not a chat completion: {why}",
                        self.endpoint()
                    ))
                });
            }
            let retryable = status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
            let pause = retry_after.unwrap_or(DEFAULT_RETRY_AFTER);
            if retryable && !retried && Instant::now() + pause < deadline {
                retried = true;
                std::thread::sleep(pause);
                continue;
            }
            return Err(self.refused(status, &text));
        }
    }
}

impl ChatModel for OpenAiChatModel {
    fn complete(&self, messages: &[ChatMessage]) -> Result<String, ChatError> {
        std::thread::scope(|scope| {
            scope
                .spawn(|| self.exchange(messages))
                .join()
                .unwrap_or_else(|_| {
                    Err(ChatError::Unreachable(
                        "the HTTP call to the model panicked".to_owned(),
                    ))
                })
        })
    }
}

/// A model that is not configured: every call says which settings are missing.
#[derive(Debug, Clone)]
pub struct UnconfiguredChatModel {
    missing: String,
}

impl UnconfiguredChatModel {
    /// `missing` names the settings to set, e.g. `HUB_LLM_BASE_URL and HUB_LLM_MODEL`.
    pub fn new(missing: impl Into<String>) -> Self {
        Self {
            missing: missing.into(),
        }
    }
}

impl ChatModel for UnconfiguredChatModel {
    fn complete(&self, _messages: &[ChatMessage]) -> Result<String, ChatError> {
        Err(ChatError::NotConfigured(format!(
            "no AI model is configured: set {}",
            self.missing
        )))
    }
}

#[cfg(test)]
mod tests;
