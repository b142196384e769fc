//! Python 3.11 `ast.literal_eval`, as applied by Ansible's INI plugin to every variable
//! value (`_parse_value`): `x=1` is an int, `x=True` a bool, `x='a b'` a string,
//! `x=[1, 2]` a list, and anything that is not a literal stays the raw text.
//!
//! Deviations (documented, all rare): `\N{NAME}` escapes are not evaluated (the raw
//! text is kept); values Python can evaluate but our [`Value`] cannot hold (complex
//! numbers, `...`, integers beyond 64 bits, lone surrogates, tuple or bytes dict keys)
//! are kept as the raw text; and an unhashable dict key or set element is reported as
//! an error only when everything else in the value is literal syntax we understand.

mod eval;
mod lexeme;
mod number;
mod parse;
mod py;
mod string;
mod to_value;
mod token;

use self::eval::{Convert, convert};
use self::parse::parse;
use self::to_value::to_value;
use crate::value::Value;

/// Python raised `TypeError` (unhashable key), which Ansible does not catch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unhashable(pub(crate) &'static str);

/// Evaluate an INI value the way `InventoryModule._parse_value` does.
pub(crate) fn parse_value(raw: &str) -> Result<Value, Unhashable> {
    let src = raw.trim_start_matches([' ', '\t']);
    let Some(ast) = parse(src) else {
        return Ok(Value::String(raw.to_owned()));
    };
    match convert(&ast) {
        Ok(py) => Ok(to_value(&py).unwrap_or_else(|| Value::String(raw.to_owned()))),
        Err(Convert::Malformed) => Ok(Value::String(raw.to_owned())),
        Err(Convert::Unhashable(kind)) => Err(Unhashable(kind)),
    }
}

#[cfg(test)]
mod tests;
