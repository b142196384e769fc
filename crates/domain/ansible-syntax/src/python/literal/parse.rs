//! The expression grammar `ast.literal_eval` accepts: constants, tuples, lists, sets,
//! dicts, `set()`, unary signs and binary `+`/`-` (which evaluation narrows to
//! `real ± imaginary`). Nesting is capped like CPython's so that hostile input cannot
//! exhaust the stack.

use super::py::Py;
use super::token::{Num, StrKind, Tok, tokenize};

/// Maximum bracket nesting; CPython's tokenizer stops at 200 as well.
const MAX_NESTING: usize = 200;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Ast {
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

pub(super) fn parse(src: &str) -> Option<Ast> {
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
