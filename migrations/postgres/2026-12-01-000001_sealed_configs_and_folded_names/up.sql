-- Inventory configs hold passwords: they move into `sealed_config`, sealed (XChaCha20-Poly1305)
-- by the server at start-up, which then empties `config`. Names get a Unicode-folded copy,
-- written by the server, so that search matches the same way on PostgreSQL and SQLite.
ALTER TABLE inventories ADD COLUMN sealed_config TEXT;
ALTER TABLE inventories ADD COLUMN name_folded TEXT;
ALTER TABLE playbooks ADD COLUMN name_folded TEXT;

-- One row: a value sealed with the key, so that a wrong key is found at start-up.
CREATE TABLE secret_key_check (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    key_id TEXT NOT NULL,
    sealed TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
