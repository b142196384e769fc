//! A small strict reader of the Prometheus text format (0.0.4), for the metrics tests:
//! every line must be a `# HELP`, a `# TYPE` or a sample, label values unescaped. (The
//! `prometheus-parse` crate drops samples whose label values hold braces, as route
//! templates do.)

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub name: String,
    pub labels: BTreeMap<String, String>,
    pub value: f64,
}

#[derive(Debug, Default)]
pub struct Exposition {
    /// Metric family → its `# TYPE`.
    pub types: BTreeMap<String, String>,
    pub samples: Vec<Sample>,
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

fn value(raw: &str) -> Result<f64, String> {
    match raw {
        "+Inf" => Ok(f64::INFINITY),
        "-Inf" => Ok(f64::NEG_INFINITY),
        "NaN" => Ok(f64::NAN),
        _ => raw.parse().map_err(|e| format!("value {raw:?}: {e}")),
    }
}

/// `k="v",…}` after the `{`; returns the labels and the rest after `}`.
fn labels(mut rest: &str) -> Result<(BTreeMap<String, String>, &str), String> {
    let mut labels = BTreeMap::new();
    loop {
        if let Some(after) = rest.strip_prefix('}') {
            return Ok((labels, after));
        }
        let (key, after) = rest.split_once("=\"").ok_or(format!("label in {rest:?}"))?;
        if !is_name(key) {
            return Err(format!("label name {key:?}"));
        }
        let mut val = String::new();
        let mut chars = after.char_indices();
        let end = loop {
            match chars.next() {
                Some((_, '\\')) => match chars.next() {
                    Some((_, 'n')) => val.push('\n'),
                    Some((_, c @ ('\\' | '"'))) => val.push(c),
                    other => return Err(format!("escape {other:?}")),
                },
                Some((i, '"')) => break i,
                Some((_, c)) => val.push(c),
                None => return Err(format!("unterminated value in {after:?}")),
            }
        };
        if labels.insert(key.to_owned(), val).is_some() {
            return Err(format!("label {key} twice"));
        }
        rest = &after[end + 1..];
        rest = rest.strip_prefix(',').unwrap_or(rest);
    }
}

pub fn parse(text: &str) -> Result<Exposition, String> {
    let mut out = Exposition::default();
    for line in text.lines().filter(|l| !l.is_empty()) {
        if let Some(comment) = line.strip_prefix("# ") {
            let mut parts = comment.splitn(3, ' ');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("HELP"), Some(name), _) if is_name(name) => {}
                (Some("TYPE"), Some(name), Some(kind))
                    if is_name(name)
                        && ["counter", "gauge", "histogram", "summary", "untyped"]
                            .contains(&kind) =>
                {
                    out.types.insert(name.to_owned(), kind.to_owned());
                }
                _ => return Err(format!("comment {line:?}")),
            }
            continue;
        }
        let name_end = line.find(['{', ' ']).ok_or(format!("sample {line:?}"))?;
        let name = &line[..name_end];
        if !is_name(name) {
            return Err(format!("metric name {name:?}"));
        }
        let (labels, rest) = match line[name_end..].strip_prefix('{') {
            Some(rest) => labels(rest)?,
            None => (BTreeMap::new(), &line[name_end..]),
        };
        let raw = rest.trim_start();
        // A timestamp may follow the value.
        let raw = raw.split(' ').next().unwrap_or(raw);
        out.samples.push(Sample {
            name: name.to_owned(),
            labels,
            value: value(raw)?,
        });
    }
    Ok(out)
}
