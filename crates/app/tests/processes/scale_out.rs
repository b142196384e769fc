//! Several servers on one PostgreSQL share the queue: each job runs exactly once, and every
//! server takes some.
