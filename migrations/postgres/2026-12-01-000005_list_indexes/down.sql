CREATE INDEX maintainers_status_idx ON maintainers (status);
CREATE INDEX host_groups_status_idx ON host_groups (status);
CREATE INDEX tenants_status_idx ON tenants (status);
DROP INDEX maintainers_status_id_idx;
DROP INDEX host_groups_status_id_idx;
DROP INDEX tenants_status_id_idx;

CREATE INDEX k8s_clusters_status_idx ON k8s_clusters (status);
CREATE INDEX k8s_clusters_tenant_idx ON k8s_clusters (tenant_id);
DROP INDEX k8s_clusters_status_id_idx;
DROP INDEX k8s_clusters_tenant_id_idx;

CREATE INDEX virtual_machines_status_idx ON virtual_machines (status);
CREATE INDEX virtual_machines_host_idx ON virtual_machines (host_id);
DROP INDEX virtual_machines_tenant_id_idx;
DROP INDEX virtual_machines_status_id_idx;
DROP INDEX virtual_machines_host_id_idx;

CREATE INDEX hosts_status_idx ON hosts (status);
CREATE INDEX hosts_group_idx ON hosts (group_id);
DROP INDEX hosts_group_status_id_idx;
DROP INDEX hosts_status_id_idx;
DROP INDEX hosts_group_id_idx;
