//! What the tokenizer hands the parser: the tokens of a literal, shared by the lexers of
//! numbers ([`super::number`]) and strings ([`super::string`]) and the tokenizer that calls them.

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Num {
    Int(i128),
    Big(String),
    Float(f64),
    Imag(f64),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Num(Num),
    Str(Vec<u16>, StrKind),
    Name(String),
    Op(char),
    Ellipsis,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StrKind {
    Text,
    Bytes,
    Format,
}
