//! Python string and bytes literals with their prefixes and escapes. Text is kept as
//! UTF-16 code units so that an escaped lone surrogate (`'\ud800'`) can be held until
//! the conversion to our [`Value`](crate::Value) refuses it and the raw text is kept.

use super::lexeme::{StrKind, Tok};

pub(super) fn lex_string(chars: &[char], start: usize, prefix: &str) -> Option<(Tok, usize)> {
    let p = prefix.to_ascii_lowercase();
    let raw = p.contains('r');
    let kind = if p.contains('b') {
        StrKind::Bytes
    } else if p.contains('f') {
        StrKind::Format
    } else {
        StrKind::Text
    };
    let q = chars[start];
    let triple = chars.get(start + 1) == Some(&q) && chars.get(start + 2) == Some(&q);
    let mut i = start + if triple { 3 } else { 1 };
    let mut out: Vec<u16> = Vec::new();
    let push = |out: &mut Vec<u16>, c: char| {
        let mut buf = [0u16; 2];
        out.extend_from_slice(c.encode_utf16(&mut buf));
    };
    loop {
        let c = *chars.get(i)?;
        if c == q && (!triple || (chars.get(i + 1) == Some(&q) && chars.get(i + 2) == Some(&q))) {
            i += if triple { 3 } else { 1 };
            break;
        }
        if kind == StrKind::Bytes && !c.is_ascii() {
            return None;
        }
        if c != '\\' {
            push(&mut out, c);
            i += 1;
            continue;
        }
        let e = *chars.get(i + 1)?;
        if raw {
            push(&mut out, '\\');
            push(&mut out, e);
            i += 2;
            continue;
        }
        i += 2;
        match e {
            '\\' | '\'' | '"' => push(&mut out, e),
            'a' => out.push(7),
            'b' => out.push(8),
            'f' => out.push(12),
            'n' => out.push(10),
            'r' => out.push(13),
            't' => out.push(9),
            'v' => out.push(11),
            '0'..='7' => {
                let mut v = e.to_digit(8)?;
                for _ in 0..2 {
                    match chars.get(i).and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            i += 1;
                        }
                        None => break,
                    }
                }
                if kind == StrKind::Bytes {
                    v &= 0xff;
                }
                out.push(u16::try_from(v).ok()?);
            }
            'x' => {
                let hex: String = chars.get(i..i + 2)?.iter().collect();
                let v = u16::from_str_radix(&hex, 16).ok()?;
                if hex.len() != 2 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                    return None;
                }
                out.push(v);
                i += 2;
            }
            'u' | 'U' | 'N' if kind == StrKind::Bytes => {
                push(&mut out, '\\');
                push(&mut out, e);
            }
            'u' | 'U' => {
                let n = if e == 'u' { 4 } else { 8 };
                let hex: String = chars.get(i..i + n)?.iter().collect();
                if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                    return None;
                }
                let v = u32::from_str_radix(&hex, 16).ok()?;
                i += n;
                if let Ok(unit) = u16::try_from(v) {
                    out.push(unit);
                } else {
                    push(&mut out, char::from_u32(v)?);
                }
            }
            // \N{NAME} needs the Unicode name database; keep the raw text instead.
            'N' => return None,
            other => {
                push(&mut out, '\\');
                push(&mut out, other);
            }
        }
    }
    Some((Tok::Str(out, kind), i))
}
