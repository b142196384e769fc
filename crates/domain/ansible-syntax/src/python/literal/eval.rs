//! `literal_eval`'s evaluation of the syntax tree. Containers follow Python's key
//! semantics (a repeated key keeps its first place and takes the later value; `1`,
//! `1.0` and `True` are one key) and signs apply only to numbers.

use std::collections::{HashMap, HashSet};

use super::parse::Ast;
use super::py::{Py, PyKey, py_key};

pub(super) enum Convert {
    Malformed,
    Unhashable(&'static str),
}

pub(super) fn convert(ast: &Ast) -> Result<Py, Convert> {
    match ast {
        Ast::Const(Py::NotConst) => Err(Convert::Malformed),
        Ast::Const(p) => Ok(p.clone()),
        Ast::Tuple(items) => Ok(Py::Tuple(
            items.iter().map(convert).collect::<Result<_, _>>()?,
        )),
        Ast::List(items) => Ok(Py::List(
            items.iter().map(convert).collect::<Result<_, _>>()?,
        )),
        Ast::EmptySetCall => Ok(Py::Set(Vec::new())),
        Ast::Set(items) => {
            let mut out: Vec<Py> = Vec::new();
            let mut seen = HashSet::new();
            for item in items {
                let v = convert(item)?;
                check_hashable(&v)?;
                if seen.insert(py_key(&v)) {
                    out.push(v);
                }
            }
            Ok(Py::Set(out))
        }
        Ast::Dict(pairs) => {
            let mut out: Vec<(Py, Py)> = Vec::new();
            let mut seen: HashMap<PyKey, usize> = HashMap::new();
            for (k, v) in pairs {
                let k = convert(k)?;
                let v = convert(v)?;
                check_hashable(&k)?;
                let id = py_key(&k);
                match seen.get(&id) {
                    Some(&i) => out[i].1 = v,
                    None => {
                        seen.insert(id, out.len());
                        out.push((k, v));
                    }
                }
            }
            Ok(Py::Dict(out))
        }
        Ast::Bin(op, l, r) => {
            let left = signed_num(l)?;
            let right = num(r)?;
            // `real ± imaginary` is the only binary operation literal_eval allows.
            #[allow(clippy::cast_precision_loss)]
            let real = match left {
                Py::Int(i) => i as f64,
                Py::Float(f) => f,
                Py::Big(_) => f64::INFINITY,
                _ => return Err(Convert::Malformed),
            };
            match right {
                Py::Complex(re, im) if *op == '+' => Ok(Py::Complex(real + re, im)),
                Py::Complex(re, im) => Ok(Py::Complex(real - re, -im)),
                _ => Err(Convert::Malformed),
            }
        }
        Ast::Unary(..) => signed_num(ast),
    }
}

fn num(ast: &Ast) -> Result<Py, Convert> {
    match ast {
        Ast::Const(p @ (Py::Int(_) | Py::Big(_) | Py::Float(_) | Py::Complex(..))) => Ok(p.clone()),
        _ => Err(Convert::Malformed),
    }
}

fn signed_num(ast: &Ast) -> Result<Py, Convert> {
    let Ast::Unary(op, operand) = ast else {
        return num(ast);
    };
    let v = num(operand)?;
    if *op == '+' {
        return Ok(v);
    }
    Ok(match v {
        Py::Int(i) => Py::Int(-i),
        Py::Big(s) => Py::Big(format!("-{s}")),
        Py::Float(f) => Py::Float(-f),
        Py::Complex(re, im) => Py::Complex(-re, -im),
        _ => return Err(Convert::Malformed),
    })
}

fn check_hashable(v: &Py) -> Result<(), Convert> {
    match v {
        Py::List(_) => Err(Convert::Unhashable("list")),
        Py::Dict(_) => Err(Convert::Unhashable("dict")),
        Py::Set(_) => Err(Convert::Unhashable("set")),
        Py::Tuple(items) => items.iter().try_for_each(check_hashable),
        _ => Ok(()),
    }
}
