//! Python 3.11 `ast.literal_eval`, as applied by Ansible's INI plugin to every variable
//! value (`_parse_value`): `x=1` is an int, `x=True` a bool, `x='a b'` a string,
//! `x=[1, 2]` a list, and anything that is not a literal stays the raw text.
//!
//! Deviations (documented, all rare): `\N{NAME}` escapes are not evaluated (the raw
//! text is kept); values Python can evaluate but our [`Value`] cannot hold (complex
//! numbers, `...`, integers beyond 64 bits, lone surrogates, tuple or bytes dict keys)
//! are kept as the raw text; and an unhashable dict key or set element is reported as
//! an error only when everything else in the value is literal syntax we understand.

use std::collections::{HashMap, HashSet};

use super::num::float_repr;
use crate::value::{Mapping, Value};

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

// ---------------------------------------------------------------- tokens

#[derive(Debug, Clone, PartialEq)]
enum Num {
    Int(i128),
    Big(String),
    Float(f64),
    Imag(f64),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(Num),
    Str(Vec<u16>, StrKind),
    Name(String),
    Op(char),
    Ellipsis,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StrKind {
    Text,
    Bytes,
    Format,
}

/// Maximum bracket nesting; CPython's tokenizer stops at 200 as well.
const MAX_NESTING: usize = 200;

fn tokenize(src: &str) -> Option<Vec<Tok>> {
    if src.contains('\0') {
        return None;
    }
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    let mut toks = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' | '\u{0c}' => i += 1,
            '#' => break,
            '(' | ')' | '[' | ']' | '{' | '}' | ',' | ':' | '+' | '-' => {
                toks.push(Tok::Op(c));
                i += 1;
            }
            '.' if chars.get(i + 1).is_some_and(char::is_ascii_digit) => {
                let (n, next) = lex_number(&chars, i)?;
                toks.push(Tok::Num(n));
                i = next;
            }
            '.' if chars.get(i + 1) == Some(&'.') && chars.get(i + 2) == Some(&'.') => {
                toks.push(Tok::Ellipsis);
                i += 3;
            }
            '\'' | '"' => {
                let (tok, next) = lex_string(&chars, i, "")?;
                toks.push(tok);
                i = next;
            }
            c if c.is_ascii_digit() => {
                let (n, next) = lex_number(&chars, i)?;
                toks.push(Tok::Num(n));
                i = next;
            }
            c if c == '_' || c.is_alphabetic() => {
                let start = i;
                while i < chars.len() && (chars[i] == '_' || chars[i].is_alphanumeric()) {
                    i += 1;
                }
                let name: String = chars[start..i].iter().collect();
                if matches!(chars.get(i), Some('\'' | '"')) && is_string_prefix(&name) {
                    let (tok, next) = lex_string(&chars, i, &name)?;
                    toks.push(tok);
                    i = next;
                } else {
                    toks.push(Tok::Name(name));
                }
            }
            _ => return None,
        }
    }
    Some(toks)
}

fn is_string_prefix(p: &str) -> bool {
    matches!(
        p.to_ascii_lowercase().as_str(),
        "r" | "u" | "b" | "br" | "rb" | "f" | "fr" | "rf"
    )
}

fn digit_run(chars: &[char], mut i: usize, is_digit: impl Fn(char) -> bool) -> Option<usize> {
    // digit (["_"] digit)*
    if !chars.get(i).copied().is_some_and(&is_digit) {
        return None;
    }
    i += 1;
    loop {
        match chars.get(i) {
            Some(&c) if is_digit(c) => i += 1,
            Some('_') if chars.get(i + 1).copied().is_some_and(&is_digit) => i += 2,
            _ => return Some(i),
        }
    }
}

fn lex_number(chars: &[char], start: usize) -> Option<(Num, usize)> {
    let mut i = start;
    let text =
        |a: usize, b: usize| -> String { chars[a..b].iter().filter(|c| **c != '_').collect() };
    if chars[i] == '0' {
        let radix = match chars.get(i + 1) {
            Some('x' | 'X') => Some(16),
            Some('o' | 'O') => Some(8),
            Some('b' | 'B') => Some(2),
            _ => None,
        };
        if let Some(radix) = radix {
            i += 2;
            // (["_"] digit)+
            if chars.get(i) == Some(&'_') {
                i += 1;
            }
            let end = digit_run(chars, i, |c| c.is_digit(radix))?;
            if chars
                .get(end)
                .is_some_and(|c| c.is_alphanumeric() || *c == '_')
            {
                return None;
            }
            let digits = text(i, end);
            let n = match i128::from_str_radix(&digits, radix) {
                Ok(v) => Num::Int(v),
                Err(_) => Num::Big(digits),
            };
            return Some((n, end));
        }
    }
    let mut is_float = false;
    let int_end = if chars[i].is_ascii_digit() {
        digit_run(chars, i, |c| c.is_ascii_digit())?
    } else {
        i
    };
    i = int_end;
    if chars.get(i) == Some(&'.') {
        is_float = true;
        i += 1;
        if chars.get(i).is_some_and(char::is_ascii_digit) {
            i = digit_run(chars, i, |c| c.is_ascii_digit())?;
        }
    }
    if matches!(chars.get(i), Some('e' | 'E')) {
        let mut j = i + 1;
        if matches!(chars.get(j), Some('+' | '-')) {
            j += 1;
        }
        i = digit_run(chars, j, |c| c.is_ascii_digit())?;
        is_float = true;
    }
    let imag = matches!(chars.get(i), Some('j' | 'J'));
    let body_end = i;
    if imag {
        i += 1;
    }
    if chars
        .get(i)
        .is_some_and(|c| c.is_alphanumeric() || *c == '_')
    {
        return None;
    }
    let body = text(start, body_end);
    if imag || is_float {
        let mut norm = body.clone();
        if norm.starts_with('.') {
            norm.insert(0, '0');
        }
        let norm = norm.replace(".e", ".0e").replace(".E", ".0E");
        let norm = if norm.ends_with('.') {
            format!("{norm}0")
        } else {
            norm
        };
        let v: f64 = norm.parse().ok()?;
        return Some((if imag { Num::Imag(v) } else { Num::Float(v) }, i));
    }
    // decinteger: nonzerodigit (["_"] digit)* | "0"+ (["_"] "0")*
    if body.starts_with('0') && body.chars().any(|c| c != '0') {
        return None;
    }
    let n = match body.parse::<i128>() {
        Ok(v) => Num::Int(v),
        Err(_) => Num::Big(body),
    };
    Some((n, i))
}

fn lex_string(chars: &[char], start: usize, prefix: &str) -> Option<(Tok, usize)> {
    let p = prefix.to_ascii_lowercase();
    let raw = p.contains('r');
    let kind = if p.contains('b') {
        StrKind::Bytes
    } else if p.contains('f') {
        StrKind::Format
    } else {
        StrKind::Text
    };
    let q = chars[start];
    let triple = chars.get(start + 1) == Some(&q) && chars.get(start + 2) == Some(&q);
    let mut i = start + if triple { 3 } else { 1 };
    let mut out: Vec<u16> = Vec::new();
    let push = |out: &mut Vec<u16>, c: char| {
        let mut buf = [0u16; 2];
        out.extend_from_slice(c.encode_utf16(&mut buf));
    };
    loop {
        let c = *chars.get(i)?;
        if c == q && (!triple || (chars.get(i + 1) == Some(&q) && chars.get(i + 2) == Some(&q))) {
            i += if triple { 3 } else { 1 };
            break;
        }
        if kind == StrKind::Bytes && !c.is_ascii() {
            return None;
        }
        if c != '\\' {
            push(&mut out, c);
            i += 1;
            continue;
        }
        let e = *chars.get(i + 1)?;
        if raw {
            push(&mut out, '\\');
            push(&mut out, e);
            i += 2;
            continue;
        }
        i += 2;
        match e {
            '\\' | '\'' | '"' => push(&mut out, e),
            'a' => out.push(7),
            'b' => out.push(8),
            'f' => out.push(12),
            'n' => out.push(10),
            'r' => out.push(13),
            't' => out.push(9),
            'v' => out.push(11),
            '0'..='7' => {
                let mut v = e.to_digit(8)?;
                for _ in 0..2 {
                    match chars.get(i).and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            i += 1;
                        }
                        None => break,
                    }
                }
                if kind == StrKind::Bytes {
                    v &= 0xff;
                }
                out.push(u16::try_from(v).ok()?);
            }
            'x' => {
                let hex: String = chars.get(i..i + 2)?.iter().collect();
                let v = u16::from_str_radix(&hex, 16).ok()?;
                if hex.len() != 2 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                    return None;
                }
                out.push(v);
                i += 2;
            }
            'u' | 'U' | 'N' if kind == StrKind::Bytes => {
                push(&mut out, '\\');
                push(&mut out, e);
            }
            'u' | 'U' => {
                let n = if e == 'u' { 4 } else { 8 };
                let hex: String = chars.get(i..i + n)?.iter().collect();
                if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                    return None;
                }
                let v = u32::from_str_radix(&hex, 16).ok()?;
                i += n;
                if let Ok(unit) = u16::try_from(v) {
                    out.push(unit);
                } else {
                    push(&mut out, char::from_u32(v)?);
                }
            }
            // \N{NAME} needs the Unicode name database; keep the raw text instead.
            'N' => return None,
            other => {
                push(&mut out, '\\');
                push(&mut out, other);
            }
        }
    }
    Some((Tok::Str(out, kind), i))
}

// ---------------------------------------------------------------- syntax tree

#[derive(Debug, Clone, PartialEq)]
enum Ast {
    Const(Py),
    Tuple(Vec<Ast>),
    List(Vec<Ast>),
    Set(Vec<Ast>),
    EmptySetCall,
    Dict(Vec<(Ast, Ast)>),
    Unary(char, Box<Ast>),
    Bin(char, Box<Ast>, Box<Ast>),
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    depth: usize,
}

fn parse(src: &str) -> Option<Ast> {
    let toks = tokenize(src)?;
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
    };
    let ast = p.testlist(None)?;
    (p.pos == p.toks.len()).then_some(ast)
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn eat(&mut self, op: char) -> bool {
        if self.peek() == Some(&Tok::Op(op)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// `expr (',' expr)* [',']`, a tuple when any comma appears. `close` is the
    /// bracket that ends the list (None at top level).
    fn testlist(&mut self, close: Option<char>) -> Option<Ast> {
        let first = self.expr()?;
        if self.peek() != Some(&Tok::Op(',')) {
            return Some(first);
        }
        let mut items = vec![first];
        while self.eat(',') {
            if self.at_end_of_list(close) {
                break;
            }
            items.push(self.expr()?);
        }
        Some(Ast::Tuple(items))
    }

    fn at_end_of_list(&self, close: Option<char>) -> bool {
        match close {
            None => self.peek().is_none(),
            Some(c) => self.peek() == Some(&Tok::Op(c)),
        }
    }

    fn expr(&mut self) -> Option<Ast> {
        let mut left = self.unary()?;
        while let Some(Tok::Op(op @ ('+' | '-'))) = self.peek().cloned() {
            self.pos += 1;
            let right = self.unary()?;
            left = Ast::Bin(op, Box::new(left), Box::new(right));
        }
        Some(left)
    }

    fn unary(&mut self) -> Option<Ast> {
        if let Some(Tok::Op(op @ ('+' | '-'))) = self.peek().cloned() {
            self.pos += 1;
            self.enter()?;
            let operand = self.unary();
            self.depth -= 1;
            return Some(Ast::Unary(op, Box::new(operand?)));
        }
        self.atom()
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth < MAX_NESTING).then_some(())
    }

    fn atom(&mut self) -> Option<Ast> {
        let tok = self.peek()?.clone();
        self.pos += 1;
        match tok {
            Tok::Num(n) => Some(Ast::Const(match n {
                Num::Int(i) => Py::Int(i),
                Num::Big(s) => Py::Big(s),
                Num::Float(f) => Py::Float(f),
                Num::Imag(f) => Py::Complex(0.0, f),
            })),
            Tok::Str(first, kind) => {
                let mut units = first;
                while let Some(Tok::Str(more, k2)) = self.peek().cloned() {
                    if (k2 == StrKind::Bytes) != (kind == StrKind::Bytes) {
                        return None;
                    }
                    units.extend(more);
                    self.pos += 1;
                }
                Some(Ast::Const(match kind {
                    StrKind::Bytes => Py::Bytes(units.iter().map(|u| (*u & 0xff) as u8).collect()),
                    StrKind::Text => Py::Str(units),
                    // f-strings are JoinedStr nodes, which literal_eval rejects.
                    StrKind::Format => Py::NotConst,
                }))
            }
            Tok::Ellipsis => Some(Ast::Const(Py::Ellipsis)),
            Tok::Name(name) => match name.as_str() {
                "True" => Some(Ast::Const(Py::Bool(true))),
                "False" => Some(Ast::Const(Py::Bool(false))),
                "None" => Some(Ast::Const(Py::None)),
                "set" if self.peek() == Some(&Tok::Op('(')) => {
                    self.pos += 1;
                    self.eat(')').then_some(Ast::EmptySetCall)
                }
                _ => None,
            },
            Tok::Op('(') => {
                self.enter()?;
                let r = if self.eat(')') {
                    Some(Ast::Tuple(Vec::new()))
                } else {
                    let inner = self.testlist(Some(')'));
                    inner.filter(|_| self.eat(')'))
                };
                self.depth -= 1;
                r
            }
            Tok::Op('[') => {
                self.enter()?;
                let r = self.items(']').map(Ast::List);
                self.depth -= 1;
                r
            }
            Tok::Op('{') => {
                self.enter()?;
                let r = self.braces();
                self.depth -= 1;
                r
            }
            _ => None,
        }
    }

    fn items(&mut self, close: char) -> Option<Vec<Ast>> {
        let mut items = Vec::new();
        loop {
            if self.eat(close) {
                return Some(items);
            }
            items.push(self.expr()?);
            if !self.eat(',') {
                return self.eat(close).then_some(items);
            }
        }
    }

    fn braces(&mut self) -> Option<Ast> {
        if self.eat('}') {
            return Some(Ast::Dict(Vec::new()));
        }
        let first = self.expr()?;
        if self.eat(':') {
            let mut pairs = vec![(first, self.expr()?)];
            loop {
                if !self.eat(',') {
                    return self.eat('}').then_some(Ast::Dict(pairs));
                }
                if self.eat('}') {
                    return Some(Ast::Dict(pairs));
                }
                let k = self.expr()?;
                if !self.eat(':') {
                    return None;
                }
                pairs.push((k, self.expr()?));
            }
        }
        let mut items = vec![first];
        loop {
            if !self.eat(',') {
                return self.eat('}').then_some(Ast::Set(items));
            }
            if self.eat('}') {
                return Some(Ast::Set(items));
            }
            items.push(self.expr()?);
        }
    }
}

// ---------------------------------------------------------------- evaluation

/// A Python value as `literal_eval` produces it.
#[derive(Debug, Clone, PartialEq)]
enum Py {
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

enum Convert {
    Malformed,
    Unhashable(&'static str),
}

fn convert(ast: &Ast) -> Result<Py, Convert> {
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

/// A hashable stand-in for a hashable literal with Python's equality (`1 == 1.0 ==
/// True`), so dict and set construction stays linear.
#[derive(Debug, PartialEq, Eq, Hash)]
enum PyKey {
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

fn py_key(p: &Py) -> PyKey {
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

/// `to_text(v, nonstring='passthru')` followed by our value model. `None` when the
/// value has no faithful [`Value`] form.
fn to_value(p: &Py) -> Option<Value> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Value {
        parse_value(s).expect("no TypeError")
    }
    fn st(s: &str) -> Value {
        Value::String(s.to_owned())
    }

    #[test]
    fn scalars() {
        assert_eq!(v("1"), Value::Int(1));
        assert_eq!(v("-1"), Value::Int(-1));
        assert_eq!(v("-(1)"), Value::Int(-1));
        assert_eq!(v("--1"), st("--1"));
        assert_eq!(v("1_000"), Value::Int(1000));
        assert_eq!(v("0o17"), Value::Int(15));
        assert_eq!(v("0x_1f"), Value::Int(31));
        assert_eq!(v("0b101"), Value::Int(5));
        assert_eq!(v("010"), st("010"));
        assert_eq!(v("00"), Value::Int(0));
        assert_eq!(v("1."), Value::Float(1.0));
        assert_eq!(v(".5"), Value::Float(0.5));
        assert_eq!(v("1e3"), Value::Float(1000.0));
        assert_eq!(v("1.5E-1"), Value::Float(0.15));
        assert_eq!(v("007.5"), Value::Float(7.5));
        assert_eq!(v("True"), Value::Bool(true));
        assert_eq!(v("true"), st("true"));
        assert_eq!(v("None"), Value::Null);
        assert_eq!(v("yes"), st("yes"));
        assert_eq!(v("1 # comment"), Value::Int(1));
        assert_eq!(v("foo # comment"), st("foo # comment"));
        assert_eq!(v("  7"), Value::Int(7));
        assert_eq!(v(""), st(""));
        assert_eq!(v("1abc"), st("1abc"));
        assert_eq!(v("1.2.3"), st("1.2.3"));
        assert_eq!(v("1+2"), st("1+2"));
        assert_eq!(v("1j"), st("1j"));
        assert_eq!(v("1+2j"), st("1+2j"));
        assert_eq!(v("..."), st("..."));
        assert_eq!(v(&"9".repeat(30)), st(&"9".repeat(30)));
        assert_eq!(v("1e999"), Value::Float(f64::INFINITY));
    }

    #[test]
    fn strings() {
        assert_eq!(v("'a b'"), st("a b"));
        assert_eq!(v("\"a\\tb\""), st("a\tb"));
        assert_eq!(v("'a' \"b\""), st("ab"));
        assert_eq!(v("u'x'"), st("x"));
        assert_eq!(v("r'a\\nb'"), st("a\\nb"));
        assert_eq!(v("b'ab'"), st("ab"));
        assert_eq!(v("'a' b'b'"), st("'a' b'b'"));
        assert_eq!(v("f'x'"), st("f'x'"));
        assert_eq!(v("'\\x41\\u00e9\\101'"), st("A\u{e9}A"));
        assert_eq!(v("'\\q'"), st("\\q"));
        assert_eq!(v("'\\777'"), st("\u{1ff}"));
        assert_eq!(v("'\\N{DASH}'"), st("'\\N{DASH}'"));
        assert_eq!(v("'''x'''"), st("x"));
        assert_eq!(v("'unterminated"), st("'unterminated"));
        assert_eq!(v("'\\ud800'"), st("'\\ud800'"));
    }

    #[test]
    fn containers() {
        assert_eq!(v("[1, 'a',]"), Value::List(vec![Value::Int(1), st("a")]));
        assert_eq!(v("(1, 2)"), Value::List(vec![Value::Int(1), Value::Int(2)]));
        assert_eq!(v("1,"), Value::List(vec![Value::Int(1)]));
        assert_eq!(v("()"), Value::List(vec![]));
        assert_eq!(v("(1)"), Value::Int(1));
        assert_eq!(v("set()"), Value::List(vec![]));
        assert_eq!(
            v("{1, 1, 2}"),
            Value::List(vec![Value::Int(1), Value::Int(2)])
        );
        let Value::Map(m) = v("{'a': 1, 2: [3], True: None, 1: 'x'}") else {
            panic!("dict")
        };
        let keys: Vec<_> = m.keys().cloned().collect();
        assert_eq!(keys, ["a", "2", "true"]);
        assert_eq!(m.get("true"), Some(&st("x")));
        assert_eq!(v("{1.5: 0}").to_string(), "{\"1.5\": 0}");
        assert_eq!(v("{(1, 2): 0}"), st("{(1, 2): 0}"));
        assert_eq!(v("[1, 2"), st("[1, 2"));
        assert_eq!(v("[x]"), st("[x]"));
        assert_eq!(v("{}"), Value::Map(Mapping::new()));
    }

    #[test]
    fn unhashable_keys_are_type_errors() {
        assert!(parse_value("{[1]: 2}").is_err());
        assert!(parse_value("{1: 2, {}: 3}").is_err());
        assert!(parse_value("{[1], 2}").is_err());
        assert!(parse_value("{(1, [2]): 3}").is_err());
        // the value is converted (and found malformed) before the key is hashed
        assert_eq!(v("{[1]: (-(-1))}"), st("{[1]: (-(-1))}"));
    }

    #[test]
    fn deep_nesting_is_not_a_literal() {
        let deep = format!("{}1{}", "[".repeat(300), "]".repeat(300));
        assert_eq!(v(&deep), st(&deep));
        let ok = format!("{}1{}", "[".repeat(50), "]".repeat(50));
        assert!(matches!(v(&ok), Value::List(_)));
    }
}
