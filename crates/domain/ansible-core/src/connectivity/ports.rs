//! The trust-on-first-use store of host keys. Each call is atomic; every one may answer
//! [`StoreError::Unavailable`] when the store itself fails.

use super::host_key::{KnownHost, KnownHostId, NewKnownHost};
use crate::catalog::StoreError;

pub trait KnownHostRepository: Send + Sync {
    /// Every known host, in the order they were first seen (by id).
    fn list_known_hosts(&self) -> Result<Vec<KnownHost>, StoreError>;

    /// The key trusted for (address, port); `Ok(None)` when none is.
    fn get_known_host(&self, address: &str, port: u16) -> Result<Option<KnownHost>, StoreError>;

    /// Trusts `new.key` for its endpoint unless a key is trusted there already, and returns
    /// the trusted entry: the new one, or the earlier one untouched (whatever its key).
    /// Two concurrent calls for one endpoint store one entry, and both get it back.
    fn trust_first_seen(&self, new: &NewKnownHost) -> Result<KnownHost, StoreError>;

    /// Forgets a known host, so that the next key seen there is trusted. `Ok(false)` when
    /// absent.
    fn delete_known_host(&self, id: KnownHostId) -> Result<bool, StoreError>;
}
