//! Batching decoded text into chunks: whole lines where it can, at most 64 KiB, and about
//! ten a second, since each chunk is one stored row and one live event.

use std::time::{Duration, Instant};

/// The largest chunk handed to the sink.
pub(crate) const MAX_CHUNK_BYTES: usize = 64 * 1024;
/// How long text may wait before it is handed on.
pub(crate) const FLUSH_EVERY: Duration = Duration::from_millis(100);

/// Text waiting to be handed on.
#[derive(Debug, Default)]
pub(crate) struct Batcher {
    pending: String,
    /// When the oldest waiting text arrived.
    since: Option<Instant>,
}

impl Batcher {
    pub(crate) fn push(&mut self, text: &str, now: Instant) {
        if text.is_empty() {
            return;
        }
        if self.pending.is_empty() {
            self.since = Some(now);
        }
        self.pending.push_str(text);
    }

    /// When the waiting text falls due, if any waits.
    pub(crate) fn due_at(&self) -> Option<Instant> {
        self.since.map(|since| since + FLUSH_EVERY)
    }

    /// The chunks to hand on now: every full 64 KiB, and once the waiting text is due, up
    /// to its last line end (a line without its end goes at the next due time).
    pub(crate) fn take_due(&mut self, now: Instant) -> Vec<String> {
        let mut chunks = Vec::new();
        while self.pending.len() >= MAX_CHUNK_BYTES {
            chunks.push(self.split_off_front(MAX_CHUNK_BYTES));
        }
        let due = self.due_at().is_some_and(|at| now >= at);
        if due && !self.pending.is_empty() {
            // Text after the last line end waits one more period; text without any line
            // end goes as it is, so a prompt or a progress line never waits for ever.
            let cut = self
                .pending
                .rfind('\n')
                .map_or(self.pending.len(), |i| i + 1);
            chunks.push(self.split_off_front(cut));
        }
        if self.pending.is_empty() {
            self.since = None;
        } else if due || !chunks.is_empty() {
            self.since = Some(now);
        }
        chunks
    }

    /// Everything still waiting, at the end of the stream.
    pub(crate) fn take_all(&mut self) -> Vec<String> {
        let mut chunks = Vec::new();
        while !self.pending.is_empty() {
            chunks.push(self.split_off_front(MAX_CHUNK_BYTES));
        }
        self.since = None;
        chunks
    }

    /// The front of the waiting text, at most `max` bytes: to its last line end if it has
    /// one, else to the last character boundary.
    fn split_off_front(&mut self, max: usize) -> String {
        let mut cut = max.min(self.pending.len());
        if cut < self.pending.len() {
            let window = self.pending.get(..=cut).unwrap_or_default();
            cut = match window.rfind('\n') {
                Some(i) if i < cut => i + 1,
                _ => floor_char_boundary(&self.pending, cut),
            };
        }
        let rest = self.pending.split_off(cut);
        std::mem::replace(&mut self.pending, rest)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_waits_until_due_then_goes_by_whole_lines() {
        let t0 = Instant::now();
        let mut b = Batcher::default();
        b.push("one\ntw", t0);
        assert!(b.take_due(t0 + Duration::from_millis(50)).is_empty());
        assert_eq!(b.take_due(t0 + FLUSH_EVERY), vec!["one\n"]);
        // The unfinished line waits one more period, then goes as it is.
        let t1 = t0 + FLUSH_EVERY;
        assert!(b.take_due(t1 + Duration::from_millis(50)).is_empty());
        assert_eq!(b.take_due(t1 + FLUSH_EVERY), vec!["tw"]);
        assert_eq!(b.due_at(), None);
        assert!(b.take_all().is_empty());
    }

    #[test]
    fn chunks_never_pass_64_kib_nor_split_a_character() {
        let t0 = Instant::now();
        let mut b = Batcher::default();
        // Three-byte characters, so that 64 KiB falls inside one; no line ends at all.
        let text = "€".repeat(50_000);
        b.push(&text, t0);
        let mut chunks = b.take_due(t0);
        assert_eq!(chunks.len(), 2, "two full chunks go at once");
        chunks.extend(b.take_all());
        assert!(chunks.iter().all(|c| c.len() <= MAX_CHUNK_BYTES));
        assert_eq!(chunks.concat(), text);
    }

    #[test]
    fn a_full_chunk_ends_at_a_line_end_when_it_has_one() {
        let t0 = Instant::now();
        let mut b = Batcher::default();
        let line = format!("{}\n", "x".repeat(999));
        let text = line.repeat(70);
        b.push(&text, t0);
        let first = b.take_due(t0);
        assert_eq!(first.len(), 1);
        assert!(first[0].ends_with('\n') && first[0].len() == 65 * 1000);
        assert_eq!(b.take_all().concat(), line.repeat(5));
    }
}
