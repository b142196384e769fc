use super::parse_value;
use crate::value::{Mapping, Value};

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
