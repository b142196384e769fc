//! What a message and a title must be.

use super::error::AssistError;

/// The largest message a user may send, in bytes of UTF-8 (DESIGN.md §3.6).
pub const MAX_MESSAGE_BYTES: usize = 32 * 1024;

/// A conversation title's most characters.
const MAX_TITLE_CHARS: usize = 255;

/// A title made from a first message keeps this many characters of its first line.
const TITLE_FROM_MESSAGE_CHARS: usize = 80;

/// The title when none is given and no message names one.
const DEFAULT_TITLE: &str = "New conversation";

/// A message as a user may send it: not blank, at most [`MAX_MESSAGE_BYTES`], no NUL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageText(String);

impl MessageText {
    /// The text as sent (surrounding whitespace kept: it may be part of a YAML snippet).
    /// Errors: [`AssistError::InvalidMessage`] naming the rule broken.
    pub fn parse(raw: String) -> Result<Self, AssistError> {
        if raw.trim().is_empty() {
            return Err(AssistError::InvalidMessage(
                "message: must not be empty".to_owned(),
            ));
        }
        if raw.len() > MAX_MESSAGE_BYTES {
            return Err(AssistError::InvalidMessage(format!(
                "message: must be at most {MAX_MESSAGE_BYTES} bytes (it has {})",
                raw.len()
            )));
        }
        if raw.contains('\0') {
            return Err(AssistError::InvalidMessage(
                "message: must not contain the NUL character".to_owned(),
            ));
        }
        Ok(Self(raw))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

fn cut(text: &str, chars: usize) -> String {
    let mut out: String = text.chars().take(chars).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}

/// The title of a new conversation: the one given (trimmed, at most 255 characters), else
/// the first line of its first message (at most 80 characters), else "New conversation".
/// Errors: [`AssistError::InvalidTitle`] for a title with NUL.
pub fn conversation_title(
    given: Option<&str>,
    first_message: Option<&str>,
) -> Result<String, AssistError> {
    if let Some(title) = given.map(str::trim).filter(|t| !t.is_empty()) {
        if title.contains('\0') {
            return Err(AssistError::InvalidTitle(
                "title: must not contain the NUL character".to_owned(),
            ));
        }
        if title.chars().count() > MAX_TITLE_CHARS {
            return Err(AssistError::InvalidTitle(format!(
                "title: must be at most {MAX_TITLE_CHARS} characters"
            )));
        }
        return Ok(title.to_owned());
    }
    let line = first_message
        .and_then(|m| m.lines().map(str::trim).find(|l| !l.is_empty()))
        .map(|l| cut(l, TITLE_FROM_MESSAGE_CHARS));
    Ok(line.unwrap_or_else(|| DEFAULT_TITLE.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_must_hold_something_and_fit() {
        assert!(MessageText::parse("如何部署 Nginx?".into()).is_ok());
        for bad in ["", "  \n\t ", "a\0b"] {
            assert!(matches!(
                MessageText::parse(bad.into()),
                Err(AssistError::InvalidMessage(_))
            ));
        }
        assert!(MessageText::parse("x".repeat(MAX_MESSAGE_BYTES)).is_ok());
        assert!(MessageText::parse("x".repeat(MAX_MESSAGE_BYTES + 1)).is_err());
        // Bytes, not characters: 11,000 three-byte characters are over 32 KiB.
        assert!(MessageText::parse("部".repeat(11_000)).is_err());
    }

    #[test]
    fn titles_come_from_the_request_or_the_first_line() {
        assert_eq!(
            conversation_title(Some(" 部署 Nginx 諮詢 "), None).ok(),
            Some("部署 Nginx 諮詢".into())
        );
        assert_eq!(
            conversation_title(None, Some("\n How do I deploy nginx?\nmore")).ok(),
            Some("How do I deploy nginx?".into())
        );
        let long = conversation_title(None, Some(&"y".repeat(200))).unwrap_or_default();
        assert_eq!(long.chars().count(), 81);
        assert_eq!(
            conversation_title(Some("  "), None).ok(),
            Some("New conversation".into())
        );
        assert!(conversation_title(Some(&"t".repeat(256)), None).is_err());
    }
}
