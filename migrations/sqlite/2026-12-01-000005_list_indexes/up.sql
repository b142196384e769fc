-- Every list is paged in id order. An index that leads with a list's filter and ends with
-- the id hands a page over in order, whatever the table's size, where a filter-only index
-- makes the database gather every matching row and sort them for each page.
CREATE INDEX hosts_group_id_idx ON hosts (group_id, id);
CREATE INDEX hosts_status_id_idx ON hosts (status, id);
CREATE INDEX hosts_group_status_id_idx ON hosts (group_id, status, id);
DROP INDEX hosts_group_idx;
DROP INDEX hosts_status_idx;

CREATE INDEX virtual_machines_host_id_idx ON virtual_machines (host_id, id);
CREATE INDEX virtual_machines_status_id_idx ON virtual_machines (status, id);
CREATE INDEX virtual_machines_tenant_id_idx ON virtual_machines (tenant_id, id);
DROP INDEX virtual_machines_host_idx;
DROP INDEX virtual_machines_status_idx;

CREATE INDEX k8s_clusters_tenant_id_idx ON k8s_clusters (tenant_id, id);
CREATE INDEX k8s_clusters_status_id_idx ON k8s_clusters (status, id);
DROP INDEX k8s_clusters_tenant_idx;
DROP INDEX k8s_clusters_status_idx;

CREATE INDEX tenants_status_id_idx ON tenants (status, id);
CREATE INDEX host_groups_status_id_idx ON host_groups (status, id);
CREATE INDEX maintainers_status_id_idx ON maintainers (status, id);
DROP INDEX tenants_status_idx;
DROP INDEX host_groups_status_idx;
DROP INDEX maintainers_status_idx;
