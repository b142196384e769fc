//! The assistant's use cases: start, converse, read, list and delete conversations.

use super::chat::{ChatError, ChatModel};
use super::error::AssistError;
use super::id::{ConversationId, MessageId};
use super::model::{Author, Conversation, Message, NewConversation, NewTurn};
use super::ports::{ConversationRepository, ConversationStoreError};
use super::prompt::{DEFAULT_CONTEXT_CHARS, InventorySummary, build_prompt};
use super::replies::{YES_NO, asks_yes_no};
use super::rules::{MessageText, conversation_title};
use super::suggest::{Suggestion, suggestions};
use ansible_core::catalog::{
    InventoryId, InventoryRepository, Page, PageRequest, PlaybookSyntaxCheck, StoreError,
};
use ansible_core::jobs::Clock;
use chrono::{DateTime, SubsecRound, Utc};
use std::sync::Arc;

/// How the assistant is tuned (`HUB_LLM_CONTEXT_CHARS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssistSettings {
    /// What the prompt may hold, in characters: system prompt, history and question.
    pub context_chars: usize,
}

impl Default for AssistSettings {
    fn default() -> Self {
        Self {
            context_chars: DEFAULT_CONTEXT_CHARS,
        }
    }
}

/// `POST /api/ai/conversations`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StartConversation {
    pub title: Option<String>,
    pub inventory: Option<InventoryId>,
}

/// `POST /api/ai/messages`: the message, and the conversation it continues (a new one
/// when `None`) and the inventory it is about (the conversation's when `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendMessage {
    pub text: MessageText,
    /// As the client sent it: an id that cannot be one names no conversation.
    pub conversation: Option<String>,
    pub inventory: Option<InventoryId>,
}

/// A stored turn and what the answer offers.
#[derive(Debug, Clone, PartialEq)]
pub struct TurnOutcome {
    pub conversation: Conversation,
    pub question: Message,
    pub answer: Message,
    pub quick_replies: Vec<&'static str>,
    pub suggestions: Vec<Suggestion>,
    /// Why each fenced block that is not offered was declined, for the log.
    pub declined: Vec<String>,
}

/// A conversation with its messages in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    pub conversation: Conversation,
    pub messages: Vec<Message>,
}

/// The assistant over a conversation store `R` and the catalogue's inventories `I`.
pub struct AssistantService<R, I> {
    conversations: R,
    inventories: I,
    model: Arc<dyn ChatModel>,
    syntax: Arc<dyn PlaybookSyntaxCheck>,
    clock: Arc<dyn Clock>,
    settings: AssistSettings,
}

impl<R, I> std::fmt::Debug for AssistantService<R, I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AssistantService")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl From<ConversationStoreError> for AssistError {
    fn from(e: ConversationStoreError) -> Self {
        match e {
            // Ids are fresh UUIDv7s: a taken one is a fault, not a client's mistake.
            ConversationStoreError::Duplicate => AssistError::internal("an id was taken twice"),
            ConversationStoreError::Unavailable(detail) => AssistError::Unavailable(detail),
        }
    }
}

fn catalog_unavailable(e: StoreError) -> AssistError {
    AssistError::Unavailable(e.to_string())
}

fn not_found(raw: &str) -> AssistError {
    AssistError::ConversationNotFound(raw.to_owned())
}

impl<R: ConversationRepository, I: InventoryRepository> AssistantService<R, I> {
    pub fn new(
        conversations: R,
        inventories: I,
        model: Arc<dyn ChatModel>,
        syntax: Arc<dyn PlaybookSyntaxCheck>,
        clock: Arc<dyn Clock>,
        settings: AssistSettings,
    ) -> Self {
        Self {
            conversations,
            inventories,
            model,
            syntax,
            clock,
            settings,
        }
    }

    /// Now, at the microsecond precision every store keeps: what a turn answers with is
    /// what a later read gives back.
    fn now(&self) -> DateTime<Utc> {
        self.clock.now().trunc_subsecs(6)
    }

    fn parse_id(raw: &str) -> Result<ConversationId, AssistError> {
        ConversationId::parse(raw).ok_or_else(|| not_found(raw))
    }

    /// The inventory's summary. Errors: [`AssistError::InventoryNotFound`].
    fn summary(&self, id: InventoryId) -> Result<Option<InventorySummary>, AssistError> {
        let inventory = self
            .inventories
            .get_inventory(id)
            .map_err(catalog_unavailable)?;
        Ok(inventory.as_ref().map(InventorySummary::of))
    }

    /// Starts an empty conversation. Errors: [`AssistError::InventoryNotFound`],
    /// [`AssistError::InvalidTitle`].
    pub fn start(&self, request: StartConversation) -> Result<Conversation, AssistError> {
        let title = conversation_title(request.title.as_deref(), None)?;
        if let Some(id) = request.inventory
            && self.summary(id)?.is_none()
        {
            return Err(AssistError::InventoryNotFound(id.to_string()));
        }
        let new = NewConversation {
            id: ConversationId::generate(),
            title,
            inventory: request.inventory,
            created_at: self.now(),
        };
        Ok(self.conversations.create_conversation(&new)?)
    }

    /// Asks the model and stores the turn: the question and the answer together, only once
    /// the model answered. Errors: [`AssistError::ConversationNotFound`],
    /// [`AssistError::InventoryNotFound`] (both before the model is asked),
    /// [`AssistError::ModelUnavailable`] (nothing stored).
    pub fn send(&self, request: SendMessage) -> Result<TurnOutcome, AssistError> {
        let conversation = match &request.conversation {
            Some(raw) => {
                let id = Self::parse_id(raw)?;
                let found = self.conversations.get_conversation(&id)?;
                Some(found.ok_or_else(|| not_found(raw))?)
            }
            None => None,
        };
        let summary = match (request.inventory, conversation.as_ref()) {
            (Some(id), _) => Some(
                self.summary(id)?
                    .ok_or_else(|| AssistError::InventoryNotFound(id.to_string()))?,
            ),
            // The conversation's own inventory may have been deleted since: then the model
            // is told nothing of it.
            (None, Some(c)) => match c.inventory {
                Some(id) => self.summary(id)?,
                None => None,
            },
            (None, None) => None,
        };
        let history = match &conversation {
            Some(c) => self
                .conversations
                .messages(&c.id)?
                .ok_or_else(|| not_found(c.id.as_str()))?,
            None => Vec::new(),
        };
        let asked_at = self.now();
        let question = request.text.into_string();
        let prompt = build_prompt(
            summary.as_ref(),
            &history,
            &question,
            self.settings.context_chars,
        );
        let answer = self
            .model
            .complete(&prompt)
            .map_err(AssistError::ModelUnavailable)?;
        // Text never holds NUL in either store; a model's stray one goes.
        let answer = answer.replace('\0', "");
        if answer.trim().is_empty() {
            return Err(AssistError::ModelUnavailable(ChatError::Malformed(
                "the AI model answered with no text".to_owned(),
            )));
        }
        let answered_at = self.now().max(asked_at);
        let (offered, declined) = suggestions(&answer, &*self.syntax);
        let quick_replies = if asks_yes_no(&answer) {
            YES_NO.to_vec()
        } else {
            Vec::new()
        };
        let turn = NewTurn {
            question: Message {
                id: MessageId::generate(),
                author: Author::User,
                text: question,
                created_at: asked_at,
            },
            answer: Message {
                id: MessageId::generate(),
                author: Author::Assistant,
                text: answer,
                created_at: answered_at,
            },
        };
        let stored = match conversation {
            Some(c) => self
                .conversations
                .append_turn(&c.id, &turn)?
                .ok_or_else(|| not_found(c.id.as_str()))?,
            None => {
                let new = NewConversation {
                    id: ConversationId::generate(),
                    title: conversation_title(None, Some(&turn.question.text))?,
                    inventory: request.inventory,
                    created_at: asked_at,
                };
                self.conversations.start_with_turn(&new, &turn)?
            }
        };
        Ok(TurnOutcome {
            conversation: stored,
            question: turn.question,
            answer: turn.answer,
            quick_replies,
            suggestions: offered,
            declined,
        })
    }

    /// The conversation and its messages. Errors: [`AssistError::ConversationNotFound`].
    pub fn transcript(&self, raw_id: &str) -> Result<Transcript, AssistError> {
        let id = Self::parse_id(raw_id)?;
        let conversation = self
            .conversations
            .get_conversation(&id)?
            .ok_or_else(|| not_found(raw_id))?;
        let messages = self
            .conversations
            .messages(&id)?
            .ok_or_else(|| not_found(raw_id))?;
        Ok(Transcript {
            conversation,
            messages,
        })
    }

    /// One page of conversations, newest first.
    pub fn conversations(&self, page: PageRequest) -> Result<Page<Conversation>, AssistError> {
        Ok(self.conversations.list_conversations(page)?)
    }

    /// Errors: [`AssistError::ConversationNotFound`].
    pub fn delete(&self, raw_id: &str) -> Result<(), AssistError> {
        let id = Self::parse_id(raw_id)?;
        if self.conversations.delete_conversation(&id)? {
            Ok(())
        } else {
            Err(not_found(raw_id))
        }
    }
}

#[cfg(test)]
#[path = "service_tests.rs"]
mod tests;
