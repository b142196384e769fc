DROP TABLE job_output;
DROP TABLE job_playbooks;
DROP TABLE jobs;
