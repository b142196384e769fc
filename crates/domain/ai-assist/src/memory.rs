//! Conversations in memory, under one mutex: each call is one atomic step, as the port asks.

use crate::id::ConversationId;
use crate::model::{Conversation, Message, NewConversation, NewTurn};
use crate::ports::{ConversationRepository, ConversationStoreError};
use ansible_core::catalog::{Page, PageRequest};
use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Debug, Default)]
struct State {
    /// Conversations with their messages, in creation order.
    conversations: Vec<(Conversation, Vec<Message>)>,
    message_ids: HashSet<String>,
}

/// An in-memory conversation store; clones share it.
#[derive(Debug, Clone, Default)]
pub struct MemoryConversations {
    state: Arc<Mutex<State>>,
}

impl MemoryConversations {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> Result<MutexGuard<'_, State>, ConversationStoreError> {
        self.state
            .lock()
            .map_err(|_| ConversationStoreError::Unavailable("a writer panicked".to_owned()))
    }
}

impl State {
    fn find(&mut self, id: &ConversationId) -> Option<&mut (Conversation, Vec<Message>)> {
        self.conversations.iter_mut().find(|(c, _)| &c.id == id)
    }

    fn check_new(&self, new: &NewConversation) -> Result<(), ConversationStoreError> {
        if self.conversations.iter().any(|(c, _)| c.id == new.id) {
            return Err(ConversationStoreError::Duplicate);
        }
        Ok(())
    }

    fn check_turn(&self, turn: &NewTurn) -> Result<(), ConversationStoreError> {
        let (q, a) = (turn.question.id.as_str(), turn.answer.id.as_str());
        if q == a || self.message_ids.contains(q) || self.message_ids.contains(a) {
            return Err(ConversationStoreError::Duplicate);
        }
        Ok(())
    }

    fn remember(&mut self, turn: &NewTurn) {
        self.message_ids
            .insert(turn.question.id.as_str().to_owned());
        self.message_ids.insert(turn.answer.id.as_str().to_owned());
    }
}

impl ConversationRepository for MemoryConversations {
    fn create_conversation(
        &self,
        new: &NewConversation,
    ) -> Result<Conversation, ConversationStoreError> {
        let mut state = self.lock()?;
        state.check_new(new)?;
        state.conversations.push((new.stored(), Vec::new()));
        Ok(new.stored())
    }

    fn start_with_turn(
        &self,
        new: &NewConversation,
        turn: &NewTurn,
    ) -> Result<Conversation, ConversationStoreError> {
        let mut state = self.lock()?;
        state.check_new(new)?;
        state.check_turn(turn)?;
        state.remember(turn);
        let conversation = new.stored().after(turn);
        state.conversations.push((
            conversation.clone(),
            vec![turn.question.clone(), turn.answer.clone()],
        ));
        Ok(conversation)
    }

    fn append_turn(
        &self,
        id: &ConversationId,
        turn: &NewTurn,
    ) -> Result<Option<Conversation>, ConversationStoreError> {
        let mut state = self.lock()?;
        if state.find(id).is_none() {
            return Ok(None);
        }
        state.check_turn(turn)?;
        state.remember(turn);
        let Some((conversation, messages)) = state.find(id) else {
            return Ok(None);
        };
        messages.push(turn.question.clone());
        messages.push(turn.answer.clone());
        *conversation = conversation.clone().after(turn);
        Ok(Some(conversation.clone()))
    }

    fn get_conversation(
        &self,
        id: &ConversationId,
    ) -> Result<Option<Conversation>, ConversationStoreError> {
        Ok(self.lock()?.find(id).map(|(c, _)| c.clone()))
    }

    fn messages(
        &self,
        id: &ConversationId,
    ) -> Result<Option<Vec<Message>>, ConversationStoreError> {
        Ok(self.lock()?.find(id).map(|(_, m)| m.clone()))
    }

    fn list_conversations(
        &self,
        page: PageRequest,
    ) -> Result<Page<Conversation>, ConversationStoreError> {
        let state = self.lock()?;
        let mut all: Vec<Conversation> =
            state.conversations.iter().map(|(c, _)| c.clone()).collect();
        all.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));
        let offset = usize::try_from(page.offset()).unwrap_or(usize::MAX);
        let limit = usize::try_from(page.limit()).unwrap_or(usize::MAX);
        Ok(Page {
            total: all.len() as u64,
            items: all.into_iter().skip(offset).take(limit).collect(),
        })
    }

    fn delete_conversation(&self, id: &ConversationId) -> Result<bool, ConversationStoreError> {
        let mut state = self.lock()?;
        let Some(index) = state.conversations.iter().position(|(c, _)| &c.id == id) else {
            return Ok(false);
        };
        let (_, messages) = state.conversations.remove(index);
        for m in messages {
            state.message_ids.remove(m.id.as_str());
        }
        Ok(true)
    }
}
