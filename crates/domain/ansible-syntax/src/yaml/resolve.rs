//! YAML 1.1 scalar typing exactly as PyYAML's `SafeLoader` (and so Ansible) does it:
//! `yes`/`on` are booleans, `0o17` and `1e3` are strings, `017` is octal, `12:30` is
//! the sexagesimal integer 750, `2001-12-14` is a date. serde-saphyr's own typing
//! follows YAML 1.2 and would disagree on several of these, so we resolve plain
//! scalars ourselves.

use crate::python::num::valid_digit_groups;

/// The implicit tag PyYAML's resolver assigns to a plain scalar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Implicit {
    Null,
    Bool,
    Int,
    Float,
    Timestamp,
    Merge,
    Value,
    Str,
}

/// An integer as PyYAML constructs it; Python integers are unbounded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Int {
    Small(i64),
    /// Too large for 64 bits; the source text is kept.
    Big(String),
}

/// Resolve a plain (unquoted, untagged) scalar.
pub(crate) fn resolve_plain(s: &str) -> Implicit {
    if matches!(
        s,
        "yes"
            | "Yes"
            | "YES"
            | "no"
            | "No"
            | "NO"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
    ) {
        Implicit::Bool
    } else if is_float(s) {
        Implicit::Float
    } else if is_int(s) {
        Implicit::Int
    } else if s == "<<" {
        Implicit::Merge
    } else if matches!(s, "" | "~" | "null" | "Null" | "NULL") {
        Implicit::Null
    } else if is_timestamp(s) {
        Implicit::Timestamp
    } else if s == "=" {
        Implicit::Value
    } else {
        Implicit::Str
    }
}

fn strip_sign(s: &str) -> &str {
    s.strip_prefix(['-', '+']).unwrap_or(s)
}

fn all(s: &str, f: impl Fn(u8) -> bool) -> bool {
    s.bytes().all(f)
}

/// `[0-9][0-9_]*`
fn digits_underscore(s: &str) -> bool {
    s.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && all(s, |b| b.is_ascii_digit() || b == b'_')
}

/// `(:[0-5]?[0-9])+` — the sexagesimal tail, given text starting with `:`.
fn sexagesimal_tail(s: &str) -> bool {
    let Some(rest) = s.strip_prefix(':') else {
        return false;
    };
    rest.split(':').all(|part| match part.as_bytes() {
        [d] => d.is_ascii_digit(),
        [a, b] => (b'0'..=b'5').contains(a) && b.is_ascii_digit(),
        _ => false,
    })
}

fn exponent_ok(e: &str) -> bool {
    // [eE][-+][0-9]+
    let b = e.as_bytes();
    b.len() >= 3
        && matches!(b[0], b'e' | b'E')
        && matches!(b[1], b'-' | b'+')
        && all(&e[2..], |c| c.is_ascii_digit())
}

fn is_float(s: &str) -> bool {
    if matches!(strip_sign(s), ".inf" | ".Inf" | ".INF") || matches!(s, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    // \.[0-9_]+([eE][-+][0-9]+)?   (no sign allowed)
    if let Some(rest) = s.strip_prefix('.') {
        let (frac, exp) = split_exponent(rest);
        return !frac.is_empty()
            && all(frac, |b| b.is_ascii_digit() || b == b'_')
            && exp.is_none_or(exponent_ok);
    }
    let body = strip_sign(s);
    let Some(dot) = body.find('.') else {
        return false;
    };
    let (int_part, after) = (&body[..dot], &body[dot + 1..]);
    // [0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*
    if let Some(colon) = int_part.find(':') {
        return digits_underscore(&int_part[..colon])
            && sexagesimal_tail(&int_part[colon..])
            && all(after, |b| b.is_ascii_digit() || b == b'_');
    }
    // [0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?
    let (frac, exp) = split_exponent(after);
    digits_underscore(int_part)
        && all(frac, |b| b.is_ascii_digit() || b == b'_')
        && exp.is_none_or(exponent_ok)
}

fn split_exponent(s: &str) -> (&str, Option<&str>) {
    match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i..])),
        None => (s, None),
    }
}

fn is_int(s: &str) -> bool {
    let body = strip_sign(s);
    if let Some(bin) = body.strip_prefix("0b") {
        return !bin.is_empty() && all(bin, |b| matches!(b, b'0' | b'1' | b'_'));
    }
    if let Some(hex) = body.strip_prefix("0x") {
        return !hex.is_empty() && all(hex, |b| b.is_ascii_hexdigit() || b == b'_');
    }
    if let Some(oct) = body.strip_prefix('0') {
        // 0 | 0[0-7_]+
        return all(oct, |b| matches!(b, b'0'..=b'7' | b'_'));
    }
    if !body
        .as_bytes()
        .first()
        .is_some_and(|b| (b'1'..=b'9').contains(b))
    {
        return false;
    }
    match body.find(':') {
        None => digits_underscore(body),
        Some(colon) => digits_underscore(&body[..colon]) && sexagesimal_tail(&body[colon..]),
    }
}

fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let d = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    if b.len() == 10
        && (0..4).all(d)
        && b[4] == b'-'
        && d(5)
        && d(6)
        && b[7] == b'-'
        && d(8)
        && d(9)
    {
        return true;
    }
    parse_timestamp(s).is_some_and(|t| t.time.is_some())
}

/// Fields matched by PyYAML's `timestamp_regexp` (the constructor's, looser, regex).
struct Stamp<'a> {
    year: &'a str,
    month: &'a str,
    day: &'a str,
    time: Option<Time<'a>>,
}

struct Time<'a> {
    hour: &'a str,
    minute: &'a str,
    second: &'a str,
    fraction: Option<&'a str>,
    tz: Option<&'a str>,
}

/// Take 1..=max ASCII digits (greedy).
fn take_digits(s: &str, min: usize, max: usize) -> Option<(&str, &str)> {
    let n = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
    (n >= min).then(|| s.split_at(n))
}

fn parse_timestamp(s: &str) -> Option<Stamp<'_>> {
    let (year, r) = take_digits(s, 4, 4)?;
    let r = r.strip_prefix('-')?;
    let (month, r) = take_digits(r, 1, 2)?;
    let r = r.strip_prefix('-')?;
    let (day, r) = take_digits(r, 1, 2)?;
    if r.is_empty() {
        return Some(Stamp {
            year,
            month,
            day,
            time: None,
        });
    }
    let r = match r.strip_prefix(['T', 't']) {
        Some(r) => r,
        None => {
            let t = r.trim_start_matches([' ', '\t']);
            if t.len() == r.len() {
                return None;
            }
            t
        }
    };
    let (hour, r) = take_digits(r, 1, 2)?;
    let r = r.strip_prefix(':')?;
    let (minute, r) = take_digits(r, 2, 2)?;
    let r = r.strip_prefix(':')?;
    let (second, mut r) = take_digits(r, 2, 2)?;
    let mut fraction = None;
    if let Some(f) = r.strip_prefix('.') {
        let n = f.bytes().take_while(u8::is_ascii_digit).count();
        fraction = Some(&f[..n]);
        r = &f[n..];
    }
    let mut tz = None;
    if !r.is_empty() {
        let t = r.trim_start_matches([' ', '\t']);
        let ok = t == "Z" || {
            let body = t.strip_prefix(['-', '+']);
            body.is_some_and(|b| {
                let Some((h, rest)) = take_digits(b, 1, 2) else {
                    return false;
                };
                rest.is_empty()
                    || rest
                        .strip_prefix(':')
                        .is_some_and(|m| m.len() == 2 && all(m, |c| c.is_ascii_digit()))
                        && !h.is_empty()
            })
        };
        if !ok {
            return None;
        }
        tz = Some(t);
    }
    Some(Stamp {
        year,
        month,
        day,
        time: Some(Time {
            hour,
            minute,
            second,
            fraction,
            tz,
        }),
    })
}

fn num<T: std::str::FromStr>(s: &str) -> Result<T, String> {
    s.parse().map_err(|_| format!("invalid number {s:?}"))
}

/// PyYAML's `construct_yaml_timestamp`, returning what `ansible-inventory` prints for
/// the resulting `date`/`datetime` (its `isoformat()`).
pub(crate) fn construct_timestamp(s: &str) -> Result<String, String> {
    let st = parse_timestamp(s).ok_or_else(|| format!("invalid timestamp {s:?}"))?;
    let year: u32 = num(st.year)?;
    let month: u32 = num(st.month)?;
    let day: u32 = num(st.day)?;
    if !(1..=9999).contains(&year) {
        return Err(format!("year {year} is out of range"));
    }
    if !(1..=12).contains(&month) {
        return Err("month must be in 1..12".to_owned());
    }
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let dim = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !(1..=dim).contains(&day) {
        return Err("day is out of range for month".to_owned());
    }
    let date = format!("{year:04}-{month:02}-{day:02}");
    let Some(t) = st.time else {
        return Ok(date);
    };
    let hour: u32 = num(t.hour)?;
    let minute: u32 = num(t.minute)?;
    let second: u32 = num(t.second)?;
    if hour > 23 || minute > 59 || second > 59 {
        return Err("time is out of range".to_owned());
    }
    let mut out = format!("{date}T{hour:02}:{minute:02}:{second:02}");
    if let Some(f) = t.fraction.filter(|f| !f.is_empty()) {
        let mut micro: String = f.chars().take(6).collect();
        while micro.len() < 6 {
            micro.push('0');
        }
        if micro != "000000" {
            out.push('.');
            out.push_str(&micro);
        }
    }
    if let Some(tz) = t.tz {
        if tz == "Z" {
            out.push_str("+00:00");
        } else {
            let neg = tz.starts_with('-');
            let (h, m) = tz[1..].split_once(':').unwrap_or((&tz[1..], "0"));
            let total: u32 = num::<u32>(h)? * 60 + num::<u32>(m)?;
            if total >= 24 * 60 {
                return Err("offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24)".to_owned());
            }
            let sign = if neg && total != 0 { '-' } else { '+' };
            out.push_str(&format!("{sign}{:02}:{:02}", total / 60, total % 60));
        }
    }
    Ok(out)
}

/// PyYAML's `construct_yaml_int`.
pub(crate) fn construct_int(s: &str) -> Result<Int, String> {
    let bad = || format!("invalid literal for int(): {s:?}");
    let v: String = s.chars().filter(|c| *c != '_').collect();
    let neg = v.starts_with('-');
    let v = v.strip_prefix(['-', '+']).unwrap_or(&v);
    if v.is_empty() {
        return Err(bad());
    }
    let (digits, radix) = if v == "0" {
        return Ok(Int::Small(0));
    } else if let Some(b) = v.strip_prefix("0b") {
        (b, 2)
    } else if let Some(x) = v.strip_prefix("0x") {
        (x, 16)
    } else if v.starts_with('0') {
        (v, 8)
    } else if v.contains(':') {
        let mut total: i128 = 0;
        for part in v.split(':') {
            let d: i128 = crate::python::num::parse_int(part).map_err(|_| bad())?;
            total = total
                .checked_mul(60)
                .and_then(|t| t.checked_add(d))
                .ok_or_else(bad)?;
        }
        let total = if neg { -total } else { total };
        return Ok(i64::try_from(total).map_or_else(|_| Int::Big(s.to_owned()), Int::Small));
    } else {
        if !valid_digit_groups(v, |c| c.is_ascii_digit()) {
            return Err(bad());
        }
        (v, 10)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(bad());
    }
    match i128::from_str_radix(digits, radix) {
        Ok(n) => {
            let n = if neg { -n } else { n };
            Ok(i64::try_from(n).map_or_else(|_| Int::Big(s.to_owned()), Int::Small))
        }
        Err(_) => Ok(Int::Big(s.to_owned())),
    }
}

/// Python's `float(str)` for the decimal forms PyYAML hands it.
fn py_float(s: &str) -> Result<f64, String> {
    let t = crate::python::text::strip(s);
    let lower = t.to_ascii_lowercase();
    let body = lower.strip_prefix(['-', '+']).unwrap_or(&lower);
    if matches!(body, "inf" | "infinity" | "nan") {
        return lower.parse::<f64>().map_err(|e| e.to_string());
    }
    let mantissa = t.split(['e', 'E']).next().unwrap_or("");
    if !mantissa.bytes().any(|b| b.is_ascii_digit()) {
        return Err(format!("could not convert string to float: {s:?}"));
    }
    let mut norm = t.to_owned();
    if let Some(i) = norm.find('.') {
        if !norm[..i].ends_with(|c: char| c.is_ascii_digit()) {
            norm.insert(i, '0');
        }
        let j = norm.find('.').unwrap_or(i);
        if !norm[j + 1..].starts_with(|c: char| c.is_ascii_digit()) {
            norm.insert(j + 1, '0');
        }
    }
    if !norm
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return Err(format!("could not convert string to float: {s:?}"));
    }
    norm.parse::<f64>()
        .map_err(|_| format!("could not convert string to float: {s:?}"))
}

/// PyYAML's `construct_yaml_float`.
pub(crate) fn construct_float(s: &str) -> Result<f64, String> {
    let v: String = s
        .chars()
        .filter(|c| *c != '_')
        .collect::<String>()
        .to_lowercase();
    if v.is_empty() {
        return Err("could not convert string to float: ''".to_owned());
    }
    let sign = if v.starts_with('-') { -1.0 } else { 1.0 };
    let v = v.strip_prefix(['-', '+']).unwrap_or(&v);
    if v == ".inf" {
        return Ok(sign * f64::INFINITY);
    }
    if v == ".nan" {
        return Ok(f64::NAN);
    }
    if v.contains(':') {
        let parts: Vec<f64> = v.split(':').map(py_float).collect::<Result<_, _>>()?;
        let mut base = 1.0;
        let mut value = 0.0;
        for d in parts.iter().rev() {
            value += d * base;
            base *= 60.0;
        }
        return Ok(sign * value);
    }
    Ok(sign * py_float(v)?)
}

/// PyYAML's `construct_yaml_bool` (`bool_values[value.lower()]`).
pub(crate) fn construct_bool(s: &str) -> Result<bool, String> {
    match s.to_lowercase().as_str() {
        "yes" | "true" | "on" => Ok(true),
        "no" | "false" | "off" => Ok(false),
        _ => Err(format!("invalid boolean {s:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_like_pyyaml() {
        use Implicit::*;
        for (s, want) in [
            ("yes", Bool),
            ("Off", Bool),
            ("y", Str),
            ("yEs", Str),
            ("1", Int),
            ("-1_0", Int),
            ("017", Int),
            ("09", Str),
            ("0o17", Str),
            ("0x1F", Int),
            ("0X1F", Str),
            ("0b101", Int),
            ("12:30", Int),
            ("12:60", Str),
            ("1.5", Float),
            ("1.", Float),
            (".5", Float),
            ("-.5", Str),
            ("1e3", Str),
            ("1.0e3", Str),
            ("1.0e+3", Float),
            ("1:30.5", Float),
            (".inf", Float),
            ("-.INF", Float),
            (".NaN", Float),
            ("-.nan", Str),
            ("", Null),
            ("~", Null),
            ("NULL", Null),
            ("nULL", Str),
            ("<<", Merge),
            ("=", Value),
            ("2001-12-14", Timestamp),
            ("2001-12-14t21:59:43.10-05:00", Timestamp),
            ("2001-12-14 21:59:43.10 -5", Timestamp),
            ("2001-1-1", Str),
            ("2001-12-14 21:59", Str),
            ("abc", Str),
        ] {
            assert_eq!(resolve_plain(s), want, "{s:?}");
        }
    }

    #[test]
    fn constructs_like_pyyaml() {
        assert_eq!(construct_int("017"), Ok(Int::Small(15)));
        assert_eq!(construct_int("-0x1F"), Ok(Int::Small(-31)));
        assert_eq!(construct_int("0b1_01"), Ok(Int::Small(5)));
        assert_eq!(construct_int("12:30"), Ok(Int::Small(750)));
        assert_eq!(construct_int("-1:2:3"), Ok(Int::Small(-3723)));
        assert_eq!(construct_int("+0"), Ok(Int::Small(0)));
        assert!(construct_int("0b_").is_err());
        assert!(construct_int("abc").is_err());
        assert_eq!(
            construct_int("99999999999999999999"),
            Ok(Int::Big("99999999999999999999".into()))
        );
        assert_eq!(construct_float("1:2:3.5"), Ok(3723.5));
        assert_eq!(construct_float("1_0.5"), Ok(10.5));
        assert_eq!(construct_float("1."), Ok(1.0));
        assert_eq!(construct_float("-.5"), Ok(-0.5));
        assert_eq!(construct_float("1.5e+3"), Ok(1500.0));
        assert_eq!(construct_float("-.inf"), Ok(f64::NEG_INFINITY));
        assert!(construct_float(".nan").is_ok_and(f64::is_nan));
        assert!(construct_float("abc").is_err());
        assert!(construct_float("._").is_err());
        assert_eq!(construct_bool("ON"), Ok(true));
        assert!(construct_bool("y").is_err());
    }

    #[test]
    fn timestamps_become_isoformat() {
        assert_eq!(
            construct_timestamp("2001-12-14").as_deref(),
            Ok("2001-12-14")
        );
        assert_eq!(
            construct_timestamp("2001-12-14 21:59:43.10 -5").as_deref(),
            Ok("2001-12-14T21:59:43.100000-05:00")
        );
        assert_eq!(
            construct_timestamp("2001-12-14t21:59:43Z").as_deref(),
            Ok("2001-12-14T21:59:43+00:00")
        );
        assert_eq!(
            construct_timestamp("2001-12-14T01:02:03.000+05:30").as_deref(),
            Ok("2001-12-14T01:02:03+05:30")
        );
        assert_eq!(construct_timestamp("2001-1-5").as_deref(), Ok("2001-01-05"));
        assert!(construct_timestamp("2001-13-01").is_err());
        assert!(construct_timestamp("2001-02-29").is_err());
        assert!(construct_timestamp("2000-02-29").is_ok());
        assert!(construct_timestamp("0000-01-01").is_err());
        assert!(construct_timestamp("2001-01-01 24:00:00").is_err());
        assert!(construct_timestamp("2001-01-01 23:00:00 +24").is_err());
    }
}
