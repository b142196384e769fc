-- Jobs (§3.4): the queue and the record of each run. A job names its inventory by id only,
-- without a foreign key: a finished job outlives the inventory it ran on.

CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    -- Enqueue order: the tie-break among equal creation times.
    seq INTEGER NOT NULL UNIQUE,
    inventory_id BIGINT NOT NULL,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP,
    completed_at TIMESTAMP,
    extra_vars TEXT NOT NULL,
    -- The inventory text at execute time, sealed: it may hold passwords.
    sealed_inventory TEXT NOT NULL,
    lease_worker TEXT,
    lease_expires_at TIMESTAMP,
    cancel_requested BOOLEAN NOT NULL
);
CREATE INDEX jobs_claim_idx ON jobs (status, created_at, seq);
CREATE INDEX jobs_list_idx ON jobs (created_at DESC, seq DESC);
CREATE INDEX jobs_inventory_idx ON jobs (inventory_id, status);
CREATE INDEX jobs_lease_idx ON jobs (status, lease_expires_at);

CREATE TABLE job_playbooks (
    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    playbook_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at TIMESTAMP,
    completed_at TIMESTAMP,
    exit_code INTEGER,
    host_stats TEXT NOT NULL,
    output_bytes BIGINT NOT NULL,
    output_truncated BOOLEAN NOT NULL,
    playbook_text TEXT NOT NULL,
    PRIMARY KEY (job_id, position)
);
CREATE INDEX job_playbooks_playbook_idx ON job_playbooks (playbook_id);

CREATE TABLE job_output (
    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    playbook_id BIGINT NOT NULL,
    byte_offset BIGINT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (job_id, seq)
);
CREATE INDEX job_output_playbook_idx ON job_output (job_id, playbook_id, byte_offset);
