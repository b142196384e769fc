//! The AI routes' bodies, as they are sent and described: camelCase, messages with `time`.

use super::time::Timezone;
use ai_assist::suggest::{PlaybookSuggestion, Suggestion};
use ai_assist::{Conversation, Message, TurnOutcome};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

/// One message: `time` is the clock time in `HUB_TIMEZONE` (`6:30 pm`).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageOut {
    /// `msg-` and 32 hex digits.
    pub id: String,
    pub text: String,
    pub time: String,
    pub is_user: bool,
    pub created_at: DateTime<Utc>,
}

impl MessageOut {
    pub fn new(m: &Message, zone: Timezone) -> Self {
        Self {
            id: m.id.to_string(),
            text: m.text.clone(),
            time: zone.clock_time(m.created_at),
            is_user: m.is_user(),
            created_at: m.created_at,
        }
    }
}

/// A conversation with its messages in order.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConversationOut {
    /// `conv-` and 32 hex digits.
    pub conversation_id: String,
    pub title: String,
    pub inventory_id: Option<i64>,
    pub messages: Vec<MessageOut>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ConversationOut {
    pub fn new(c: &Conversation, messages: &[Message], zone: Timezone) -> Self {
        Self {
            conversation_id: c.id.to_string(),
            title: c.title.clone(),
            inventory_id: c.inventory.map(|i| i.0),
            messages: messages.iter().map(|m| MessageOut::new(m, zone)).collect(),
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// A conversation in a list, without its messages.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConversationSummary {
    pub conversation_id: String,
    pub title: String,
    pub inventory_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&Conversation> for ConversationSummary {
    fn from(c: &Conversation) -> Self {
        Self {
            conversation_id: c.id.to_string(),
            title: c.title.clone(),
            inventory_id: c.inventory.map(|i| i.0),
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// An action the client may offer the user. Only `create_playbook` exists: `data` is a body
/// `POST /api/playbooks` accepts as is.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SuggestedAction {
    /// Always `create_playbook`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub label: String,
    /// `{name, type, main: {hosts, gatherFacts, …}, tasks: [{enabled, content}]}`.
    #[schema(value_type = Object)]
    pub data: Value,
    /// Whether `ansible-playbook --syntax-check` passed the rendered play; `false` only on a
    /// server without Ansible, where the body was parsed and rendered and nothing more.
    pub syntax_checked: bool,
}

/// The body of `POST /api/playbooks` for a suggestion. Errors: a play keyword's value
/// that JSON cannot hold (the YAML loader makes none).
pub fn playbook_body(p: &PlaybookSuggestion) -> Result<Value, serde_json::Error> {
    let mut main = Map::new();
    main.insert("hosts".to_owned(), Value::String(p.hosts.clone()));
    main.insert("gatherFacts".to_owned(), Value::Bool(p.gather_facts));
    for (key, value) in &p.extra {
        main.insert(key.clone(), serde_json::to_value(value)?);
    }
    let tasks: Vec<Value> = p
        .tasks
        .iter()
        .map(|content| json!({ "enabled": true, "content": content }))
        .collect();
    Ok(json!({ "name": p.name, "type": "Machine", "main": main, "tasks": tasks }))
}

impl SuggestedAction {
    pub fn new(s: &Suggestion) -> Result<Self, serde_json::Error> {
        Ok(Self {
            kind: "create_playbook",
            label: s.label.clone(),
            data: playbook_body(&s.playbook)?,
            syntax_checked: s.syntax_checked,
        })
    }
}

/// The answer to `POST /api/ai/messages`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TurnOut {
    pub conversation_id: String,
    pub user_message: MessageOut,
    pub ai_response: MessageOut,
    /// `["Yes", "No"]` when the answer asks a yes/no question, else empty.
    pub quick_replies: Vec<&'static str>,
    pub suggested_actions: Vec<SuggestedAction>,
}

impl TurnOut {
    pub fn new(turn: &TurnOutcome, zone: Timezone) -> Result<Self, serde_json::Error> {
        Ok(Self {
            conversation_id: turn.conversation.id.to_string(),
            user_message: MessageOut::new(&turn.question, zone),
            ai_response: MessageOut::new(&turn.answer, zone),
            quick_replies: turn.quick_replies.clone(),
            suggested_actions: turn
                .suggestions
                .iter()
                .map(SuggestedAction::new)
                .collect::<Result<_, _>>()?,
        })
    }
}
