//! Property tests: the parsers never panic and finish quickly on any input, their
//! expansion stays within the caps whatever a text multiplies, and rendering
//! round-trips arbitrary values.

use std::time::{Duration, Instant};

use proptest::collection::vec;
use proptest::prelude::*;

use super::generator::{random_ini, random_yaml};
use super::rng::Rng;
use crate::inventory::{MAX_HOST_VARIABLES, MAX_HOSTS, MAX_MEMBERSHIPS, parse_inventory};
use crate::playbook::{
    MAX_RENDERED_BYTES, PlaybookBudget, TaskMapping, parse_task, render_playbook,
};
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

/// The multipliers of an inventory: `groups` groups, each listing a range of
/// `10^digits` hosts `relist` times with `host_vars` variables and a `dict`-entry dict,
/// all under a parent chain `chain` groups long, plus `all_vars` variables on `all`.
#[derive(Debug, Clone)]
struct Fanout {
    yaml: bool,
    groups: usize,
    digits: u32,
    relist: usize,
    host_vars: usize,
    dict: usize,
    chain: usize,
    all_vars: usize,
}

fn arb_fanout() -> impl Strategy<Value = Fanout> {
    (
        any::<bool>(),
        1usize..40,
        0u32..=4,
        1usize..4,
        0usize..4,
        0usize..30,
        (0usize..40, 0usize..40),
    )
        .prop_map(
            |(yaml, groups, digits, relist, host_vars, dict, (chain, all_vars))| Fanout {
                yaml,
                groups,
                digits,
                relist,
                host_vars,
                dict,
                chain,
                all_vars,
            },
        )
}

fn fanout_ini(f: &Fanout) -> String {
    let end = 10usize.pow(f.digits) - 1;
    let vars: String = (0..f.host_vars).map(|v| format!(" v{v}={v}")).collect();
    let dict: Vec<String> = (0..f.dict).map(|i| format!("{i}:{i}")).collect();
    let line = format!("h[0:{end}]{vars} d={{{}}}\n", dict.join(","));
    let mut s = String::new();
    for g in 0..f.groups {
        s.push_str(&format!("[g{g}]\n"));
        s.push_str(&line.repeat(f.relist));
    }
    if f.chain > 0 {
        for i in 0..f.chain - 1 {
            s.push_str(&format!("[c{i}:children]\nc{}\n", i + 1));
        }
        s.push_str(&format!("[c{}:children]\n", f.chain - 1));
        s.extend((0..f.groups).map(|g| format!("g{g}\n")));
    }
    s.push_str("[all:vars]\n");
    s.extend((0..f.all_vars).map(|v| format!("a{v}={v}\n")));
    s
}

fn fanout_yaml(f: &Fanout) -> String {
    let end = 10usize.pow(f.digits) - 1;
    let vars: Vec<String> = (0..f.host_vars).map(|v| format!("v{v}: {v}")).collect();
    let dict: Vec<String> = (0..f.dict).map(|i| format!("k{i}: {i}")).collect();
    let mut s = String::from("all:\n  vars: {");
    let all: Vec<String> = (0..f.all_vars).map(|v| format!("a{v}: {v}")).collect();
    s.push_str(&all.join(", "));
    s.push_str("}\n  children:\n");
    for g in 0..f.groups {
        s.push_str(&format!(
            "    g{g}:\n      hosts:\n        h[0:{end}]: {{{}d: {{{}}}}}\n",
            vars.iter().map(|v| format!("{v}, ")).collect::<String>(),
            dict.join(", ")
        ));
    }
    s
}

/// Nested alias fan-outs, `width` aliases a level, `depth` levels.
fn fanout_task(depth: usize, width: usize) -> String {
    let leaves = vec!["x"; width].join(", ");
    let mut s = format!("name: fan\ndebug:\n  msg:\n    l0: &l0 [{leaves}]\n");
    for l in 1..depth {
        let items = vec![format!("*l{}", l - 1); width].join(", ");
        s.push_str(&format!("    l{l}: &l{l} [{items}]\n"));
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Bounded expansion: a valid inventory, however much it multiplies, is either
    /// accepted within the caps or refused naming one.
    #[test]
    fn inventory_expansion_stays_within_the_caps(f in arb_fanout()) {
        let text = if f.yaml { fanout_yaml(&f) } else { fanout_ini(&f) };
        match parse_inventory(&text) {
            Ok(inv) => {
                prop_assert!(inv.hosts().len() <= MAX_HOSTS);
                let memberships: usize = inv.hosts().values().map(|h| h.groups.len() - 1).sum();
                prop_assert!(memberships <= MAX_MEMBERSHIPS, "{memberships}");
                let vars: usize = inv.hosts().values().map(|h| h.vars.len()).sum();
                prop_assert!(vars <= MAX_HOST_VARIABLES, "{vars}");
            }
            Err(e) => prop_assert!(e.message.contains(" more than "), "{f:?}: {e}"),
        }
    }

    /// Bounded expansion: a playbook of alias fan-outs is either accepted and renders
    /// within the cap, or refused naming a cap.
    #[test]
    fn playbook_expansion_stays_within_the_caps(
        shapes in vec((1usize..6, 2usize..12), 1..50),
    ) {
        let mut budget = PlaybookBudget::new();
        let parsed: Result<Vec<TaskMapping>, _> = shapes
            .iter()
            .enumerate()
            .map(|(i, (d, w))| budget.parse_task(i + 1, &fanout_task(*d, *w)))
            .collect();
        match parsed.map(|tasks| render_playbook("p", "all", false, &[], &tasks)) {
            Ok(Ok(text)) => prop_assert!(text.len() <= MAX_RENDERED_BYTES),
            Ok(Err(e)) => prop_assert!(e.to_string().contains("larger than"), "{e}"),
            Err(e) => prop_assert!(e.message.contains(" more than "), "{e}"),
        }
    }
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
