//! Python values as `literal_eval` produces them, and the equality Python's dicts and
//! sets use on them.

/// A Python value as `literal_eval` produces it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Py {
    None,
    Bool(bool),
    Int(i128),
    Big(String),
    Float(f64),
    Complex(f64, f64),
    Str(Vec<u16>),
    Bytes(Vec<u8>),
    Ellipsis,
    Tuple(Vec<Py>),
    List(Vec<Py>),
    Set(Vec<Py>),
    Dict(Vec<(Py, Py)>),
    /// A syntactically valid node that is not a literal (f-strings).
    NotConst,
}

/// A hashable stand-in for a hashable literal with Python's equality (`1 == 1.0 ==
/// True`), so dict and set construction stays linear.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(super) enum PyKey {
    Num(i128),
    FloatBits(u64),
    Complex(u64, u64),
    Str(Vec<u16>),
    Bytes(Vec<u8>),
    Big(String),
    None,
    Ellipsis,
    Other,
    Tuple(Vec<PyKey>),
}

pub(super) fn py_key(p: &Py) -> PyKey {
    fn real(f: f64) -> PyKey {
        if f.fract() == 0.0 && f.abs() < 1.0e37 {
            #[allow(clippy::cast_possible_truncation)]
            return PyKey::Num(f as i128);
        }
        PyKey::FloatBits(f.to_bits())
    }
    match p {
        Py::None => PyKey::None,
        Py::Bool(b) => PyKey::Num(i128::from(*b)),
        Py::Int(i) => PyKey::Num(*i),
        Py::Big(s) => PyKey::Big(s.clone()),
        Py::Float(f) => real(*f),
        Py::Complex(re, im) if *im == 0.0 => real(*re),
        Py::Complex(re, im) => PyKey::Complex(re.to_bits(), im.to_bits()),
        Py::Str(u) => PyKey::Str(u.clone()),
        Py::Bytes(b) => PyKey::Bytes(b.clone()),
        Py::Ellipsis => PyKey::Ellipsis,
        Py::Tuple(items) => PyKey::Tuple(items.iter().map(py_key).collect()),
        Py::List(_) | Py::Set(_) | Py::Dict(_) | Py::NotConst => PyKey::Other,
    }
}
