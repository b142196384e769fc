//! Property tests: the parsers never panic and finish quickly on any input, and
//! rendering round-trips arbitrary values.

use std::time::{Duration, Instant};

use proptest::collection::vec;
use proptest::prelude::*;

use super::generator::{random_ini, random_yaml};
use super::rng::Rng;
use crate::inventory::parse_inventory;
use crate::playbook::{TaskMapping, parse_task, render_playbook};
use crate::{Mapping, Value};

/// Generous: debug builds on a loaded 2-core machine.
const LIMIT: Duration = Duration::from_secs(3);

fn timed_parse(text: &str) {
    let start = Instant::now();
    let _ = parse_inventory(text);
    let took = start.elapsed();
    assert!(took < LIMIT, "parse took {took:?} for {text:?}");
}

/// Characters that matter to the INI and YAML grammars.
const INTERESTING: &[char] = &[
    '[', ']', ':', '=', '#', ';', '\'', '"', '\\', '\n', ' ', '\t', '-', '{', '}', ',', '0', '1',
    '9', 'a', 'z', '|', '&', '*', '!', '<', '.', '\r', '\u{85}', 'é',
];

fn mutate(text: &str, edits: &[(usize, u8, usize)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for &(pos, op, c) in edits {
        let c = INTERESTING[c % INTERESTING.len()];
        let at = if chars.is_empty() {
            0
        } else {
            pos % (chars.len() + 1)
        };
        match op % 3 {
            0 => chars.insert(at, c),
            1 if at < chars.len() => {
                chars.remove(at);
            }
            _ if at < chars.len() => chars[at] = c,
            _ => chars.push(c),
        }
    }
    chars.into_iter().collect()
}

fn arb_value() -> impl Strategy<Value = Value> {
    let tricky = prop_oneof![
        Just("yes"),
        Just("no"),
        Just("on"),
        Just("off"),
        Just("y"),
        Just("n"),
        Just("~"),
        Just("null"),
        Just("12:30"),
        Just("0o17"),
        Just("1e3"),
        Just("010"),
        Just("- x"),
        Just("a: b"),
        Just("#c"),
        Just("'"),
        Just("\""),
        Just("\\"),
        Just("<<"),
        Just("="),
        Just(""),
        Just("\u{85}\u{2028}\u{feff}"),
        Just("{{ x }}"),
        Just("2001-12-14"),
        Just(".inf"),
    ]
    .prop_map(|s: &str| Value::String(s.to_owned()));
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::Int),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::Float),
        any::<String>().prop_map(Value::String),
        tricky,
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..5).prop_map(Value::List),
            vec((any::<String>(), inner), 0..5)
                .prop_map(|kv| Value::Map(kv.into_iter().collect::<Mapping>())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn inventory_parser_survives_arbitrary_text(text in any::<String>()) {
        timed_parse(&text);
    }

    #[test]
    fn inventory_parser_survives_grammar_soup(chars in vec(0usize..INTERESTING.len(), 0..300)) {
        let text: String = chars.into_iter().map(|i| INTERESTING[i]).collect();
        timed_parse(&text);
    }

    #[test]
    fn inventory_parser_survives_mutated_inventories(
        seed in any::<u64>(),
        yaml in any::<bool>(),
        edits in vec((any::<usize>(), any::<u8>(), any::<usize>()), 1..12),
    ) {
        let mut r = Rng::new(seed);
        let base = if yaml { random_yaml(&mut r) } else { random_ini(&mut r) };
        timed_parse(&mutate(&base, &edits));
    }

    #[test]
    fn parse_task_survives_arbitrary_text(text in any::<String>()) {
        let _ = parse_task(1, &text);
    }

    #[test]
    fn rendering_round_trips(
        extra in vec(("[a-z_]{1,8}", arb_value()), 0..4),
        tasks in vec(vec((any::<String>(), arb_value()), 1..5), 0..4),
        name in any::<String>(),
        gather in any::<bool>(),
    ) {
        let reserved = ["name", "hosts", "gather_facts", "tasks"];
        let mut main = Mapping::new();
        for (k, v) in &extra {
            if !reserved.contains(&k.as_str()) && !main.contains_key(k) {
                main.insert(k.clone(), v.clone());
            }
        }
        let extra: Vec<(String, Value)> = main.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let tasks: Vec<TaskMapping> = tasks.into_iter().map(|kv| TaskMapping::new(kv.into_iter().collect())).collect();
        let text = render_playbook(&name, "all", gather, &extra, &tasks)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;

        let mut play = Mapping::new();
        play.insert("name".into(), Value::String(name.clone()));
        play.insert("hosts".into(), Value::String("all".into()));
        play.insert("gather_facts".into(), Value::Bool(gather));
        for (k, v) in &extra {
            play.insert(k.clone(), v.clone());
        }
        play.insert("tasks".into(), Value::List(tasks.iter().map(|t| Value::Map(t.entries().clone())).collect()));
        let expected = Value::List(vec![Value::Map(play)]);

        // Our YAML 1.1 reader (what Ansible sees).
        let docs = crate::yaml::load(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(docs.len(), 1);
        prop_assert_eq!(&docs[0].1.to_value(), &expected, "{}", text);

        // serde-saphyr (YAML 1.2).
        let parsed: serde_json::Value = serde_saphyr::from_str(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(parsed, super::json::to_json(&expected), "{}", text);
    }
}
