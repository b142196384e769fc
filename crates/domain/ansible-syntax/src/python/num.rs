//! Python number semantics: `int(str)`, `int(x)` and `repr(float)`.

use super::text::strip;
use crate::value::Value;

/// Why a Python `int()` call would fail (or overflow our fixed-width integers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IntError {
    /// Python raises `ValueError`/`TypeError`.
    Invalid,
    /// Python would succeed with a huge integer we do not represent.
    Overflow,
}

/// Python's `int(s)` for a `str` argument in base 10: surrounding whitespace, an
/// optional sign, and digits with single underscores between them.
///
/// Non-ASCII decimal digits (which Python accepts) are rejected.
pub(crate) fn parse_int(s: &str) -> Result<i128, IntError> {
    let t = strip(s);
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if !valid_digit_groups(digits, |c| c.is_ascii_digit()) {
        return Err(IntError::Invalid);
    }
    let mut value: i128 = 0;
    for c in digits.chars().filter(|c| *c != '_') {
        let d = i128::from(c as u8 - b'0');
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(d))
            .ok_or(IntError::Overflow)?;
    }
    Ok(if neg { -value } else { value })
}

/// `digit (_? digit)*` for the given digit class.
pub(crate) fn valid_digit_groups(s: &str, is_digit: impl Fn(char) -> bool) -> bool {
    let mut prev_digit = false;
    let mut any = false;
    for c in s.chars() {
        if c == '_' {
            if !prev_digit {
                return false;
            }
            prev_digit = false;
        } else if is_digit(c) {
            prev_digit = true;
            any = true;
        } else {
            return false;
        }
    }
    any && prev_digit
}

/// Python's `int(value)` for an inventory variable value, as used for
/// `ansible_group_priority`.
pub(crate) fn int_of_value(value: &Value) -> Result<i128, IntError> {
    match value {
        Value::Int(i) => Ok(i128::from(*i)),
        Value::Bool(b) => Ok(i128::from(*b)),
        Value::Float(f) => {
            if !f.is_finite() {
                return Err(IntError::Invalid);
            }
            let t = f.trunc();
            if t.abs() > 1e30 {
                return Err(IntError::Overflow);
            }
            #[allow(clippy::cast_possible_truncation)]
            Ok(t as i128)
        }
        other => match other.as_str() {
            Some(s) => parse_int(s),
            None => Err(IntError::Invalid),
        },
    }
}

/// Python's `repr(float)`: shortest round-trip digits, fixed notation for exponents in
/// `-4..16`, otherwise `1e+16` style. Used where Python turns a float into text (JSON
/// object keys).
pub(crate) fn float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 {
            "inf".to_owned()
        } else {
            "-inf".to_owned()
        };
    }
    let sci = format!("{x:e}");
    let (sign, rest) = match sci.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", sci.as_str()),
    };
    let (mantissa, exp) = rest.split_once('e').unwrap_or((rest, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if (-4..16).contains(&exp) {
        if exp >= 0 {
            let int_len = usize::try_from(exp).unwrap_or(0) + 1;
            let mut int_part = digits.chars().take(int_len).collect::<String>();
            while int_part.len() < int_len {
                int_part.push('0');
            }
            let frac: String = digits.chars().skip(int_len).collect();
            let frac = if frac.is_empty() {
                "0".to_owned()
            } else {
                frac
            };
            format!("{sign}{int_part}.{frac}")
        } else {
            let zeros = "0".repeat(usize::try_from(-exp - 1).unwrap_or(0));
            format!("{sign}0.{zeros}{digits}")
        }
    } else {
        let (first, tail) = digits.split_at(1.min(digits.len()));
        let frac = if tail.is_empty() {
            String::new()
        } else {
            format!(".{tail}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{first}{frac}e{esign}{:02}", exp.abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_int_parsing() {
        assert_eq!(parse_int(" 12 "), Ok(12));
        assert_eq!(parse_int("-1_000"), Ok(-1000));
        assert_eq!(parse_int("+7"), Ok(7));
        assert_eq!(parse_int("007"), Ok(7));
        assert_eq!(parse_int("1__0"), Err(IntError::Invalid));
        assert_eq!(parse_int("_1"), Err(IntError::Invalid));
        assert_eq!(parse_int("1_"), Err(IntError::Invalid));
        assert_eq!(parse_int(""), Err(IntError::Invalid));
        assert_eq!(parse_int("a"), Err(IntError::Invalid));
        assert_eq!(parse_int(&"9".repeat(50)), Err(IntError::Overflow));
    }

    #[test]
    fn python_int_of_values() {
        assert_eq!(int_of_value(&Value::Float(-2.7)), Ok(-2));
        assert_eq!(int_of_value(&Value::Bool(true)), Ok(1));
        assert_eq!(int_of_value(&Value::String("5".into())), Ok(5));
        assert_eq!(int_of_value(&Value::Null), Err(IntError::Invalid));
        assert_eq!(
            int_of_value(&Value::String("1.5".into())),
            Err(IntError::Invalid)
        );
    }

    #[test]
    fn python_float_repr() {
        for (x, want) in [
            (1.0, "1.0"),
            (1.5, "1.5"),
            (-0.0, "-0.0"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (1e15, "1000000000000000.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (123.456, "123.456"),
            (1e300, "1e+300"),
        ] {
            assert_eq!(float_repr(x), want, "{x}");
        }
    }
}
