//! A playbook's output as the stores keep it: appended in chunks as it arrives (never
//! rewritten whole), capped with a visible marker, and read back from a byte offset. The
//! rules are functions here so that every store cuts, marks and reads alike.

use crate::catalog::PlaybookId;

/// How the hub's own lines in an output begin, so that nobody mistakes them for Ansible's.
const NOTICE_PREFIX: &str = "[control-hub] ";

/// One appended piece of a job's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputChunk {
    /// 1, 2, 3, … in append order across the whole job (every playbook's chunks share the
    /// sequence), so one number says where a live reader stopped (SSE's `Last-Event-ID`).
    pub seq: u64,
    pub playbook: PlaybookId,
    /// The byte offset of the chunk in its playbook's output.
    pub offset: u64,
    pub text: String,
}

/// What an append did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Appended {
    /// Stored as chunk `seq`; `truncated` when this chunk reached the cap and now ends with
    /// the truncation marker.
    Stored { seq: u64, truncated: bool },
    /// Nothing stored: the output was truncated before, or the chunk was empty.
    Dropped,
}

/// A read of a playbook's output from a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputRead {
    pub text: String,
    /// Where the next read starts: the end of the output so far.
    pub next_offset: u64,
    /// Nothing more will be appended: the run is over and `text` reaches the end.
    pub complete: bool,
}

impl OutputRead {
    /// `output` from `offset`. An offset past the end reads nothing; one inside a character
    /// starts at the next character, since a part of a character is no text.
    pub fn from_output(output: &str, offset: u64, finished: bool) -> Self {
        let mut start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(output.len());
        while !output.is_char_boundary(start) {
            start += 1;
        }
        Self {
            text: output[start..].to_owned(),
            next_offset: output.len() as u64,
            complete: finished,
        }
    }
}

/// The marker that ends a playbook's output once it reached `cap` bytes.
pub fn truncation_marker(cap: u64) -> String {
    notice_line(
        true,
        &format!("output truncated: this playbook wrote more than {cap} bytes"),
    )
}

/// A line of the hub's own in an output (why a job failed, that it was canceled), on a line
/// of its own: `at_line_start` says whether the output so far ends a line (or is empty).
/// Notices are written whatever the cap: they are short, and the reader must see them.
pub fn notice_line(at_line_start: bool, message: &str) -> String {
    let newline = if at_line_start { "" } else { "\n" };
    format!("{newline}{NOTICE_PREFIX}{message}\n")
}

/// Whether text ending so (the last chunk of an output, or none) ends a line.
pub fn ends_line(output_so_far: &str) -> bool {
    output_so_far.is_empty() || output_so_far.ends_with('\n')
}

/// What a store keeps of a chunk for a playbook whose output holds `stored` bytes and
/// `truncated` says whether it was cut before. NUL becomes U+FFFD (no text column of
/// PostgreSQL holds NUL); the part that fits in `cap` is kept and, when the chunk does not
/// fit whole, followed by the [`truncation_marker`]. `None`: store nothing.
pub fn admit(stored: u64, truncated: bool, chunk: &str, cap: u64) -> Option<(String, bool)> {
    if truncated || chunk.is_empty() {
        return None;
    }
    let clean = chunk.replace('\0', "\u{fffd}");
    let room = usize::try_from(cap.saturating_sub(stored)).unwrap_or(usize::MAX);
    if clean.len() <= room {
        return Some((clean, false));
    }
    let mut cut = room;
    while !clean.is_char_boundary(cut) {
        cut -= 1;
    }
    let kept = &clean[..cut];
    let marker = truncation_marker(cap);
    Some((
        format!("{kept}{}{marker}", if ends_line(kept) { "" } else { "\n" }),
        true,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chunk_that_fits_is_kept_whole() {
        assert_eq!(
            admit(0, false, "ok\n", 10),
            Some(("ok\n".to_owned(), false))
        );
        assert_eq!(admit(7, false, "abc", 10), Some(("abc".to_owned(), false)));
        assert_eq!(admit(0, false, "", 10), None);
        assert_eq!(admit(0, true, "more", 10), None);
    }

    #[test]
    fn the_cap_cuts_on_a_character_and_marks_the_cut() {
        let marker = truncation_marker(10);
        assert_eq!(
            marker,
            "[control-hub] output truncated: this playbook wrote more than 10 bytes\n"
        );
        assert_eq!(
            admit(6, false, "abcdef", 10),
            Some((format!("abcd\n{marker}"), true))
        );
        // "é" is two bytes: the cut never splits one.
        assert_eq!(
            admit(0, false, "ééééé\n", 9),
            Some((format!("éééé\n{}", truncation_marker(9)), true))
        );
        assert_eq!(
            admit(0, false, "éé", 3),
            Some((format!("é\n{}", truncation_marker(3)), true))
        );
        assert_eq!(
            admit(10, false, "x", 10),
            Some((marker.clone(), true)),
            "an output already at the cap gets only the marker"
        );
        assert_eq!(
            admit(0, false, "line\nnext", 5),
            Some((format!("line\n{}", truncation_marker(5)), true))
        );
    }

    #[test]
    fn nul_never_reaches_a_store() {
        assert_eq!(
            admit(0, false, "a\0b", 100),
            Some(("a\u{fffd}b".to_owned(), false))
        );
    }

    #[test]
    fn reads_start_at_the_offset_on_a_character() {
        let out = "héllo\n";
        assert_eq!(
            OutputRead::from_output(out, 0, false),
            OutputRead {
                text: out.to_owned(),
                next_offset: 7,
                complete: false
            }
        );
        assert_eq!(OutputRead::from_output(out, 3, true).text, "llo\n");
        // Offset 2 is inside "é": the read starts after it.
        assert_eq!(OutputRead::from_output(out, 2, false).text, "llo\n");
        let past = OutputRead::from_output(out, 99, true);
        assert_eq!(
            (past.text.as_str(), past.next_offset, past.complete),
            ("", 7, true)
        );
    }

    #[test]
    fn notices_sit_on_lines_of_their_own() {
        assert_eq!(notice_line(true, "stopped"), "[control-hub] stopped\n");
        assert_eq!(
            notice_line(ends_line("TASK [x]"), "stopped"),
            "\n[control-hub] stopped\n"
        );
        assert!(ends_line("") && ends_line("a\n") && !ends_line("a"));
    }
}
