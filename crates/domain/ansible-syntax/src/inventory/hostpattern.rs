//! Host patterns: `name:port`, `[v6addr]:port` and `[x:y(:step)]` ranges, following
//! `ansible.parsing.utils.addresses.parse_address` and
//! `ansible.plugins.inventory.expand_hostname_range` — including their quirks:
//! an unparseable pattern is used verbatim as the host name (port not split off),
//! `[5:1]` yields no hosts, `[a:c]` letter ranges index into `a..zA..Z`, and zero
//! padding is kept (`[01:10]`).
//!
//! Unlike Ansible, expansion stops with an error beyond [`MAX_RANGE_HOSTS`] names or
//! [`MAX_RANGE_BYTES`] bytes of names.

use crate::python::num::{IntError, parse_int};
use crate::python::text::is_word;

/// Upper bound on the names one host pattern may expand to.
pub const MAX_RANGE_HOSTS: usize = 10_000;

/// Upper bound on the bytes of names one host pattern may expand to: a long name
/// times 10,000 would otherwise be built before any inventory-wide cap sees it.
pub const MAX_RANGE_BYTES: usize = 1024 * 1024;

/// Expand one pattern into host names and an optional port (decimal digits).
pub(crate) fn expand(pattern: &str) -> Result<(Vec<String>, Option<String>), String> {
    let (name, port) = match parse_address(pattern) {
        Some((addr, port)) => (addr, port),
        None => (pattern.to_owned(), None),
    };
    let hosts = if name.contains('[') {
        expand_ranges(&name)?
    } else {
        vec![name]
    };
    Ok((hosts, port))
}

/// Python's `$` before a final newline.
fn dollar(s: &str) -> &str {
    s.strip_suffix('\n').unwrap_or(s)
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `parse_address(address, allow_ranges=True)`; `None` where it raises.
fn parse_address(address: &str) -> Option<(String, Option<String>)> {
    let mut addr = address.to_owned();
    let mut port = None;
    // Both patterns are tried in turn (the loop uses `continue`, not `break`).
    if let Some((a, p)) = bracketed_hostport(&addr) {
        addr = a;
        port = Some(p);
    }
    if let Some((a, p)) = hostport(&addr) {
        addr = a;
        port = Some(p);
    }
    (is_ipv6(&addr) || is_hostname(&addr)).then_some((addr, port))
}

/// `^\[(.+)\]:([0-9]+)$`
fn bracketed_hostport(s: &str) -> Option<(String, String)> {
    let s = dollar(s);
    let (left, port) = s.rsplit_once(':')?;
    if !all_digits(port) {
        return None;
    }
    let inner = left.strip_prefix('[')?.strip_suffix(']')?;
    (!inner.is_empty() && !inner.contains('\n')).then(|| (inner.to_owned(), port.to_owned()))
}

/// `^((?:[^:\[\]]|\[[^\]]*\])*):([0-9]+)$`
fn hostport(s: &str) -> Option<(String, String)> {
    let s = dollar(s);
    let mut i = 0;
    let bytes = s.as_bytes();
    while i < bytes.len() {
        match bytes[i] {
            b':' => {
                let port = &s[i + 1..];
                return all_digits(port).then(|| (s[..i].to_owned(), port.to_owned()));
            }
            b'[' => i += s[i..].find(']')? + 1,
            b']' => return None,
            _ => i += 1,
        }
    }
    None
}

/// The `[a:b]`/`[0:9]` range a hostname label may contain; returns the byte length.
fn alnum_range(s: &str) -> Option<usize> {
    let rest = s.strip_prefix('[')?;
    let b = rest.as_bytes();
    let mut i =
        if b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2].is_ascii_alphabetic()
        {
            3
        } else {
            let d1 = b.iter().take_while(|c| c.is_ascii_digit()).count();
            if d1 == 0 || b.get(d1) != Some(&b':') {
                return None;
            }
            let d2 = b[d1 + 1..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            if d2 == 0 {
                return None;
            }
            d1 + 1 + d2
        };
    if b.get(i) == Some(&b':') {
        let d = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if d > 0 {
            i += 1 + d;
        }
    }
    (b.get(i) == Some(&b']')).then_some(i + 2)
}

/// The hostname pattern: dot-separated labels of word characters, `-` and ranges,
/// not starting with `-` nor ending with `-` or `_`.
fn is_hostname(s: &str) -> bool {
    let s = dollar(s);
    !s.is_empty() && s.split('.').all(is_label)
}

fn is_label(label: &str) -> bool {
    let mut i = 0;
    let mut last = None;
    while i < label.len() {
        let rest = &label[i..];
        if rest.starts_with('[') {
            let Some(n) = alnum_range(rest) else {
                return false;
            };
            i += n;
            last = Some(']');
            continue;
        }
        let Some(c) = rest.chars().next() else {
            return false;
        };
        if !(is_word(c) || (c == '-' && i > 0)) {
            return false;
        }
        i += c.len_utf8();
        last = Some(c);
    }
    last.is_some_and(|c| c != '-' && c != '_')
}

/// `\[[0-9a-f]+:[0-9a-f]+(?::[0-9]+)?\]`, byte length.
fn hex_range(s: &str) -> Option<usize> {
    let b = s.strip_prefix('[')?.as_bytes();
    let h1 = b.iter().take_while(|c| c.is_ascii_hexdigit()).count();
    if h1 == 0 || b.get(h1) != Some(&b':') {
        return None;
    }
    let h2 = b[h1 + 1..]
        .iter()
        .take_while(|c| c.is_ascii_hexdigit())
        .count();
    if h2 == 0 {
        return None;
    }
    let mut i = h1 + 1 + h2;
    if b.get(i) == Some(&b':') {
        let d = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if d > 0 {
            i += 1 + d;
        }
    }
    (b.get(i) == Some(&b']')).then_some(i + 2)
}

/// One IPv6 component followed by `delim`; returns the position after the delimiter.
fn comp_then(s: &str, at: usize, delim: u8) -> Option<usize> {
    let rest = s.get(at..)?;
    if let Some(n) = hex_range(rest) {
        return (rest.as_bytes().get(n) == Some(&delim)).then_some(at + n + 1);
    }
    let n = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
    ((1..=4).contains(&n) && rest.as_bytes().get(n) == Some(&delim)).then_some(at + n + 1)
}

/// A component starts here (the pattern is not anchored at the end).
fn comp_prefix(s: &str, at: usize) -> bool {
    let rest = s.get(at..).unwrap_or("");
    rest.as_bytes().first().is_some_and(u8::is_ascii_hexdigit) || hex_range(rest).is_some()
}

/// A component runs exactly to the end.
fn comp_to_end(s: &str, at: usize) -> bool {
    let rest = s.get(at..).unwrap_or("");
    hex_range(rest) == Some(rest.len())
        || ((1..=4).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The IPv6 pattern. Its `^`/`$` only bind the first/last alternative, so all but the
/// last alternative are prefix matches; this reproduces that.
fn is_ipv6(s: &str) -> bool {
    let b = s.as_bytes();
    // (C:){1,6}:  or  ::   (covers every compressed form, as a prefix)
    if s.starts_with("::") {
        return true;
    }
    let mut at = 0;
    for k in 1..=7 {
        let Some(next) = comp_then(s, at, b':') else {
            break;
        };
        at = next;
        if k <= 6 && b.get(at) == Some(&b':') {
            return true;
        }
        // (C:){7}C
        if k == 7 && comp_prefix(s, at) {
            return true;
        }
    }
    // (0:){6}(C\.){3}C
    let dotted = |mut at: usize, anchored: bool| {
        for _ in 0..3 {
            match comp_then(s, at, b'.') {
                Some(n) => at = n,
                None => return false,
            }
        }
        if anchored {
            comp_to_end(dollar(s), at)
        } else {
            comp_prefix(s, at)
        }
    };
    if s.starts_with("0:0:0:0:0:0:") && dotted(12, false) {
        return true;
    }
    // (0:){5}ffff:(C\.){3}C$
    s.len() >= 15
        && s.starts_with("0:0:0:0:0:")
        && s[10..15].eq_ignore_ascii_case("ffff:")
        && dotted(15, true)
}

const LETTERS: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

fn int_err(s: &str, e: IntError) -> String {
    match e {
        IntError::Invalid => format!("invalid literal for int() with base 10: '{s}'"),
        IntError::Overflow => format!("host range bound {s} is too large"),
    }
}

/// Python's `str.zfill`.
fn zfill(s: &str, width: usize) -> String {
    let len = s.chars().count();
    if len >= width {
        return s.to_owned();
    }
    let pad = "0".repeat(width - len);
    match s.strip_prefix(['-', '+']) {
        Some(rest) => format!("{}{pad}{rest}", &s[..1]),
        None => format!("{pad}{s}"),
    }
}

/// One level of `expand_hostname_range`: the first `[...]` expanded.
fn expand_first(line: &str, budget: usize, byte_budget: usize) -> Result<Vec<String>, String> {
    let replaced = line.replacen('[', "|", 1).replacen(']', "|", 1);
    let parts: Vec<&str> = replaced.split('|').collect();
    let [head, nrange, tail] = parts.as_slice() else {
        return Err(if parts.len() < 3 {
            format!(
                "not enough values to unpack (expected 3, got {})",
                parts.len()
            )
        } else {
            "too many values to unpack (expected 3)".to_owned()
        });
    };
    let bounds: Vec<&str> = nrange.split(':').collect();
    if bounds.len() != 2 && bounds.len() != 3 {
        return Err("host range must be begin:end or begin:end:step".to_owned());
    }
    let beg = if bounds[0].is_empty() { "0" } else { bounds[0] };
    let end = bounds[1];
    let step = bounds.get(2).copied().unwrap_or("1");
    if end.is_empty() {
        return Err("host range must specify end value".to_owned());
    }
    let width = if beg.starts_with('0') && beg.chars().count() > 1 {
        if beg.chars().count() != end.chars().count() {
            return Err("host range must specify equal-length begin and end formats".to_owned());
        }
        Some(beg.chars().count())
    } else {
        None
    };
    let fill = |x: String| match width {
        Some(w) => zfill(&x, w),
        None => x,
    };
    let make = |x: String| format!("{head}{}{tail}", fill(x));
    // Every name is at least head, one character and tail long: refuse before building.
    let shortest = i128::try_from(head.len() + tail.len() + 1).unwrap_or(i128::MAX);
    let fits = |count: i128| {
        count.saturating_mul(shortest) <= i128::try_from(byte_budget).unwrap_or(i128::MAX)
    };

    if let (Some(ib), Some(ie)) = (LETTERS.find(beg), LETTERS.find(end)) {
        if ib > ie {
            return Err("host range must have begin <= end".to_owned());
        }
        // A step int() or slice() rejects falls through to the numeric branch below,
        // which then fails on the letters, as in Python.
        if let Ok(s) = parse_int(step)
            && s != 0
        {
            if s < 0 {
                return Ok(Vec::new());
            }
            let s = usize::try_from(s).unwrap_or(usize::MAX);
            let count = (ie - ib) / s + 1;
            if !fits(i128::try_from(count).unwrap_or(i128::MAX)) {
                return Err(too_many_bytes());
            }
            return Ok(LETTERS[ib..=ie]
                .chars()
                .step_by(s)
                .map(|c| make(c.to_string()))
                .collect());
        }
    }
    let b = parse_int(beg).map_err(|e| int_err(beg, e))?;
    let e = parse_int(end).map_err(|e| int_err(end, e))?;
    let s = parse_int(step).map_err(|e| int_err(step, e))?;
    if s == 0 {
        return Err("range() arg 3 must not be zero".to_owned());
    }
    let stop = e
        .checked_add(1)
        .ok_or_else(|| int_err(end, IntError::Overflow))?;
    let span = if s > 0 { stop - b } else { b - stop };
    let count = if span <= 0 {
        0
    } else {
        (span + s.abs() - 1) / s.abs()
    };
    if count > i128::try_from(budget).unwrap_or(i128::MAX) {
        return Err(format!(
            "host range expands to more than {MAX_RANGE_HOSTS} hosts"
        ));
    }
    if !fits(count) {
        return Err(too_many_bytes());
    }
    let mut out = Vec::new();
    let mut x = b;
    while (s > 0 && x < stop) || (s < 0 && x > stop) {
        out.push(make(x.to_string()));
        x += s;
    }
    Ok(out)
}

fn too_many_bytes() -> String {
    format!("host range expands to more than {MAX_RANGE_BYTES} bytes of host names")
}

/// `expand_hostname_range`, iterative (deeply nested patterns must not overflow the
/// stack) and bounded by [`MAX_RANGE_HOSTS`] and [`MAX_RANGE_BYTES`].
fn expand_ranges(pattern: &str) -> Result<Vec<String>, String> {
    let too_many = || format!("host range expands to more than {MAX_RANGE_HOSTS} hosts");
    let mut out = Vec::new();
    let mut work = vec![pattern.to_owned()];
    // Bytes held in `out` and `work` together.
    let mut bytes = pattern.len();
    let mut steps = 0usize;
    while let Some(line) = work.pop() {
        if !line.contains('[') {
            out.push(line);
            continue;
        }
        bytes -= line.len();
        steps += 1;
        if steps > 4 * MAX_RANGE_HOSTS {
            return Err(too_many());
        }
        let budget = MAX_RANGE_HOSTS.saturating_sub(out.len() + work.len());
        let names = expand_first(&line, budget, MAX_RANGE_BYTES.saturating_sub(bytes))?;
        if out.len() + work.len() + names.len() > MAX_RANGE_HOSTS {
            return Err(too_many());
        }
        bytes += names.iter().map(String::len).sum::<usize>();
        if bytes > MAX_RANGE_BYTES {
            return Err(too_many_bytes());
        }
        // Reversed so popping keeps Python's depth-first order.
        work.extend(names.into_iter().rev());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(p: &str) -> Vec<String> {
        expand(p).expect("valid").0
    }

    fn port(p: &str) -> (Vec<String>, Option<String>) {
        expand(p).expect("valid")
    }

    #[test]
    fn ports_are_split_like_parse_address() {
        assert_eq!(
            port("web1:2222"),
            (vec!["web1".into()], Some("2222".into()))
        );
        assert_eq!(
            port("10.0.0.1:22"),
            (vec!["10.0.0.1".into()], Some("22".into()))
        );
        assert_eq!(port("[::1]:23"), (vec!["::1".into()], Some("23".into())));
        assert_eq!(
            port("web[1:2]:80"),
            (vec!["web1".into(), "web2".into()], Some("80".into()))
        );
        // parse_address fails -> pattern verbatim, port kept in the name
        assert_eq!(port("foo@bar:24"), (vec!["foo@bar:24".into()], None));
        assert_eq!(port("baz:abc"), (vec!["baz:abc".into()], None));
        // bracketed then hostport: "[1:3]:22" -> "1:3" -> "1", port 3
        assert_eq!(port("[1:3]:22"), (vec!["1".into()], Some("3".into())));
        assert_eq!(port("fe80::1"), (vec!["fe80::1".into()], None));
        assert_eq!(port("h_:22"), (vec!["h_:22".into()], None));
    }

    #[test]
    fn ranges_expand_like_ansible() {
        assert_eq!(hosts("web[01:03]"), ["web01", "web02", "web03"]);
        assert_eq!(hosts("db-[a:c]"), ["db-a", "db-b", "db-c"]);
        assert_eq!(hosts("n[1:10:4]"), ["n1", "n5", "n9"]);
        assert_eq!(hosts("x[ab:d]"), ["xa", "xb", "xc", "xd"]);
        assert_eq!(hosts("y[:2]"), ["y0", "y1", "y2"]);
        assert_eq!(hosts("z[a:c:2]"), ["za", "zc"]);
        assert!(hosts("w[5:1]").is_empty());
        assert!(hosts("w[1:3:-1]").is_empty());
        assert_eq!(hosts("a[1:2]b[x:y]"), ["a1bx", "a1by", "a2bx", "a2by"]);
        assert_eq!(hosts("w[-2:0]"), ["w-2", "w-1", "w0"]);
        assert_eq!(hosts("w[08:10]"), ["w08", "w09", "w10"]);
    }

    #[test]
    fn range_errors() {
        for (p, msg) in [
            ("w[01:1]", "equal-length"),
            ("w[1:]", "end value"),
            ("w[1:3:0]", "must not be zero"),
            ("w[A:c]", "begin <= end"),
            ("w[c:a]", "begin <= end"),
            ("x[1:3", "not enough values"),
            ("x[1]", "begin:end"),
            ("x[1:2:3:4]", "begin:end"),
            ("x[a:5]", "invalid literal"),
            ("x|y[1:2]", "too many values"),
            ("x[1:100000]", "more than"),
            ("x[1:200][1:200]", "more than"),
        ] {
            let err = expand(p).expect_err(p);
            assert!(err.contains(msg), "{p}: {err}");
        }
        let long = "x".repeat(300);
        for p in [
            format!("{long}[0:9999]"),
            format!("{long}[a:Z]{long}[a:Z]"),
            format!("[0:99]{long}[0:99]"),
        ] {
            let err = expand(&p).expect_err("too many bytes");
            assert!(err.contains("bytes of host names"), "{err}");
        }
        assert_eq!(hosts(&format!("{long}[0:2999]")).len(), 3000);
    }

    #[test]
    fn address_validators() {
        assert!(is_hostname("web-1.example.com"));
        assert!(is_hostname("web[1:3].x"));
        assert!(!is_hostname("-web"));
        assert!(!is_hostname("web-"));
        assert!(!is_hostname("a..b"));
        assert!(is_hostname("_x"));
        assert!(is_ipv6("::1"));
        assert!(is_ipv6("fe80::1"));
        assert!(is_ipv6("1:2:3:4:5:6:7:8"));
        assert!(is_ipv6("::ffff:1.2.3.4"));
        assert!(is_ipv6("0:0:0:0:0:ffff:1.2.3.4"));
        assert!(!is_ipv6("a:b:c"));
        assert!(!is_ipv6("12345::"));
    }
}
