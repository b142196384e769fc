//! The conversation store's port. Each call is atomic. Common to every method:
//! [`ConversationStoreError::Unavailable`] when the store itself fails.

use super::id::ConversationId;
use super::model::{Conversation, Message, NewConversation, NewTurn};
use ansible_core::catalog::{Page, PageRequest};

/// The error contract of [`ConversationRepository`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConversationStoreError {
    /// A conversation or message id is taken.
    #[error("id already taken")]
    Duplicate,
    /// The store failed; the text is for logs, never for clients.
    #[error("store unavailable: {0}")]
    Unavailable(String),
}

pub trait ConversationRepository: Send + Sync {
    /// Stores a conversation without messages. Errors: [`ConversationStoreError::Duplicate`]
    /// when the id is taken.
    fn create_conversation(
        &self,
        new: &NewConversation,
    ) -> Result<Conversation, ConversationStoreError>;

    /// Stores a conversation and its first turn in one write: both or neither.
    /// Errors: [`ConversationStoreError::Duplicate`] when an id is taken.
    fn start_with_turn(
        &self,
        new: &NewConversation,
        turn: &NewTurn,
    ) -> Result<Conversation, ConversationStoreError>;

    /// Appends the question and then the answer after every message stored so far, with no
    /// other message between them, in one write; the conversation's `updated_at` becomes the
    /// answer's time unless it is later already ([`Conversation::after`]). Turns appended at
    /// the same time are stored one whole turn after the other. `Ok(None)`, storing nothing,
    /// when the conversation is absent. Errors: [`ConversationStoreError::Duplicate`] when a
    /// message id is taken.
    fn append_turn(
        &self,
        id: &ConversationId,
        turn: &NewTurn,
    ) -> Result<Option<Conversation>, ConversationStoreError>;

    fn get_conversation(
        &self,
        id: &ConversationId,
    ) -> Result<Option<Conversation>, ConversationStoreError>;

    /// The conversation's messages in the order they were stored; `Ok(None)` when absent.
    fn messages(&self, id: &ConversationId)
    -> Result<Option<Vec<Message>>, ConversationStoreError>;

    /// One page of the conversations, newest first (by `created_at`, and among equal times
    /// the greater id first), and how many there are.
    fn list_conversations(
        &self,
        page: PageRequest,
    ) -> Result<Page<Conversation>, ConversationStoreError>;

    /// Deletes the conversation with its messages; `Ok(false)` when absent.
    fn delete_conversation(&self, id: &ConversationId) -> Result<bool, ConversationStoreError>;
}

/// A store of conversations that services can hold.
pub trait ConversationStore: ConversationRepository + Clone + 'static {}

impl<T: ConversationRepository + Clone + 'static> ConversationStore for T {}
