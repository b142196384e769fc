-- A claim sums the tenant's VMs on the hosts of one group. Probing (tenant_id, host_id) per
-- host keeps that proportional to the rows summed, whatever the planner's statistics say
-- (on fresh tables they say one host and two VMs, and a nested loop rescans every VM of the
-- tenant for every host). The composite index also serves tenant_id alone.
CREATE INDEX virtual_machines_tenant_host_idx ON virtual_machines (tenant_id, host_id);
DROP INDEX virtual_machines_tenant_idx;
