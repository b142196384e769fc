-- SSH connectivity tests (§3.5): when an inventory was last tested, and the host keys trusted
-- on first use. One key per endpoint (address, port): the unique constraint makes two
-- concurrent first sights store one row (the loser reads the winner's).

ALTER TABLE inventories ADD COLUMN last_tested_at TIMESTAMP;

CREATE TABLE ssh_known_hosts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    address TEXT NOT NULL,
    port INTEGER NOT NULL,
    -- As OpenSSH's known_hosts writes them: e.g. ssh-ed25519 and the base64 public key.
    key_type TEXT NOT NULL,
    key_base64 TEXT NOT NULL,
    -- SHA256:… as ssh-keygen -l shows it.
    fingerprint TEXT NOT NULL,
    first_seen_at TIMESTAMP NOT NULL,
    CONSTRAINT ssh_known_hosts_endpoint_key UNIQUE (address, port)
);
