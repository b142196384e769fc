DROP TABLE ssh_known_hosts;
ALTER TABLE inventories DROP COLUMN last_tested_at;
