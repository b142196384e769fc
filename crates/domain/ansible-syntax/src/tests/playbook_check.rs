//! Rendered playbooks against the real Ansible: `ansible-playbook --syntax-check`
//! must accept them, Ansible's own YAML loader (PyYAML, YAML 1.1) must read back the
//! values we meant, and so must serde-saphyr (YAML 1.2) and our loader.

use std::path::Path;
use std::process::Command;

use serde_json::Value as Json;

use super::{ansible, json::to_json};
use crate::playbook::{TaskMapping, parse_task, render_playbook};
use crate::{Mapping, UNSAFE_KEY, VAULT_KEY, Value};

const TRICKY: &[&str] = &[
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "Y",
    "N",
    "true",
    "True",
    "false",
    "null",
    "Null",
    "~",
    "",
    "12:30",
    "1:2:3",
    "0o17",
    "017",
    "0x1F",
    "1e3",
    "1.0e+3",
    "1_000",
    ".inf",
    ".nan",
    "-.5",
    "2001-12-14",
    "2001-12-14 21:59:43.10 -5",
    "=",
    "<<",
    "-",
    "- item",
    "key: value",
    "a:b",
    "#comment",
    "a #b",
    "'single'",
    "\"double\"",
    "back\\slash",
    "multi\nline\n",
    "trailing ",
    " leading",
    "tab\there",
    "cr\r\nlf",
    "unicode é ✓ 😀",
    "nel\u{85}x",
    "ls\u{2028}x",
    "bom\u{feff}",
    "bell\u{7}",
    "del\u{7f}",
    "{{ inventory_hostname }}",
    "%percent",
    "@at",
    "`tick",
    "!bang",
    "&anchor",
    "*alias",
    "|pipe",
    ">fold",
    "[list]",
    "{map}",
    "? key",
    "...",
    "---",
];

fn s(v: &str) -> Value {
    Value::String(v.to_owned())
}

fn map(entries: Vec<(&str, Value)>) -> Value {
    Value::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect::<Mapping>(),
    )
}

fn tricky_map() -> Value {
    Value::Map(
        TRICKY
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("v{i}"), s(t)))
            .collect::<Mapping>(),
    )
}

/// One playbook under test: name, extra main keys, tasks.
type Case = (String, Vec<(String, Value)>, Vec<TaskMapping>);

fn playbooks() -> Vec<Case> {
    let parsed = |i: usize, text: &str| parse_task(i, text).unwrap_or_else(|e| panic!("{e}"));
    let debug = |msg: Value| {
        TaskMapping::new(
            [
                ("name".to_owned(), s("show")),
                ("ansible.builtin.debug".to_owned(), map(vec![("msg", msg)])),
            ]
            .into_iter()
            .collect(),
        )
    };
    vec![
        (
            "plain".to_owned(),
            vec![],
            vec![
                parsed(1, "name: Ping\nansible.builtin.ping:\n"),
                parsed(2, "name: Say yes\nansible.builtin.debug:\n  msg: 'yes'\n"),
            ],
        ),
        (
            "yes".to_owned(),
            vec![
                ("become".to_owned(), Value::Bool(true)),
                ("vars".to_owned(), tricky_map()),
            ],
            TRICKY.iter().map(|t| debug(s(t))).collect(),
        ),
        (
            "12:30".to_owned(),
            vec![
                (
                    "tags".to_owned(),
                    Value::List(vec![s("on"), s("yes"), s("1e3")]),
                ),
                (
                    "vars".to_owned(),
                    map(vec![
                        ("int", Value::Int(12)),
                        ("neg", Value::Int(-7)),
                        ("max", Value::Int(i64::MAX)),
                        ("min", Value::Int(i64::MIN)),
                        ("float", Value::Float(1.5)),
                        ("whole", Value::Float(3.0)),
                        ("huge", Value::Float(1e20)),
                        ("tiny", Value::Float(1.25e-7)),
                        ("negzero", Value::Float(-0.0)),
                        ("bool", Value::Bool(false)),
                        // Not `none`: ansible-core 2.19 refuses it as a variable name.
                        ("nothing", Value::Null),
                        ("empty_list", Value::List(vec![])),
                        ("empty_map", map(vec![])),
                        (
                            "nested",
                            Value::List(vec![
                                Value::List(vec![s("on")]),
                                map(vec![("yes", s("no"))]),
                            ]),
                        ),
                    ]),
                ),
            ],
            vec![
                TaskMapping::new(
                    [("ansible.builtin.set_fact".to_owned(), tricky_map())]
                        .into_iter()
                        .collect(),
                ),
                parsed(
                    3,
                    "name: \"quotes ' and \\\" here\"\nansible.builtin.command:\n  cmd: echo \"1e3\" 'null'\nwhen: x is defined\n",
                ),
            ],
        ),
        (
            "multi\nline \"name\" with: colon # and hash".to_owned(),
            vec![(
                "vars".to_owned(),
                map(vec![(
                    "unsafe",
                    Value::unsafe_string("{{ not templated }}"),
                )]),
            )],
            vec![
                debug(Value::unsafe_string("{{ lookup('pipe', 'id') }}")),
                debug(Value::vault("$ANSIBLE_VAULT;1.1;AES256\n6162\n")),
                parsed(
                    4,
                    "name: block\nansible.builtin.shell: |\n  echo one\n  echo two\nargs:\n  chdir: /tmp\n",
                ),
            ],
        ),
    ]
}

fn expected(name: &str, extra: &[(String, Value)], tasks: &[TaskMapping]) -> Value {
    let mut play = Mapping::new();
    play.insert("name".into(), s(name));
    play.insert("hosts".into(), s("all"));
    play.insert("gather_facts".into(), Value::Bool(false));
    for (k, v) in extra {
        play.insert(k.clone(), v.clone());
    }
    play.insert(
        "tasks".into(),
        Value::List(
            tasks
                .iter()
                .map(|t| Value::Map(t.entries().clone()))
                .collect(),
        ),
    );
    Value::List(vec![Value::Map(play)])
}

/// serde-saphyr ignores Ansible's tags, so the tagged shapes read back as plain strings.
fn untag(v: &Value) -> Value {
    match v {
        Value::Map(m)
            if m.len() == 1 && (m.contains_key(UNSAFE_KEY) || m.contains_key(VAULT_KEY)) =>
        {
            m.iter()
                .next()
                .map(|(_, v)| v.clone())
                .unwrap_or(Value::Null)
        }
        Value::Map(m) => Value::Map(m.iter().map(|(k, v)| (k.clone(), untag(v))).collect()),
        Value::List(items) => Value::List(items.iter().map(untag).collect()),
        other => other.clone(),
    }
}

const PY_LOAD: &str = "import json, sys\n\
from ansible.parsing.yaml.loader import AnsibleLoader\n\
from ansible.parsing.ajson import AnsibleJSONEncoder\n\
data = AnsibleLoader(open(sys.argv[1], encoding='utf-8').read()).get_single_data()\n\
print(json.dumps(data, cls=AnsibleJSONEncoder, preprocess_unsafe=True, vault_to_text=False))\n";

fn ansible_python(playbook_bin: &Path) -> Option<std::path::PathBuf> {
    let p = playbook_bin.parent()?.join("python3");
    p.is_file().then_some(p)
}

#[test]
fn rendered_playbooks_round_trip_and_pass_syntax_check() {
    let mut checked = 0;
    for (name, extra, tasks) in playbooks() {
        let text = render_playbook(&name, "all", false, &extra, &tasks)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let want = expected(&name, &extra, &tasks);
        let docs = crate::yaml::load(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].1.to_value(), want, "our loader\n{text}");
        let saphyr: Json = serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(saphyr, to_json(&untag(&want)), "serde-saphyr\n{text}");
        checked += 1;
    }
    assert_eq!(checked, 4);

    let Some(bin) = ansible::require(
        "HUB_ANSIBLE_PLAYBOOK",
        "ansible-playbook",
        "rendered_playbooks_round_trip_and_pass_syntax_check",
    ) else {
        return;
    };
    let python = ansible_python(&bin);
    let values_only = ansible::marks_trust_by_tags(&bin);
    if python.is_none() {
        eprintln!(
            "*** note: no python3 next to {}; PyYAML value check skipped ***",
            bin.display()
        );
    }
    for (i, (name, extra, tasks)) in playbooks().into_iter().enumerate() {
        let text = render_playbook(&name, "all", false, &extra, &tasks)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let pb = dir.path().join(format!("playbook{i}.yml"));
        let inv = dir.path().join("inventory");
        std::fs::write(&pb, &text).unwrap_or_else(|e| panic!("write: {e}"));
        std::fs::write(&inv, "localhost ansible_connection=local\n")
            .unwrap_or_else(|e| panic!("write: {e}"));
        let mut cmd = Command::new(&bin);
        cmd.arg("--syntax-check").arg("-i").arg(&inv).arg(&pb);
        let run = ansible::run(cmd, dir.path());
        assert!(
            run.success,
            "syntax-check failed for playbook {i}:\n{}\n{}\n{text}",
            run.stdout, run.stderr
        );

        if let Some(py) = &python {
            let mut cmd = Command::new(py);
            cmd.arg("-c").arg(PY_LOAD).arg(&pb);
            let run = ansible::run(cmd, dir.path());
            assert!(run.success, "AnsibleLoader failed:\n{}\n{text}", run.stderr);
            let theirs: Json =
                serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
            let want = to_json(&expected(&name, &extra, &tasks));
            let (theirs, want) = if values_only {
                (
                    super::json::strip_unsafe(&theirs),
                    super::json::strip_unsafe(&want),
                )
            } else {
                (theirs, want)
            };
            assert_eq!(theirs, want, "PyYAML reads different values\n{text}");
        }
    }
}
