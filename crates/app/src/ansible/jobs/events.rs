//! `GET /playbooks/jobs/{jobId}/events`: the job's output and status as server-sent events.
//! Each output chunk is an event whose id is its sequence number, so a reconnect with
//! `Last-Event-ID` resumes after the last chunk seen; a finished job replays and ends.
//!
//! What a follower costs is bounded by construction: the stream is pulled, one batch of at
//! most [`SEND_BUDGET`] bytes at a time, and actix-web pulls the next only once its write
//! buffer has drained into the socket. A client that stops reading holds one batch and the
//! socket's kernel buffers, however much the job prints; one that reads slowly catches up
//! from the store, so nothing queues up for it. The store stays the only copy.

use crate::http::{ApiError, blocking};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use ansible_core::jobs::{Job, JobError, JobId, JobService, JobStore, OutputChunk};
use serde::Serialize;
use std::fmt::Write as _;
use std::time::Duration;

/// The most followers' looks that run at once, across every stream: followers wait for a
/// turn here, not for a database connection, so that however many there are, the pool
/// (4 per core by default) keeps connections for every other request.
const CONCURRENT_LOOKS: usize = 4;

/// The turns of [`CONCURRENT_LOOKS`], shared by every stream of the process.
fn looks() -> &'static tokio::sync::Semaphore {
    static LOOKS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    LOOKS.get_or_init(|| tokio::sync::Semaphore::new(CONCURRENT_LOOKS))
}

/// How long the stream waits before it looks for news again.
const POLL: Duration = Duration::from_millis(500);
/// The most chunks one look reads (each at most 64 KiB of text): what a follower holds
/// while its batch is made, so kept small; a replay of small chunks takes more looks.
const BATCH: usize = 4;
/// The most one batch of events may hold before it is handed to actix-web: what a
/// follower that stops reading can cost, besides one chunk's worth past it (a chunk is
/// never split, so an event always carries a whole chunk).
pub(crate) const SEND_BUDGET: usize = 64 * 1024;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct OutputEvent<'a> {
    playbook_id: i64,
    offset: u64,
    text: &'a str,
}

#[derive(Serialize, PartialEq)]
struct PlaybookState {
    id: i64,
    status: &'static str,
}

#[derive(Serialize, PartialEq)]
struct StatusEvent {
    status: &'static str,
    playbooks: Vec<PlaybookState>,
}

impl From<&Job> for StatusEvent {
    fn from(job: &Job) -> Self {
        Self {
            status: job.status.as_str(),
            playbooks: job
                .playbooks
                .iter()
                .map(|p| PlaybookState {
                    id: p.playbook.0,
                    status: p.status.as_str(),
                })
                .collect(),
        }
    }
}

fn event(out: &mut String, id: Option<u64>, name: &str, data: &impl Serialize) {
    // Serializing these plain structs cannot fail; an empty object stands in if it did.
    let data = serde_json::to_string(data).unwrap_or_else(|_| "{}".to_owned());
    if let Some(id) = id {
        let _ = writeln!(out, "id: {id}");
    }
    let _ = write!(out, "event: {name}\ndata: {data}\n\n");
}

struct Follow<S: JobStore> {
    service: web::Data<JobService<S, S>>,
    id: JobId,
    after: u64,
    last: Option<StatusEvent>,
    ended: bool,
}

/// The job, then its chunks after `after`: read in that order, a finished job's chunks
/// are all there.
fn look<S: JobStore>(
    service: &JobService<S, S>,
    id: &JobId,
    after: u64,
) -> Result<(Job, Vec<OutputChunk>), JobError> {
    let job = service.job(id)?;
    let chunks = service.output_after(id, after, BATCH)?;
    Ok((job, chunks))
}

/// The next batch of events; the stream ends after `end`, or when the store fails (the
/// client reconnects with `Last-Event-ID`).
async fn next<S: JobStore>(
    mut follow: Follow<S>,
) -> Option<(Result<Bytes, std::convert::Infallible>, Follow<S>)> {
    if follow.ended {
        return None;
    }
    loop {
        let (service, id, after) = (follow.service.clone(), follow.id.clone(), follow.after);
        // The semaphore is never closed, so a turn always comes.
        let turn = looks().acquire().await.ok();
        let looked = blocking(move || look(&service, &id, after)).await;
        drop(turn);
        let (job, chunks) = match looked {
            Ok(found) => found,
            Err(e) => {
                tracing::warn!(job = %follow.id, error = ?e, "a job's event stream stopped");
                return None;
            }
        };
        let mut out = String::new();
        let mut sent = 0;
        for chunk in &chunks {
            if out.len() >= SEND_BUDGET {
                break;
            }
            let data = OutputEvent {
                playbook_id: chunk.playbook.0,
                offset: chunk.offset,
                text: &chunk.text,
            };
            event(&mut out, Some(chunk.seq), "output", &data);
            follow.after = chunk.seq;
            sent += 1;
        }
        // All read were sent, and fewer than a batch were there: this is the end of what
        // the job has printed so far.
        let caught_up = sent == chunks.len() && chunks.len() < BATCH;
        let status = StatusEvent::from(&job);
        if follow.last.as_ref() != Some(&status) {
            event(&mut out, None, "status", &status);
            follow.last = Some(status);
        }
        if job.status.is_finished() && caught_up {
            event(&mut out, None, "end", &StatusEvent::from(&job));
            follow.ended = true;
        }
        if !out.is_empty() {
            return Some((Ok(Bytes::from(out)), follow));
        }
        actix_web::rt::time::sleep(POLL).await;
    }
}

pub async fn events<S: JobStore>(
    req: HttpRequest,
    id: web::Path<String>,
    service: web::Data<JobService<S, S>>,
) -> Result<HttpResponse, ApiError> {
    let id = super::job_id(&id)?;
    let after = req
        .headers()
        .get("Last-Event-ID")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(0);
    let (check, known) = (service.clone(), id.clone());
    blocking(move || check.job(&known)).await?;
    let follow = Follow {
        service,
        id,
        after,
        last: None,
        ended: false,
    };
    let stream = futures_util::stream::unfold(follow, next::<S>);
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-cache"))
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(stream))
}
