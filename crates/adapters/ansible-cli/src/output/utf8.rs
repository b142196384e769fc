//! Lossy UTF-8 decoding of a byte stream that arrives in arbitrary pieces.

/// Decodes pieces of a stream; a character split between two reads is held back until its
/// last byte arrives, so it is never replaced by mistake nor split between chunks.
#[derive(Debug, Default)]
pub(crate) struct Utf8Stream {
    /// The start of a character whose remaining bytes have not been read yet (≤ 3 bytes).
    pending: Vec<u8>,
}

impl Utf8Stream {
    /// The text of `bytes`, after what was held back; invalid bytes become U+FFFD.
    pub(crate) fn decode(&mut self, bytes: &[u8]) -> String {
        let mut input = std::mem::take(&mut self.pending);
        input.extend_from_slice(bytes);
        let mut out = String::with_capacity(input.len());
        let mut rest = input.as_slice();
        loop {
            match std::str::from_utf8(rest) {
                Ok(valid) => {
                    out.push_str(valid);
                    break;
                }
                Err(e) => {
                    let (valid, after) = rest.split_at(e.valid_up_to());
                    out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                    match e.error_len() {
                        Some(bad) => {
                            out.push(char::REPLACEMENT_CHARACTER);
                            rest = after.get(bad..).unwrap_or_default();
                        }
                        // A character cut short by the end of this read: wait for the rest.
                        None => {
                            self.pending = after.to_vec();
                            break;
                        }
                    }
                }
            }
        }
        out
    }

    /// What is left at the end of the stream: a character that never finished.
    pub(crate) fn finish(&mut self) -> String {
        if self.pending.is_empty() {
            String::new()
        } else {
            self.pending.clear();
            char::REPLACEMENT_CHARACTER.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_character_split_across_reads_is_kept_whole() {
        let text = "é€𝄞 ok";
        let bytes = text.as_bytes();
        for cut in 0..=bytes.len() {
            let mut s = Utf8Stream::default();
            let mut got = s.decode(&bytes[..cut]);
            got += &s.decode(&bytes[cut..]);
            got += &s.finish();
            assert_eq!(got, text, "cut at {cut}");
        }
        // One byte at a time: nothing is emitted until a character is complete.
        let mut s = Utf8Stream::default();
        let pieces: Vec<String> = bytes.iter().map(|b| s.decode(&[*b])).collect();
        assert!(pieces.iter().all(|p| p.chars().count() <= 1));
        assert_eq!(pieces.concat(), text);
    }

    #[test]
    fn invalid_bytes_are_replaced_and_decoding_goes_on() {
        let mut s = Utf8Stream::default();
        assert_eq!(s.decode(b"a\xffb\xc3"), "a\u{fffd}b");
        assert_eq!(s.decode(b"(x"), "\u{fffd}(x");
        assert_eq!(s.decode(b"\xe2\x82"), "");
        assert_eq!(s.finish(), "\u{fffd}");
        assert_eq!(s.finish(), "");
    }
}
