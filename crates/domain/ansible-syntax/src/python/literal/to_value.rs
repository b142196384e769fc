//! From a Python value to our [`Value`], the way Ansible hands it on: dict keys become
//! JSON object keys, and a value [`Value`] cannot hold faithfully is refused so that
//! the caller keeps the raw text.

use super::py::Py;
use crate::python::num::float_repr;
use crate::value::{Mapping, Value};

/// `to_text(v, nonstring='passthru')` followed by our value model. `None` when the
/// value has no faithful [`Value`] form.
pub(super) fn to_value(p: &Py) -> Option<Value> {
    Some(match p {
        Py::None => Value::Null,
        Py::Bool(b) => Value::Bool(*b),
        Py::Int(i) => Value::Int(i64::try_from(*i).ok()?),
        Py::Float(f) => Value::Float(*f),
        Py::Str(units) => Value::String(String::from_utf16(units).ok()?),
        Py::Bytes(b) => Value::String(String::from_utf8(b.clone()).ok()?),
        Py::Tuple(items) | Py::List(items) | Py::Set(items) => {
            Value::List(items.iter().map(to_value).collect::<Option<_>>()?)
        }
        Py::Dict(pairs) => {
            let mut m = Mapping::new();
            for (k, v) in pairs {
                m.insert(json_key(k)?, to_value(v)?);
            }
            Value::Map(m)
        }
        Py::Big(_) | Py::Complex(..) | Py::Ellipsis | Py::NotConst => return None,
    })
}

/// How Python's `json` module turns a dict key into an object key.
fn json_key(k: &Py) -> Option<String> {
    Some(match k {
        Py::Str(units) => String::from_utf16(units).ok()?,
        Py::Int(i) => i.to_string(),
        Py::Big(s) => s.clone(),
        Py::Float(f) => float_repr(*f),
        Py::Bool(true) => "true".to_owned(),
        Py::Bool(false) => "false".to_owned(),
        Py::None => "null".to_owned(),
        _ => return None,
    })
}
