//! A job's detail: the job and the last part of each playbook's output, read in one
//! transaction that sees one state of the database, reading only the chunks that hold that
//! last part.

use super::{output, record};
use crate::connection::AnyConnection;
use crate::dialect::db_run;
use crate::error::TxError;
use ansible_core::jobs::{JobDetail, JobId, JobStoreError, OutputTail};
use diesel::connection::{AnsiTransactionManager, TransactionManager};

type Tx<T> = Result<T, TxError<JobStoreError>>;

/// Runs the reads of `op` in one read-only transaction that sees one state: on PostgreSQL
/// `REPEATABLE READ` (one snapshot, taken at its first query); on SQLite a deferred
/// transaction, which in WAL mode reads the database as of its first read while writers go
/// on.
fn in_one_state<T>(
    conn: &mut AnyConnection,
    op: impl FnOnce(&mut AnyConnection) -> Tx<T>,
) -> Tx<T> {
    db_run!(conn,
        postgres(pg) => AnsiTransactionManager::begin_transaction_sql(
            pg,
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        ),
        sqlite(lite) => AnsiTransactionManager::begin_transaction_sql(lite, "BEGIN DEFERRED"),
    )?;
    let result = op(conn);
    let end = if result.is_ok() {
        db_run!(conn, any(c) => AnsiTransactionManager::commit_transaction(c))
    } else {
        db_run!(conn, any(c) => AnsiTransactionManager::rollback_transaction(c))
    };
    // A read-only transaction changed nothing: its end failing only matters when the
    // reads succeeded (the connection is then likely lost, and the read is tried again).
    let value = result?;
    end?;
    Ok(value)
}

/// The job and, per playbook in its order, the last `tail` bytes of its output: read from
/// the chunk that holds the byte `output_bytes - tail`, never the output whole.
pub(crate) fn detail(conn: &mut AnyConnection, id: &JobId, tail: u64) -> Tx<Option<JobDetail>> {
    in_one_state(conn, |conn| {
        let Some(job) = record::find(conn, id)? else {
            return Ok(None);
        };
        let mut outputs = Vec::with_capacity(job.playbooks.len());
        for run in &job.playbooks {
            if run.output_bytes == 0 {
                outputs.push(OutputTail::of("", 0, tail));
                continue;
            }
            let from = run.output_bytes.saturating_sub(tail);
            let read = output::read(conn, id, run.playbook, from, false)?;
            // The read starts on a character at or after `from` and reaches the stored end;
            // cutting it again keeps the tail within `tail` whatever was read.
            let start = read.next_offset.saturating_sub(read.text.len() as u64);
            outputs.push(OutputTail::of(&read.text, start, tail));
        }
        Ok(Some(JobDetail { job, outputs }))
    })
}
