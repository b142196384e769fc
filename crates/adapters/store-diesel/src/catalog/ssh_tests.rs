//! The catalogue's copy of each inventory's last SSH test.

use crate::error::TxError;
use crate::schema::inventories;
use crate::store::DieselStore;
use ansible_core::catalog::{InventoryId, PowerStatus, SshStatus, SshTestRecorder, StoreError};
use chrono::{DateTime, Utc};
use diesel::prelude::*;

impl SshTestRecorder for DieselStore {
    fn record_ssh_test(
        &self,
        id: InventoryId,
        power: PowerStatus,
        ssh: SshStatus,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let at = at.naive_utc();
        self.write(|conn| {
            // One statement decides "later wins", so two tests ending at once cannot undo
            // each other; `updated_at` is not touched: a test is no edit.
            let updated = diesel::update(
                inventories::table.find(id.0).filter(
                    inventories::last_tested_at
                        .is_null()
                        .or(inventories::last_tested_at.le(at)),
                ),
            )
            .set((
                inventories::status.eq(power.as_str()),
                inventories::ssh_status.eq(ssh.as_str()),
                inventories::last_tested_at.eq(Some(at)),
            ))
            .execute(conn)?;
            if updated > 0 {
                return Ok(true);
            }
            let present: i64 = inventories::table.find(id.0).count().get_result(conn)?;
            Ok::<_, TxError<StoreError>>(present > 0)
        })
        .map_err(TxError::into_domain)
    }
}
