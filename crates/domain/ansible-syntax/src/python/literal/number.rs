//! Python number literals (`1_000`, `0o17`, `.5`, `1e3`, `2j`) with the grammar's
//! exact rules, so that what Python refuses (`010`, `1__0`, `1abc`) stays raw text.

use super::lexeme::Num;

fn digit_run(chars: &[char], mut i: usize, is_digit: impl Fn(char) -> bool) -> Option<usize> {
    // digit (["_"] digit)*
    if !chars.get(i).copied().is_some_and(&is_digit) {
        return None;
    }
    i += 1;
    loop {
        match chars.get(i) {
            Some(&c) if is_digit(c) => i += 1,
            Some('_') if chars.get(i + 1).copied().is_some_and(&is_digit) => i += 2,
            _ => return Some(i),
        }
    }
}

pub(super) fn lex_number(chars: &[char], start: usize) -> Option<(Num, usize)> {
    let mut i = start;
    let text =
        |a: usize, b: usize| -> String { chars[a..b].iter().filter(|c| **c != '_').collect() };
    if chars[i] == '0' {
        let radix = match chars.get(i + 1) {
            Some('x' | 'X') => Some(16),
            Some('o' | 'O') => Some(8),
            Some('b' | 'B') => Some(2),
            _ => None,
        };
        if let Some(radix) = radix {
            i += 2;
            // (["_"] digit)+
            if chars.get(i) == Some(&'_') {
                i += 1;
            }
            let end = digit_run(chars, i, |c| c.is_digit(radix))?;
            if chars
                .get(end)
                .is_some_and(|c| c.is_alphanumeric() || *c == '_')
            {
                return None;
            }
            let digits = text(i, end);
            let n = match i128::from_str_radix(&digits, radix) {
                Ok(v) => Num::Int(v),
                Err(_) => Num::Big(digits),
            };
            return Some((n, end));
        }
    }
    let mut is_float = false;
    let int_end = if chars[i].is_ascii_digit() {
        digit_run(chars, i, |c| c.is_ascii_digit())?
    } else {
        i
    };
    i = int_end;
    if chars.get(i) == Some(&'.') {
        is_float = true;
        i += 1;
        if chars.get(i).is_some_and(char::is_ascii_digit) {
            i = digit_run(chars, i, |c| c.is_ascii_digit())?;
        }
    }
    if matches!(chars.get(i), Some('e' | 'E')) {
        let mut j = i + 1;
        if matches!(chars.get(j), Some('+' | '-')) {
            j += 1;
        }
        i = digit_run(chars, j, |c| c.is_ascii_digit())?;
        is_float = true;
    }
    let imag = matches!(chars.get(i), Some('j' | 'J'));
    let body_end = i;
    if imag {
        i += 1;
    }
    if chars
        .get(i)
        .is_some_and(|c| c.is_alphanumeric() || *c == '_')
    {
        return None;
    }
    let body = text(start, body_end);
    if imag || is_float {
        let mut norm = body.clone();
        if norm.starts_with('.') {
            norm.insert(0, '0');
        }
        let norm = norm.replace(".e", ".0e").replace(".E", ".0E");
        let norm = if norm.ends_with('.') {
            format!("{norm}0")
        } else {
            norm
        };
        let v: f64 = norm.parse().ok()?;
        return Some((if imag { Num::Imag(v) } else { Num::Float(v) }, i));
    }
    // decinteger: nonzerodigit (["_"] digit)* | "0"+ (["_"] "0")*
    if body.starts_with('0') && body.chars().any(|c| c != '0') {
        return None;
    }
    let n = match body.parse::<i128>() {
        Ok(v) => Num::Int(v),
        Err(_) => Num::Big(body),
    };
    Some((n, i))
}
