//! The real `control-hub` binary, started as separate processes: what no in-process test
//! can show (a server killed outright, several servers sharing one database).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod crash;
mod first_run;
mod local_model;
mod operations;
mod scale_out;
mod server;
mod settings_doc;
mod sse_bounds;
mod tokens;
