//! `ConversationRepository` for the store: each call one read or one write transaction.

use super::rows::{ConversationRow, MessageRow, NewConversationRow, NewMessageRow, Tx, classify};
use crate::connection::AnyConnection;
use crate::dialect::db_run;
use crate::page::{Window, load_page};
use crate::schema::{ai_conversations, ai_messages};
use crate::store::DieselStore;
use ai_assist::{
    Conversation, ConversationId, ConversationRepository, ConversationStoreError, Message,
    NewConversation, NewTurn,
};
use ansible_core::catalog::{Page, PageRequest};
use diesel::prelude::*;

fn find(conn: &mut AnyConnection, id: &ConversationId) -> Tx<Option<ConversationRow>> {
    Ok(ai_conversations::table
        .find(id.as_str())
        .select(ConversationRow::as_select())
        .first(conn)
        .optional()?)
}

/// The conversation row, locked for this transaction on PostgreSQL so that turns to it
/// queue here; SQLite's write transaction already holds the whole database.
fn lock(conn: &mut AnyConnection, id: &ConversationId) -> Tx<Option<ConversationRow>> {
    let query = || ai_conversations::table.find(id.as_str());
    Ok(db_run!(conn,
        postgres(pg) => query()
            .select(ConversationRow::as_select())
            .for_update()
            .first(pg)
            .optional(),
        sqlite(lite) => query()
            .select(ConversationRow::as_select())
            .first(lite)
            .optional(),
    )?)
}

/// Inserts the turn after every stored message and moves `updated_at`.
fn insert_turn(
    conn: &mut AnyConnection,
    conversation: Conversation,
    turn: &NewTurn,
) -> Tx<Conversation> {
    let last: Option<i64> = ai_messages::table
        .filter(ai_messages::conversation_id.eq(conversation.id.as_str()))
        .select(diesel::dsl::max(ai_messages::position))
        .first(conn)?;
    let next = last.unwrap_or(0) + 1;
    for (offset, message) in [&turn.question, &turn.answer].into_iter().enumerate() {
        diesel::insert_into(ai_messages::table)
            .values(NewMessageRow::of(
                &conversation.id,
                next + offset as i64,
                message,
            ))
            .execute(conn)?;
    }
    let after = conversation.after(turn);
    diesel::update(ai_conversations::table.find(after.id.as_str()))
        .set(ai_conversations::updated_at.eq(after.updated_at.naive_utc()))
        .execute(conn)?;
    Ok(after)
}

impl ConversationRepository for DieselStore {
    fn create_conversation(
        &self,
        new: &NewConversation,
    ) -> Result<Conversation, ConversationStoreError> {
        self.write(|conn| {
            diesel::insert_into(ai_conversations::table)
                .values(NewConversationRow::of(new))
                .execute(conn)?;
            Ok(new.stored())
        })
        .map_err(classify)
    }

    fn start_with_turn(
        &self,
        new: &NewConversation,
        turn: &NewTurn,
    ) -> Result<Conversation, ConversationStoreError> {
        self.write(|conn| {
            diesel::insert_into(ai_conversations::table)
                .values(NewConversationRow::of(new))
                .execute(conn)?;
            insert_turn(conn, new.stored(), turn)
        })
        .map_err(classify)
    }

    fn append_turn(
        &self,
        id: &ConversationId,
        turn: &NewTurn,
    ) -> Result<Option<Conversation>, ConversationStoreError> {
        self.write(|conn| {
            let Some(row) = lock(conn, id)? else {
                return Ok(None);
            };
            Ok(Some(insert_turn(conn, row.record()?, turn)?))
        })
        .map_err(classify)
    }

    fn get_conversation(
        &self,
        id: &ConversationId,
    ) -> Result<Option<Conversation>, ConversationStoreError> {
        self.read(|conn| find(conn, id)?.map(ConversationRow::record).transpose())
    }

    fn messages(
        &self,
        id: &ConversationId,
    ) -> Result<Option<Vec<Message>>, ConversationStoreError> {
        self.read(|conn| {
            if find(conn, id)?.is_none() {
                return Ok(None);
            }
            let rows: Vec<MessageRow> = ai_messages::table
                .filter(ai_messages::conversation_id.eq(id.as_str()))
                .order(ai_messages::position)
                .select(MessageRow::as_select())
                .load(conn)?;
            rows.into_iter()
                .map(MessageRow::record)
                .collect::<Tx<Vec<_>>>()
                .map(Some)
        })
    }

    fn list_conversations(
        &self,
        page: PageRequest,
    ) -> Result<Page<Conversation>, ConversationStoreError> {
        self.read(|conn| {
            let window = Window {
                offset: page.offset(),
                limit: page.limit(),
                after: None,
            };
            let (total, rows): (u64, Vec<ConversationRow>) = load_page(
                conn,
                crate::page::Total::Counted,
                || ai_conversations::table.into_boxed(),
                Ok,
                ConversationRow::as_select(),
                (
                    ai_conversations::created_at.desc(),
                    ai_conversations::id.desc(),
                ),
                window,
            )?;
            let items = rows
                .into_iter()
                .map(ConversationRow::record)
                .collect::<Tx<Vec<_>>>()?;
            Ok(Page { items, total })
        })
    }

    fn delete_conversation(&self, id: &ConversationId) -> Result<bool, ConversationStoreError> {
        self.write(|conn| {
            diesel::delete(ai_messages::table.filter(ai_messages::conversation_id.eq(id.as_str())))
                .execute(conn)?;
            let deleted =
                diesel::delete(ai_conversations::table.find(id.as_str())).execute(conn)?;
            Ok(deleted > 0)
        })
        .map_err(classify)
    }
}
