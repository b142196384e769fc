//! Python's tokenizer, reduced to what a literal can be made of: numbers, strings,
//! names, brackets, `,` `:` `+` `-`, `...` and a trailing `#` comment. Any other
//! character ends the attempt, and the value stays raw text.

pub(super) use super::lexeme::{Num, StrKind, Tok};
use super::number::lex_number;
use super::string::lex_string;

pub(super) fn tokenize(src: &str) -> Option<Vec<Tok>> {
    if src.contains('\0') {
        return None;
    }
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    let mut toks = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\u{0c}' => i += 1,
            '#' => break,
            '(' | ')' | '[' | ']' | '{' | '}' | ',' | ':' | '+' | '-' => {
                toks.push(Tok::Op(c));
                i += 1;
            }
            '.' if chars.get(i + 1).is_some_and(char::is_ascii_digit) => {
                let (n, next) = lex_number(&chars, i)?;
                toks.push(Tok::Num(n));
                i = next;
            }
            '.' if chars.get(i + 1) == Some(&'.') && chars.get(i + 2) == Some(&'.') => {
                toks.push(Tok::Ellipsis);
                i += 3;
            }
            '\'' | '"' => {
                let (tok, next) = lex_string(&chars, i, "")?;
                toks.push(tok);
                i = next;
            }
            c if c.is_ascii_digit() => {
                let (n, next) = lex_number(&chars, i)?;
                toks.push(Tok::Num(n));
                i = next;
            }
            c if c == '_' || c.is_alphabetic() => {
                let start = i;
                while i < chars.len() && (chars[i] == '_' || chars[i].is_alphanumeric()) {
                    i += 1;
                }
                let name: String = chars[start..i].iter().collect();
                if matches!(chars.get(i), Some('\'' | '"')) && is_string_prefix(&name) {
                    let (tok, next) = lex_string(&chars, i, &name)?;
                    toks.push(tok);
                    i = next;
                } else {
                    toks.push(Tok::Name(name));
                }
            }
            _ => return None,
        }
    }
    Some(toks)
}

fn is_string_prefix(p: &str) -> bool {
    matches!(
        p.to_ascii_lowercase().as_str(),
        "r" | "u" | "b" | "br" | "rb" | "f" | "fr" | "rf"
    )
}
