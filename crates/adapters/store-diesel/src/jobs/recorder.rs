//! The catalogue's copy of each playbook's last run, written as runs end.

use crate::error::TxError;
use crate::schema::playbooks;
use crate::store::DieselStore;
use ansible_core::catalog::{PlaybookId, PlaybookRunRecorder, RunStatus, StoreError};
use chrono::{DateTime, Utc};
use diesel::prelude::*;

impl PlaybookRunRecorder for DieselStore {
    fn record_run(
        &self,
        id: PlaybookId,
        status: RunStatus,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let at = at.naive_utc();
        self.write(|conn| {
            // One statement decides "later wins", so two runs ending at once cannot undo
            // each other; `updated_at` is not touched: a run is no edit.
            let updated = diesel::update(
                playbooks::table.find(id.0).filter(
                    playbooks::last_run_at
                        .is_null()
                        .or(playbooks::last_run_at.le(at)),
                ),
            )
            .set((
                playbooks::status.eq(status.as_str()),
                playbooks::last_run_at.eq(Some(at)),
            ))
            .execute(conn)?;
            if updated > 0 {
                return Ok(true);
            }
            let present: i64 = playbooks::table.find(id.0).count().get_result(conn)?;
            Ok::<_, TxError<StoreError>>(present > 0)
        })
        .map_err(TxError::into_domain)
    }
}
