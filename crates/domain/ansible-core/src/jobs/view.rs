//! What the reads of jobs answer, bounded whatever a job holds: a list gives each job's
//! summary (no extra variables, no output), and a job's detail gives each playbook's output
//! as its last part only, with the byte offset that part starts at, so that a reader fetches
//! the rest by offset when it wants it.

use super::id::JobId;
use super::job::{Job, PlaybookRun};
use super::status::JobStatus;
use crate::catalog::InventoryId;
use chrono::{DateTime, Utc};

/// The most bytes of each playbook's output a job's detail carries: its last part. A job of
/// 50 playbooks each at the 8 MiB output cap would otherwise answer 400 MiB.
pub const OUTPUT_TAIL_BYTES: u64 = 64 * 1024;

/// A job as a list shows it: what it runs and how far it got, without its extra variables
/// (up to [`MAX_EXTRA_VARS_BYTES`](super::extra_vars::MAX_EXTRA_VARS_BYTES) each) or output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSummary {
    pub id: JobId,
    pub inventory: InventoryId,
    pub status: JobStatus,
    pub playbooks: Vec<PlaybookRun>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
}

impl Job {
    /// The job as a list shows it.
    pub fn summary(&self) -> JobSummary {
        JobSummary {
            id: self.id.clone(),
            inventory: self.inventory,
            status: self.status,
            playbooks: self.playbooks.clone(),
            created_at: self.created_at,
            started_at: self.started_at,
            completed_at: self.completed_at,
        }
    }
}

/// The last part of a playbook's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputTail {
    /// At most the tail's size in bytes, starting on a character.
    pub text: String,
    /// The byte offset in the output where `text` starts; the output's bytes before it are
    /// what the tail leaves out.
    pub offset: u64,
}

impl OutputTail {
    /// The last `max` bytes (or fewer: the cut moves forward to the next character) of an
    /// output of which `piece` is the end, starting at byte `start` on a character.
    pub fn of(piece: &str, start: u64, max: u64) -> Self {
        let keep = usize::try_from(max).unwrap_or(usize::MAX);
        let mut cut = piece.len().saturating_sub(keep);
        while !piece.is_char_boundary(cut) {
            cut += 1;
        }
        Self {
            text: piece[cut..].to_owned(),
            offset: start + cut as u64,
        }
    }

    /// Whether the output has bytes before the tail.
    pub fn is_cut(&self) -> bool {
        self.offset > 0
    }
}

/// A job with the last part of each playbook's output, read as one state.
#[derive(Debug, Clone, PartialEq)]
pub struct JobDetail {
    pub job: Job,
    /// One per playbook, in the job's order.
    pub outputs: Vec<OutputTail>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_output_is_whole() {
        assert_eq!(
            OutputTail::of("ok\n", 0, 10),
            OutputTail {
                text: "ok\n".to_owned(),
                offset: 0
            }
        );
        assert!(!OutputTail::of("", 0, 10).is_cut());
        assert!(!OutputTail::of("0123456789", 0, 10).is_cut());
    }

    #[test]
    fn a_long_output_keeps_its_end_and_says_where_it_starts() {
        let tail = OutputTail::of("0123456789", 0, 4);
        assert_eq!((tail.text.as_str(), tail.offset), ("6789", 6));
        assert!(tail.is_cut());
        // A piece read from byte 100 of the output.
        let later = OutputTail::of("abcdef", 100, 4);
        assert_eq!((later.text.as_str(), later.offset), ("cdef", 102));
    }

    #[test]
    fn the_cut_never_splits_a_character() {
        // "€" is three bytes: the last 4 bytes start inside one, so 3 are kept.
        let tail = OutputTail::of("a€€", 0, 4);
        assert_eq!((tail.text.as_str(), tail.offset), ("€", 4));
        let crab = OutputTail::of("🦀🦀", 7, 5);
        assert_eq!((crab.text.as_str(), crab.offset), ("🦀", 11));
        assert_eq!(OutputTail::of("🦀", 0, 3).text, "");
    }
}
