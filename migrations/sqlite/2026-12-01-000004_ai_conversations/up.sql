-- The AI assistant (§3.6): conversations and their messages. A conversation names the
-- inventory it is about by id only, without a foreign key: deleting the inventory leaves
-- the conversation (the model is then told nothing of it).

CREATE TABLE ai_conversations (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    inventory_id BIGINT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX ai_conversations_list_idx ON ai_conversations (created_at DESC, id DESC);

-- `position` orders a conversation's messages: a turn takes the next two, in one write
-- transaction that holds the conversation row (PostgreSQL) or the database (SQLite).
CREATE TABLE ai_messages (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES ai_conversations (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    is_user BOOLEAN NOT NULL,
    text TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT ai_messages_position_key UNIQUE (conversation_id, position)
);
