DROP TABLE playbooks;
DROP TABLE inventories;
