-- The infrastructure inventory (seed 000), SQLite flavour: AUTOINCREMENT keeps integer ids from
-- ever being reused. UUIDs are TEXT and times UTC TIMESTAMP so that one diesel schema serves both.

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE maintainers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX maintainers_email_key ON maintainers (lower(email));
CREATE INDEX maintainers_status_idx ON maintainers (status);

CREATE TABLE maintainer_groups (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    group_manager_id TEXT REFERENCES maintainers (id),
    description TEXT,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX maintainer_groups_manager_idx ON maintainer_groups (group_manager_id);
CREATE INDEX maintainer_groups_status_idx ON maintainer_groups (status);

CREATE TABLE maintainer_group_members (
    id TEXT PRIMARY KEY,
    group_id TEXT NOT NULL REFERENCES maintainer_groups (id) ON DELETE CASCADE,
    maintainer_id TEXT NOT NULL REFERENCES maintainers (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT maintainer_group_members_pair_key UNIQUE (group_id, maintainer_id)
);
CREATE INDEX maintainer_group_members_maintainer_idx ON maintainer_group_members (maintainer_id);

-- Polymorphic: resource_id is a UUID or, for host groups and tenants, an integer, as text.
CREATE TABLE resource_maintainers (
    id TEXT PRIMARY KEY,
    resource_type TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    maintainer_type TEXT NOT NULL,
    maintainer_id TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT resource_maintainers_tuple_key UNIQUE (resource_type, resource_id, maintainer_type, maintainer_id)
);
CREATE INDEX resource_maintainers_maintainer_idx ON resource_maintainers (maintainer_type, maintainer_id);
CREATE INDEX resource_maintainers_resource_id_idx ON resource_maintainers (resource_id);

CREATE TABLE host_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    description TEXT,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX host_groups_status_idx ON host_groups (status);

CREATE TABLE tenants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    description TEXT,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX tenants_status_idx ON tenants (status);

-- available_* is derived: total - reserved - the specs of the VMs placed on the host.
CREATE TABLE hosts (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    total_cpu BIGINT NOT NULL CHECK (total_cpu >= 0),
    total_memory BIGINT NOT NULL CHECK (total_memory >= 0),
    total_storage BIGINT NOT NULL CHECK (total_storage >= 0),
    reserved_cpu BIGINT NOT NULL CHECK (reserved_cpu >= 0),
    reserved_memory BIGINT NOT NULL CHECK (reserved_memory >= 0),
    reserved_storage BIGINT NOT NULL CHECK (reserved_storage >= 0),
    group_id BIGINT REFERENCES host_groups (id),
    region TEXT,
    dc TEXT,
    room TEXT,
    rack TEXT,
    external_system_id TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX hosts_group_idx ON hosts (group_id);
CREATE INDEX hosts_status_idx ON hosts (status);

CREATE TABLE vm_specifications (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    required_cpu BIGINT NOT NULL CHECK (required_cpu >= 0),
    required_memory BIGINT NOT NULL CHECK (required_memory >= 0),
    required_storage BIGINT NOT NULL CHECK (required_storage >= 0),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE k8s_clusters (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    description TEXT,
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX k8s_clusters_tenant_idx ON k8s_clusters (tenant_id);
CREATE INDEX k8s_clusters_status_idx ON k8s_clusters (status);

CREATE TABLE virtual_machines (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    host_id TEXT NOT NULL REFERENCES hosts (id),
    specification_id TEXT NOT NULL REFERENCES vm_specifications (id),
    k8s_cluster_id TEXT REFERENCES k8s_clusters (id),
    status TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX virtual_machines_tenant_idx ON virtual_machines (tenant_id);
CREATE INDEX virtual_machines_host_idx ON virtual_machines (host_id);
CREATE INDEX virtual_machines_specification_idx ON virtual_machines (specification_id);
CREATE INDEX virtual_machines_cluster_idx ON virtual_machines (k8s_cluster_id);
CREATE INDEX virtual_machines_status_idx ON virtual_machines (status);

CREATE TABLE host_group_tenant_quotas (
    id TEXT PRIMARY KEY,
    group_id BIGINT NOT NULL REFERENCES host_groups (id),
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    cpu_quota_percentage REAL NOT NULL CHECK (cpu_quota_percentage >= 0 AND cpu_quota_percentage <= 100),
    memory_quota BIGINT NOT NULL CHECK (memory_quota >= 0),
    storage_quota BIGINT NOT NULL CHECK (storage_quota >= 0),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT host_group_tenant_quotas_pair_key UNIQUE (group_id, tenant_id)
);
CREATE INDEX host_group_tenant_quotas_tenant_idx ON host_group_tenant_quotas (tenant_id);
