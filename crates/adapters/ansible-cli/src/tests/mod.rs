//! The runner against the real ansible-playbook, on localhost with a local connection.
//! Each test skips loudly without ansible-playbook, and fails when HUB_REQUIRE_ANSIBLE=1.

mod support;

mod dirs;
mod inventory;
mod missing;
mod plugin_check;
mod process;
mod results;
mod strays;
mod streaming;
mod timing;
