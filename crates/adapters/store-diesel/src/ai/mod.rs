//! The AI assistant's conversations (ai-assist's `ConversationRepository`) on both backends.
//! A turn is one write transaction: the conversation row is locked (`FOR UPDATE` on
//! PostgreSQL; SQLite's `BEGIN IMMEDIATE` holds the database), the next two positions are
//! taken, both messages inserted and the conversation's `updated_at` moved. Turns sent at
//! the same time therefore queue on the row and are stored whole, one after the other.

mod repository;
mod rows;
