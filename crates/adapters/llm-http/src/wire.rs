//! OpenAI's chat completion bodies, as far as the hub uses them.

use super::config::LlmHttpConfig;
use ai_assist::ChatMessage;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde::Deserialize;
use serde_json::{Value, json};
use std::time::Duration;

pub(crate) fn request(config: &LlmHttpConfig, messages: &[ChatMessage]) -> Value {
    let messages: Vec<Value> = messages
        .iter()
        .map(|m| json!({ "role": m.role.as_str(), "content": m.content }))
        .collect();
    json!({
        "model": config.model,
        "messages": messages,
        "temperature": config.temperature,
        "max_tokens": config.max_tokens,
        "stream": false,
    })
}

#[derive(Deserialize)]
struct Completion {
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: AnswerMessage,
}

#[derive(Deserialize)]
struct AnswerMessage {
    content: Option<String>,
}

/// The first choice's text. Errors: why the body is not a completion with text.
pub(crate) fn answer(body: &str) -> Result<String, String> {
    let completion: Completion = serde_json::from_str(body).map_err(|e| e.to_string())?;
    let first = completion.choices.into_iter().next().ok_or("no choices")?;
    match first.message.content {
        Some(text) if !text.trim().is_empty() => Ok(text),
        _ => Err("the first choice has no text".to_owned()),
    }
}

/// `Retry-After` in seconds (the HTTP-date form is not read: the default pause applies).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let raw = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let secs: f64 = raw.parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(3600.0)))
}
