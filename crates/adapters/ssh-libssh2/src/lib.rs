//! The [`ConnectivityProbe`](ansible_core::connectivity::ConnectivityProbe) port on libssh2:
//! [`Libssh2Probe`] logs in to one host and says how far it got.
//!
//! Every step is bounded by the target's timeout, counted from the start of the attempt:
//! name resolution (on a helper thread, as `getaddrinfo` cannot be interrupted), the TCP
//! connect to each resolved address (`connect_timeout`), and the handshake and
//! authentication (`Session::set_timeout`, re-armed with what is left before each step).
//! A server that accepts TCP and then says nothing therefore costs the timeout, never more.

mod connect;
mod host_key;
mod probe;

pub use host_key::{fingerprint, key_type_of};
pub use probe::Libssh2Probe;
