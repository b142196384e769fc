//! Rows of the two tables, and their reading as domain records.

use crate::decode;
use crate::error::{TxError, Unavailable};
use crate::schema::{ai_conversations, ai_messages};
use ai_assist::{
    Author, Conversation, ConversationId, ConversationStoreError, Message, MessageId,
    NewConversation,
};
use ansible_core::catalog::InventoryId;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::DatabaseErrorKind;

pub(super) type Tx<T> = Result<T, TxError<ConversationStoreError>>;

impl From<Unavailable> for ConversationStoreError {
    fn from(e: Unavailable) -> Self {
        ConversationStoreError::Unavailable(e.0)
    }
}

impl From<ConversationStoreError> for TxError<ConversationStoreError> {
    fn from(e: ConversationStoreError) -> Self {
        TxError::Domain(e)
    }
}

/// The error of a failed write: a taken primary key is a duplicate id.
pub(super) fn classify(e: TxError<ConversationStoreError>) -> ConversationStoreError {
    match e.violation() {
        Some((DatabaseErrorKind::UniqueViolation, _)) => ConversationStoreError::Duplicate,
        _ => e.into_domain(),
    }
}

fn corrupt(what: &str, raw: &str) -> TxError<ConversationStoreError> {
    TxError::Domain(ConversationStoreError::Unavailable(format!(
        "unreadable {what} {raw:?} in the AI tables"
    )))
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = ai_conversations)]
pub(super) struct ConversationRow {
    id: String,
    title: String,
    inventory_id: Option<i64>,
    created_at: NaiveDateTime,
    pub(super) updated_at: NaiveDateTime,
}

impl ConversationRow {
    pub(super) fn record(self) -> Tx<Conversation> {
        let id = ConversationId::parse(&self.id).ok_or_else(|| corrupt("id", &self.id))?;
        Ok(Conversation {
            id,
            title: self.title,
            inventory: self.inventory_id.map(InventoryId),
            created_at: decode::utc(self.created_at),
            updated_at: decode::utc(self.updated_at),
        })
    }
}

#[derive(Insertable)]
#[diesel(table_name = ai_conversations)]
pub(super) struct NewConversationRow<'a> {
    id: &'a str,
    title: &'a str,
    inventory_id: Option<i64>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl<'a> NewConversationRow<'a> {
    pub(super) fn of(new: &'a NewConversation) -> Self {
        Self {
            id: new.id.as_str(),
            title: &new.title,
            inventory_id: new.inventory.map(|i| i.0),
            created_at: new.created_at.naive_utc(),
            updated_at: new.created_at.naive_utc(),
        }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = ai_messages)]
pub(super) struct MessageRow {
    id: String,
    is_user: bool,
    text: String,
    created_at: NaiveDateTime,
}

impl MessageRow {
    pub(super) fn record(self) -> Tx<Message> {
        let id = MessageId::parse(&self.id).ok_or_else(|| corrupt("message id", &self.id))?;
        Ok(Message {
            id,
            author: if self.is_user {
                Author::User
            } else {
                Author::Assistant
            },
            text: self.text,
            created_at: decode::utc(self.created_at),
        })
    }
}

#[derive(Insertable)]
#[diesel(table_name = ai_messages)]
pub(super) struct NewMessageRow<'a> {
    id: &'a str,
    conversation_id: &'a str,
    position: i64,
    is_user: bool,
    text: &'a str,
    created_at: NaiveDateTime,
}

impl<'a> NewMessageRow<'a> {
    pub(super) fn of(conversation: &'a ConversationId, position: i64, m: &'a Message) -> Self {
        Self {
            id: m.id.as_str(),
            conversation_id: conversation.as_str(),
            position,
            is_user: m.is_user(),
            text: &m.text,
            created_at: m.created_at.naive_utc(),
        }
    }
}
