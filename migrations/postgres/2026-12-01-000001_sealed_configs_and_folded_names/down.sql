DROP TABLE secret_key_check;
ALTER TABLE playbooks DROP COLUMN name_folded;
ALTER TABLE inventories DROP COLUMN name_folded;
ALTER TABLE inventories DROP COLUMN sealed_config;
