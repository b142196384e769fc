//! Secrets at rest: the key check that makes a wrong key a start-up error, sealing of rows
//! written before sealing existed, and key rotation.

mod sealer;

pub use sealer::{OpenError, SealError, Sealer, SecretKey};

use crate::connection::AnyConnection;
use crate::decode;
use crate::error::{TxError, Unavailable};
use crate::jobs::INVENTORY_COLUMN as JOB_INVENTORY_COLUMN;
use crate::schema::{inventories, jobs, secret_key_check};
use diesel::prelude::*;

/// The column inventory configs are sealed for (bound as associated data).
pub(crate) const CONFIG_COLUMN: &str = "inventories.sealed_config";
const CHECK_COLUMN: &str = "secret_key_check.sealed";
const CHECK_TEXT: &str = "control-hub secret key check";

fn sealing(e: SealError) -> TxError<Unavailable> {
    TxError::Domain(Unavailable::new(e))
}

/// Makes sure `sealer` is the database's key: the first start records a check value sealed
/// with it; every later start must open that value, or the store refuses to open.
pub(crate) fn check_key(
    conn: &mut AnyConnection,
    sealer: &Sealer,
    key_id: &str,
) -> Result<(), TxError<Unavailable>> {
    let stored: Option<(String, String)> = secret_key_check::table
        .find(1)
        .select((secret_key_check::key_id, secret_key_check::sealed))
        .first(conn)
        .optional()?;
    match stored {
        Some((stored_id, sealed)) => match sealer.open(CHECK_COLUMN, &sealed) {
            Ok(text) if text == CHECK_TEXT => Ok(()),
            _ => Err(TxError::Domain(Unavailable(format!(
                "the secret key (id {key_id}) is not the one the stored secrets were sealed with \
                 (id {stored_id}): set HUB_SECRET_KEY or $HUB_DATA_DIR/secret-key to that key"
            )))),
        },
        None => {
            diesel::insert_into(secret_key_check::table)
                .values((
                    secret_key_check::id.eq(1),
                    secret_key_check::key_id.eq(key_id),
                    secret_key_check::sealed
                        .eq(sealer.seal(CHECK_COLUMN, CHECK_TEXT).map_err(sealing)?),
                    secret_key_check::created_at.eq(decode::now().naive_utc()),
                ))
                .execute(conn)?;
            Ok(())
        }
    }
}

/// Seals the configs of rows written before sealing existed, and empties their plaintext.
/// Returns how many rows it sealed.
pub(crate) fn seal_plaintext(
    conn: &mut AnyConnection,
    sealer: &Sealer,
) -> Result<usize, TxError<Unavailable>> {
    let plain: Vec<(i64, String)> = inventories::table
        .filter(inventories::sealed_config.is_null())
        .select((inventories::id, inventories::config))
        .load(conn)?;
    for (id, config) in &plain {
        let sealed = sealer.seal(CONFIG_COLUMN, config).map_err(sealing)?;
        diesel::update(inventories::table.find(id))
            .set((
                inventories::sealed_config.eq(Some(sealed)),
                inventories::config.eq(""),
            ))
            .execute(conn)?;
    }
    Ok(plain.len())
}

/// Re-seals every stored secret with `new`, in the caller's transaction. The old key must
/// open them all; one that does not aborts the whole rotation.
pub(crate) fn reseal(
    conn: &mut AnyConnection,
    old: &Sealer,
    new: &SecretKey,
) -> Result<usize, TxError<Unavailable>> {
    let new_sealer = Sealer::new(new);
    let rows: Vec<(i64, Option<String>)> = inventories::table
        .select((inventories::id, inventories::sealed_config))
        .load(conn)?;
    for (id, sealed) in &rows {
        let sealed = sealed
            .as_deref()
            .ok_or_else(|| TxError::Domain(Unavailable(format!("inventory {id} is not sealed"))))?;
        let plain = old
            .open(CONFIG_COLUMN, sealed)
            .map_err(|e| TxError::Domain(Unavailable(format!("inventory {id}: {e}"))))?;
        let resealed = new_sealer.seal(CONFIG_COLUMN, &plain).map_err(sealing)?;
        diesel::update(inventories::table.find(id))
            .set(inventories::sealed_config.eq(Some(resealed)))
            .execute(conn)?;
    }
    let snapshots = reseal_job_snapshots(conn, old, &new_sealer)?;
    diesel::update(secret_key_check::table.find(1))
        .set((
            secret_key_check::key_id.eq(new.id()),
            secret_key_check::sealed
                .eq(new_sealer.seal(CHECK_COLUMN, CHECK_TEXT).map_err(sealing)?),
        ))
        .execute(conn)?;
    Ok(rows.len() + snapshots)
}

/// Re-seals every job's inventory snapshot: a job's record lasts as long as its inventory's.
fn reseal_job_snapshots(
    conn: &mut AnyConnection,
    old: &Sealer,
    new: &Sealer,
) -> Result<usize, TxError<Unavailable>> {
    let rows: Vec<(String, String)> = jobs::table
        .select((jobs::id, jobs::sealed_inventory))
        .load(conn)?;
    for (id, sealed) in &rows {
        let plain = old
            .open(JOB_INVENTORY_COLUMN, sealed)
            .map_err(|e| TxError::Domain(Unavailable(format!("job {id}: {e}"))))?;
        let resealed = new.seal(JOB_INVENTORY_COLUMN, &plain).map_err(sealing)?;
        diesel::update(jobs::table.find(id))
            .set(jobs::sealed_inventory.eq(resealed))
            .execute(conn)?;
    }
    Ok(rows.len())
}
