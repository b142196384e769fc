//! Conversations and their messages.

use super::id::{ConversationId, MessageId};
use ansible_core::catalog::InventoryId;
use chrono::{DateTime, Utc};

/// A conversation: a title, the inventory it is about (if any), and when it began and last
/// changed. Its messages are read apart ([`crate::ConversationRepository::messages`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversation {
    pub id: ConversationId,
    pub title: String,
    /// The inventory whose groups and host names the model sees; the conversation does not
    /// own it (a deleted inventory leaves the conversation be).
    pub inventory: Option<InventoryId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Author {
    User,
    Assistant,
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: MessageId,
    pub author: Author,
    pub text: String,
    pub created_at: DateTime<Utc>,
}

impl Message {
    pub fn is_user(&self) -> bool {
        self.author == Author::User
    }
}

/// A conversation to store: it begins with `created_at` as its `updated_at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConversation {
    pub id: ConversationId,
    pub title: String,
    pub inventory: Option<InventoryId>,
    pub created_at: DateTime<Utc>,
}

impl NewConversation {
    /// The conversation as stored, before any turn.
    pub fn stored(&self) -> Conversation {
        Conversation {
            id: self.id.clone(),
            title: self.title.clone(),
            inventory: self.inventory,
            created_at: self.created_at,
            updated_at: self.created_at,
        }
    }
}

/// One exchange: the user's question and the model's answer, stored together or not at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTurn {
    pub question: Message,
    pub answer: Message,
}

impl Conversation {
    /// The conversation after `turn`: it changed when the answer came, unless it is
    /// already marked later (a turn that overtook this one).
    pub fn after(mut self, turn: &NewTurn) -> Self {
        self.updated_at = self.updated_at.max(turn.answer.created_at);
        self
    }
}
