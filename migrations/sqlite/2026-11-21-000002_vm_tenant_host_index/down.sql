CREATE INDEX virtual_machines_tenant_idx ON virtual_machines (tenant_id);
DROP INDEX virtual_machines_tenant_host_idx;
