-- The Ansible catalogue (seed 002): inventories and playbooks. A playbook's main section and
-- its tasks are kept as JSON text: they are read and written whole, in order.

CREATE TABLE inventories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    group_name TEXT NOT NULL,
    config TEXT NOT NULL,
    status TEXT NOT NULL,
    ssh_status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT inventories_name_key UNIQUE (name)
);

CREATE TABLE playbooks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    main TEXT NOT NULL,
    tasks TEXT NOT NULL,
    next_task_id BIGINT NOT NULL,
    last_run_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT playbooks_name_key UNIQUE (name)
);
CREATE INDEX playbooks_kind_idx ON playbooks (kind);
CREATE INDEX playbooks_status_idx ON playbooks (status);
