//! A job's output: chunks appended in order across the job, read back from a byte offset of
//! one playbook's output, and the notices an ending writes.

use crate::connection::AnyConnection;
use crate::error::TxError;
use crate::page::row_count;
use crate::schema::job_output;
use ansible_core::catalog::PlaybookId;
use ansible_core::jobs::{
    Job, JobId, JobStoreError, Notice, OutputChunk, OutputRead, ends_line, notice_line,
};
use diesel::prelude::*;

type Tx<T> = Result<T, TxError<JobStoreError>>;

fn bound(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Stores `text` as the job's next chunk, at the end of the playbook's output, and counts
/// it in the run (the caller saves the job). Returns the chunk's sequence number.
pub(crate) fn push(
    conn: &mut AnyConnection,
    job: &mut Job,
    playbook: PlaybookId,
    text: &str,
) -> Tx<u64> {
    let last: Option<i64> = job_output::table
        .filter(job_output::job_id.eq(job.id.as_str()))
        .select(diesel::dsl::max(job_output::seq))
        .first(conn)?;
    let seq = row_count(last.unwrap_or(0))? + 1;
    let id = job.id.clone();
    let Some(run) = job.run_mut(playbook) else {
        return Err(TxError::Domain(
            ansible_core::jobs::IllegalTransition::NotInJob(playbook).into(),
        ));
    };
    diesel::insert_into(job_output::table)
        .values((
            job_output::job_id.eq(id.as_str()),
            job_output::seq.eq(bound(seq)),
            job_output::playbook_id.eq(playbook.0),
            job_output::byte_offset.eq(bound(run.output_bytes)),
            job_output::text.eq(text),
        ))
        .execute(conn)?;
    run.output_bytes += text.len() as u64;
    Ok(seq)
}

/// Writes an ending's notice on a line of its own, whatever the cap.
pub(crate) fn write_notice(
    conn: &mut AnyConnection,
    job: &mut Job,
    notice: Option<Notice>,
) -> Tx<()> {
    let Some(Notice { playbook, message }) = notice else {
        return Ok(());
    };
    let last: Option<String> = job_output::table
        .filter(job_output::job_id.eq(job.id.as_str()))
        .filter(job_output::playbook_id.eq(playbook.0))
        .order(job_output::seq.desc())
        .select(job_output::text)
        .first(conn)
        .optional()?;
    let line = notice_line(ends_line(last.as_deref().unwrap_or("")), &message);
    push(conn, job, playbook, &line)?;
    Ok(())
}

/// The playbook's output from `offset`: the chunks from the last one that starts at or
/// before it, so that the output is never read whole for a reader near its end.
pub(crate) fn read(
    conn: &mut AnyConnection,
    job: &JobId,
    playbook: PlaybookId,
    offset: u64,
    finished: bool,
) -> Tx<OutputRead> {
    let of_playbook = || {
        job_output::table
            .filter(job_output::job_id.eq(job.as_str()))
            .filter(job_output::playbook_id.eq(playbook.0))
    };
    let start: Option<i64> = of_playbook()
        .filter(job_output::byte_offset.le(bound(offset)))
        .select(diesel::dsl::max(job_output::byte_offset))
        .first(conn)?;
    let start = start.unwrap_or(0);
    let texts: Vec<String> = of_playbook()
        .filter(job_output::byte_offset.ge(start))
        .order(job_output::seq)
        .select(job_output::text)
        .load(conn)?;
    let tail = texts.concat();
    let start = row_count(start)?;
    let read = OutputRead::from_output(&tail, offset.saturating_sub(start), finished);
    Ok(OutputRead {
        next_offset: start + read.next_offset,
        ..read
    })
}

pub(crate) fn chunks_after(
    conn: &mut AnyConnection,
    job: &JobId,
    after: u64,
    limit: usize,
) -> Tx<Vec<OutputChunk>> {
    let rows: Vec<(i64, i64, i64, String)> = job_output::table
        .filter(job_output::job_id.eq(job.as_str()))
        .filter(job_output::seq.gt(bound(after)))
        .order(job_output::seq)
        .limit(i64::try_from(limit).unwrap_or(i64::MAX))
        .select((
            job_output::seq,
            job_output::playbook_id,
            job_output::byte_offset,
            job_output::text,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|(seq, playbook, offset, text)| {
            Ok(OutputChunk {
                seq: row_count(seq)?,
                playbook: PlaybookId(playbook),
                offset: row_count(offset)?,
                text,
            })
        })
        .collect()
}
