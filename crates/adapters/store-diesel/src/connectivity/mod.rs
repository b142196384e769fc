//! ansible-core's connectivity store: the host keys trusted on first use.

mod known_hosts;
