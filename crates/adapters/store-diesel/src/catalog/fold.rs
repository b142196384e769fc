//! Names are searched through a folded copy written by the server (`name_folded`), so that a
//! search matches the same way on PostgreSQL and SQLite: SQLite's `lower()` folds ASCII only,
//! and PostgreSQL's follows the server's locale.

use crate::connection::AnyConnection;
use crate::error::{TxError, Unavailable};
use crate::schema::{inventories, playbooks};
use diesel::prelude::*;

/// Each character lower-cased on its own (no context rules such as a final sigma), so that a
/// folded search term is a substring of a folded name whenever the unfolded one is.
pub(crate) fn fold(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

/// Folds the names of `$table`'s rows that have no folded copy yet; how many it folded.
macro_rules! backfill_table {
    ($conn:expr, $table:ident) => {{
        let names: Vec<(i64, String)> = $table::table
            .filter($table::name_folded.is_null())
            .select(($table::id, $table::name))
            .load($conn)?;
        for (id, name) in &names {
            diesel::update($table::table.find(id))
                .set($table::name_folded.eq(Some(fold(name))))
                .execute($conn)?;
        }
        names.len()
    }};
}

/// Folds the names of rows written before the folded column existed.
pub(crate) fn backfill(conn: &mut AnyConnection) -> Result<usize, TxError<Unavailable>> {
    Ok(backfill_table!(conn, inventories) + backfill_table!(conn, playbooks))
}

#[cfg(test)]
mod tests {
    #[test]
    fn folding_is_per_character_and_unicode() {
        assert_eq!(super::fold("zzÉcole"), "zzécole");
        assert_eq!(super::fold("ΣΑΣ"), "σασ");
        assert!(super::fold("ΣΑΣ").contains(&super::fold("Σ")));
    }
}
