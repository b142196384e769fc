//! A job's extra variables: a mapping as the request gave it, and the JSON file Ansible
//! reads it from (`-e @file`), so that no value ever reaches the command line.

use super::error::JobError;
use ansible_syntax::{Mapping, Value};
use std::fmt;

/// The most bytes a job's extra variables may take as compact JSON ([`ExtraVars::to_json`]).
/// They are parameters (an environment, a version, a few flags), not data: 64 KiB holds
/// thousands of them, while every read of the job carries them, every run writes them to a
/// file, and the row keeps them for the job's life. The JSON body limit (1 MiB) would let a
/// client store sixteen times that in every job.
pub const MAX_EXTRA_VARS_BYTES: usize = 64 * 1024;

/// The `extraVars` of a job, keys in the order given.
#[derive(Clone, Default, PartialEq)]
pub struct ExtraVars(Mapping);

impl ExtraVars {
    pub fn new(vars: Mapping) -> Self {
        Self(vars)
    }

    /// A request's `extraVars`: absent or `null` is none, an object is the variables,
    /// anything else is refused naming the field, and so is an object whose JSON takes
    /// more than [`MAX_EXTRA_VARS_BYTES`].
    pub fn parse(raw: Option<Value>) -> Result<Self, JobError> {
        let vars = match raw {
            None | Some(Value::Null) => return Ok(Self::default()),
            Some(Value::Map(vars)) => Self(vars),
            Some(_) => return Err(JobError::field("extraVars", "must be an object")),
        };
        let bytes = vars.to_json().len();
        if bytes > MAX_EXTRA_VARS_BYTES {
            return Err(JobError::field(
                "extraVars",
                format!("must be at most {MAX_EXTRA_VARS_BYTES} bytes as JSON (it has {bytes})"),
            ));
        }
        Ok(vars)
    }

    pub fn as_mapping(&self) -> &Mapping {
        &self.0
    }

    pub fn into_mapping(self) -> Mapping {
        self.0
    }

    /// The variables as one JSON object, for the job's `extra-vars.json`.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_map(&mut out, &self.0);
        out
    }
}

impl fmt::Debug for ExtraVars {
    /// Keys only: extra variables often carry passwords, and Debug output ends up in logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        // Debug keeps a float a float (`1.0`, `1e300`); JSON has no NaN or infinity.
        Value::Float(x) if x.is_finite() => out.push_str(&format!("{x:?}")),
        Value::Float(_) => out.push_str("null"),
        Value::String(s) => write_string(out, s),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Map(map) => write_map(out, map),
    }
}

fn write_map(out: &mut String, map: &Mapping) {
    out.push('{');
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(out, key);
        out.push(':');
        write_value(out, value);
    }
    out.push('}');
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(json: &str) -> ExtraVars {
        match serde_json::from_str::<Value>(json) {
            Ok(value) => ExtraVars::parse(Some(value)).unwrap_or_else(|e| panic!("{e}")),
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn only_objects_are_extra_vars() {
        assert_eq!(ExtraVars::parse(None), Ok(ExtraVars::default()));
        assert_eq!(
            ExtraVars::parse(Some(Value::Null)),
            Ok(ExtraVars::default())
        );
        for bad in [
            Value::List(vec![]),
            Value::String("env=prod".into()),
            Value::Int(1),
        ] {
            assert_eq!(
                ExtraVars::parse(Some(bad)).map_err(|e| e.to_string()),
                Err("extraVars: must be an object".to_owned())
            );
        }
    }

    #[test]
    fn extra_vars_are_at_most_64_kib_of_json() {
        // `{"blob":"…"}` is 11 bytes around a string of `n` bytes; "é" counts two.
        let of = |n: usize| {
            let mut m = Mapping::new();
            let text = "é".repeat(n / 2) + &"x".repeat(n % 2);
            m.insert("blob".into(), Value::String(text));
            ExtraVars::parse(Some(Value::Map(m)))
        };
        let most = of(MAX_EXTRA_VARS_BYTES - 11);
        assert_eq!(most.map(|v| v.to_json().len()), Ok(MAX_EXTRA_VARS_BYTES));
        assert_eq!(
            of(MAX_EXTRA_VARS_BYTES - 10).map_err(|e| e.to_string()),
            Err(format!(
                "extraVars: must be at most 65536 bytes as JSON (it has {})",
                MAX_EXTRA_VARS_BYTES + 1
            ))
        );
    }

    #[test]
    fn the_json_reads_back_as_the_same_variables_in_order() {
        let source = r#"{"env":"prod","n":3,"ratio":0.5,"big":1e300,"on":true,"none":null,
            "list":[1,"two",[3]],"nested":{"z":1,"a":{"deep":"x"}},
            "text":"quote \" backslash \\ newline \n tab \t bell \u0007 é 🦀"}"#;
        let parsed = vars(source);
        let json = parsed.to_json();
        assert_eq!(vars(&json), parsed);
        assert!(json.starts_with(r#"{"env":"prod","n":3,"ratio":0.5,"big":1e300"#));
        assert!(json.contains(r#"\u0007"#), "{json}");
    }

    #[test]
    fn no_values_in_debug_output() {
        let debug = format!("{:?}", vars(r#"{"db_password":"hunter2"}"#));
        assert_eq!(debug, r#"{"db_password"}"#);
    }

    #[test]
    fn floats_json_cannot_hold_become_null() {
        let mut m = Mapping::new();
        m.insert("nan".into(), Value::Float(f64::NAN));
        m.insert("one".into(), Value::Float(1.0));
        assert_eq!(ExtraVars::new(m).to_json(), r#"{"nan":null,"one":1.0}"#);
    }
}
