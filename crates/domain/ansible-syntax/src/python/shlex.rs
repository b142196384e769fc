//! Python's `shlex.split(s, comments=True)` in POSIX mode, which Ansible's INI plugin
//! uses to tokenise host lines. Ported state machine by state machine, including the
//! surprising parts: `#` starts a comment even in the middle of a word, and quotes are
//! removed (so `x='1'` reaches `literal_eval` as `1`).

/// Errors `shlex` raises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ShlexError {
    /// `No closing quotation`.
    NoClosingQuotation,
    /// `No escaped character`.
    NoEscapedCharacter,
}

impl ShlexError {
    /// The Python exception message.
    pub(crate) fn message(&self) -> &'static str {
        match self {
            ShlexError::NoClosingQuotation => "No closing quotation",
            ShlexError::NoEscapedCharacter => "No escaped character",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Space,
    Word,
    Quote(char),
    Escape(char),
}

fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// Split one line into tokens.
pub(crate) fn split(line: &str) -> Result<Vec<String>, ShlexError> {
    let mut tokens = Vec::new();
    let mut chars = line.chars();
    loop {
        match read_token(&mut chars)? {
            Some(tok) => tokens.push(tok),
            None => return Ok(tokens),
        }
    }
}

/// `shlex.read_token` with `posix=True`, `whitespace_split=True`, `commenters='#'`.
fn read_token(chars: &mut std::str::Chars<'_>) -> Result<Option<String>, ShlexError> {
    let mut quoted = false;
    let mut escaped_state = State::Space;
    let mut token = String::new();
    let mut state = State::Space;
    loop {
        let next = chars.next();
        match state {
            State::Space => match next {
                None => break,
                Some(c) if is_ws(c) => {
                    if !token.is_empty() || quoted {
                        break;
                    }
                }
                Some('#') => {
                    // readline(): the rest of this (single) line is a comment.
                    for _ in chars.by_ref() {}
                }
                Some('\\') => {
                    escaped_state = State::Word;
                    state = State::Escape('\\');
                }
                Some(q @ ('\'' | '"')) => state = State::Quote(q),
                Some(c) => {
                    token.push(c);
                    state = State::Word;
                }
            },
            State::Quote(q) => {
                quoted = true;
                match next {
                    None => return Err(ShlexError::NoClosingQuotation),
                    Some(c) if c == q => state = State::Word,
                    Some('\\') if q == '"' => {
                        escaped_state = state;
                        state = State::Escape('\\');
                    }
                    Some(c) => token.push(c),
                }
            }
            State::Escape(esc) => {
                let Some(c) = next else {
                    return Err(ShlexError::NoEscapedCharacter);
                };
                if let State::Quote(q) = escaped_state
                    && c != esc
                    && c != q
                {
                    token.push(esc);
                }
                token.push(c);
                state = escaped_state;
            }
            State::Word => match next {
                None => break,
                Some(c) if is_ws(c) => {
                    state = State::Space;
                    if !token.is_empty() || quoted {
                        break;
                    }
                }
                Some('#') => {
                    for _ in chars.by_ref() {}
                    state = State::Space;
                    if !token.is_empty() || quoted {
                        break;
                    }
                }
                Some(q @ ('\'' | '"')) => state = State::Quote(q),
                Some('\\') => {
                    escaped_state = State::Word;
                    state = State::Escape('\\');
                }
                Some(c) => token.push(c),
            },
        }
    }
    if token.is_empty() && !quoted {
        Ok(None)
    } else {
        Ok(Some(token))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(line: &str) -> Vec<String> {
        split(line).expect("valid")
    }

    #[test]
    fn splits_like_python() {
        assert_eq!(s("a b\tc"), ["a", "b", "c"]);
        assert_eq!(s("x='1' y=\"a b\""), ["x=1", "y=a b"]);
        assert_eq!(s("a#b c"), ["a"]);
        assert_eq!(s("a #b c"), ["a"]);
        assert_eq!(s("''"), [""]);
        assert_eq!(s("x=\"'q'\""), ["x='q'"]);
        assert_eq!(s(r#"a\ b"#), ["a b"]);
        assert_eq!(s(r#""a\"b\n""#), ["a\"b\\n"]);
        assert_eq!(s(r"'a\b'"), [r"a\b"]);
        assert_eq!(s("x=\"#\""), ["x=#"]);
        assert!(s("   ").is_empty());
        assert!(s("# only").is_empty());
    }

    #[test]
    fn reports_python_errors() {
        assert_eq!(split("a 'b"), Err(ShlexError::NoClosingQuotation));
        assert_eq!(split("a\\"), Err(ShlexError::NoEscapedCharacter));
        assert_eq!(split("\"a\\"), Err(ShlexError::NoEscapedCharacter));
    }
}
