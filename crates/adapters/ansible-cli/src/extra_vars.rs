//! The extra variables as Ansible is given them: every string tagged `!unsafe`, so that a
//! value is data and never a template. Ansible templates variables again where they are
//! used, so `"{{ lookup('pipe', 'id') }}"` given as a plain value would run a command on
//! this machine; tagged, it stays those characters. AWX treats variables given at launch
//! the same way by default.
//!
//! The file is YAML in flow style: JSON's own text with a tag before each string scalar.
//! Ansible reads `-e @file` with a YAML 1.1 loader, which reads JSON's strings, integers,
//! booleans and null as JSON means them; floats are written the one way YAML 1.1 reads as
//! floats (a dot, a signed exponent).

use serde_json::Value;
use std::fmt::Write;

/// `json` (one object, as the job stored it) as the YAML that Ansible reads unsafe.
/// Errors: text that is not JSON.
pub(crate) fn unsafe_yaml(json: &str) -> Result<String, serde_json::Error> {
    let value: Value = serde_json::from_str(json)?;
    let mut out = String::with_capacity(json.len() + 16);
    write_value(&mut out, &value);
    out.push('\n');
    Ok(out)
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(out, n),
        Value::String(s) => {
            out.push_str("!unsafe ");
            write_quoted(out, s);
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                // Keys are names, never templated.
                write_quoted(out, key);
                out.push_str(": ");
                write_value(out, item);
            }
            out.push('}');
        }
    }
}

/// A YAML double-quoted scalar; JSON's escapes are YAML's. JSON leaves some characters raw
/// that a YAML 1.1 reader refuses (DEL, the C1 controls, U+FFFE/U+FFFF) or reads as line
/// breaks and folds (U+0085, U+2028, U+2029): those are escaped too, so every value arrives
/// as given.
fn write_quoted(out: &mut String, s: &str) {
    for c in Value::String(s.to_owned()).to_string().chars() {
        if matches!(c, '\u{7f}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}'..='\u{ffff}')
            && !matches!(c, '\u{ff00}'..='\u{fffd}')
        {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
}

fn write_number(out: &mut String, n: &serde_json::Number) {
    if n.is_i64() || n.is_u64() {
        out.push_str(&n.to_string());
        return;
    }
    let Some(f) = n.as_f64() else {
        out.push_str(&n.to_string());
        return;
    };
    // `{:e}` gives `1.5e3`, `5e-1`: YAML 1.1 wants the dot and the sign.
    let text = format!("{f:e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let dot = if mantissa.contains('.') { "" } else { ".0" };
    let sign = if exponent.starts_with('-') { "" } else { "+" };
    let _ = write!(out, "{mantissa}{dot}e{sign}{exponent}");
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_tagged_and_the_rest_is_json() {
        let yaml = unsafe_yaml(
            r#"{"a": "{{ x }}", "n": 3, "f": 0.5, "big": 1e20, "t": true, "z": null,
                "list": ["q\"uote", {"k": "line\nbreak"}]}"#,
        )
        .unwrap();
        assert_eq!(
            yaml,
            "{\"a\": !unsafe \"{{ x }}\", \"n\": 3, \"f\": 5.0e-1, \"big\": 1.0e+20, \
             \"t\": true, \"z\": null, \
             \"list\": [!unsafe \"q\\\"uote\", {\"k\": !unsafe \"line\\nbreak\"}]}\n"
        );
    }

    #[test]
    fn characters_yaml_would_refuse_or_fold_are_escaped() {
        let yaml = unsafe_yaml(r#"{"a": "x\u007fy\u0085z\u2028w\ufeffv"}"#).unwrap();
        assert_eq!(
            yaml,
            "{\"a\": !unsafe \"x\\u007fy\\u0085z\\u2028w\\ufeffv\"}\n"
        );
        // Ordinary text beyond ASCII stays as it is.
        assert_eq!(
            unsafe_yaml(r#"{"a": "é中ｆ"}"#).unwrap(),
            "{\"a\": !unsafe \"é中ｆ\"}\n"
        );
    }

    #[test]
    fn text_that_is_not_json_is_refused() {
        assert!(unsafe_yaml("{nope").is_err());
    }
}
