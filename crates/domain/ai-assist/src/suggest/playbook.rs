//! A play (or a list of tasks) as the body of a new playbook: name, type `Machine`, main
//! (hosts, gather_facts, other play keywords in order) and one task snippet per task.

use ansible_syntax::playbook::{TaskMapping, parse_document, render_task};
use ansible_syntax::{Mapping, Value};

/// The name of a suggested playbook whose play has none.
pub const DEFAULT_NAME: &str = "AI suggested playbook";

/// A playbook's name fits the catalogue's limit.
const MAX_NAME_CHARS: usize = 255;

/// Keys of a play that are not main keys: they have fields of their own.
const OWN_FIELDS: [&str; 4] = ["name", "hosts", "gather_facts", "tasks"];

/// Keys that make a mapping a play rather than a task.
const PLAY_KEYS: [&str; 5] = ["hosts", "tasks", "pre_tasks", "post_tasks", "roles"];

/// A playbook as `POST /api/playbooks` takes it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaybookSuggestion {
    pub name: String,
    pub hosts: String,
    pub gather_facts: bool,
    /// The play's other keywords, in their order.
    pub extra: Vec<(String, Value)>,
    /// One YAML mapping per task, in order.
    pub tasks: Vec<String>,
}

fn is_play(m: &Mapping) -> bool {
    PLAY_KEYS.iter().any(|k| m.contains_key(k))
}

fn name_of(value: Option<&Value>) -> String {
    let name = value
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or(DEFAULT_NAME);
    name.chars().take(MAX_NAME_CHARS).collect()
}

fn task_snippets(tasks: &[Value]) -> Result<Vec<String>, String> {
    tasks
        .iter()
        .enumerate()
        .map(|(i, task)| match task {
            Value::Map(m) if !m.is_empty() => render_task(&TaskMapping::new(m.clone()))
                .map_err(|e| format!("task {}: {e}", i + 1)),
            _ => Err(format!("task {} is not a mapping", i + 1)),
        })
        .collect()
}

fn hosts_of(value: Option<&Value>) -> Result<String, String> {
    let hosts = match value {
        None | Some(Value::Null) => return Err("the play has no hosts".to_owned()),
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::List(items)) => items
            .iter()
            .map(|h| h.as_str().map(str::trim).map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or("hosts: not a list of host patterns")?
            .join(","),
        Some(_) => return Err("hosts: not a host pattern".to_owned()),
    };
    if hosts.is_empty() {
        return Err("the play has no hosts".to_owned());
    }
    Ok(hosts)
}

fn from_play(play: &Mapping) -> Result<PlaybookSuggestion, String> {
    let hosts = hosts_of(play.get("hosts"))?;
    // Ansible gathers facts unless told not to; the suggestion keeps that meaning.
    let gather_facts = match play.get("gather_facts") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err("gather_facts: not true or false".to_owned()),
    };
    let tasks = match play.get("tasks") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::List(tasks)) => task_snippets(tasks)?,
        Some(_) => return Err("tasks: not a list".to_owned()),
    };
    let extra = play
        .iter()
        .filter(|(k, _)| !OWN_FIELDS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Ok(PlaybookSuggestion {
        name: name_of(play.get("name")),
        hosts,
        gather_facts,
        extra,
        tasks,
    })
}

/// Reads a fenced block as a playbook: a list holding one play, one play as a mapping, or a
/// list of tasks (which then run on `all`, without gathering facts). Errors say why the
/// block is none of those: YAML that does not parse, several plays (a hub playbook is one
/// play), a play without hosts, a task that is not a mapping.
pub fn playbook_from_yaml(text: &str) -> Result<PlaybookSuggestion, String> {
    let doc = parse_document(text).map_err(|e| match e.line {
        Some(line) => format!("the YAML does not parse: line {line}: {}", e.message),
        None => format!("the YAML does not parse: {}", e.message),
    })?;
    match doc {
        Value::Map(play) if is_play(&play) => from_play(&play),
        Value::List(items) if items.is_empty() => Err("the block is an empty list".to_owned()),
        Value::List(items) => {
            let plays = items
                .iter()
                .filter(|i| matches!(i, Value::Map(m) if is_play(m)))
                .count();
            match (plays, items.as_slice()) {
                (0, tasks) => Ok(PlaybookSuggestion {
                    name: DEFAULT_NAME.to_owned(),
                    hosts: "all".to_owned(),
                    gather_facts: false,
                    extra: Vec::new(),
                    tasks: task_snippets(tasks)?,
                }),
                (1, [Value::Map(play)]) => from_play(play),
                _ => Err("the block holds several plays; a hub playbook is one play".to_owned()),
            }
        }
        _ => Err("the block is neither a play nor a list of tasks".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_play_becomes_main_and_one_snippet_per_task() {
        let s = playbook_from_yaml(
            "- name: Deploy Nginx\n  hosts: web\n  become: true\n  tasks:\n    - name: Install\n      ansible.builtin.apt: {name: nginx, state: present}\n    - ansible.builtin.service: {name: nginx, state: started}\n",
        )
        .expect("a play");
        assert_eq!(
            (s.name.as_str(), s.hosts.as_str(), s.gather_facts),
            ("Deploy Nginx", "web", true)
        );
        assert_eq!(s.extra, vec![("become".to_owned(), Value::Bool(true))]);
        assert_eq!(s.tasks.len(), 2);
        assert!(
            s.tasks[0].starts_with("name: \"Install\"\nansible.builtin.apt:\n"),
            "{}",
            s.tasks[0]
        );
    }

    #[test]
    fn a_task_list_runs_on_all() {
        let s = playbook_from_yaml("- name: Ping\n  ansible.builtin.ping:\n").expect("tasks");
        assert_eq!(
            (s.hosts.as_str(), s.gather_facts, s.tasks.len()),
            ("all", false, 1)
        );
        assert_eq!(s.name, DEFAULT_NAME);
    }

    #[test]
    fn what_is_not_one_play_is_declined_with_a_reason() {
        let cases = [
            ("- hosts: [\n", "does not parse"),
            (
                "- name: x\n  gather_facts: false\n  tasks:\n    - ansible.builtin.ping:\n",
                "no hosts",
            ),
            (
                "- hosts: a\n  tasks: []\n- hosts: b\n  tasks: []\n",
                "several plays",
            ),
            ("- hosts: a\n  tasks:\n    - just text\n", "not a mapping"),
            ("just text\n", "neither"),
        ];
        for (yaml, why) in cases {
            match playbook_from_yaml(yaml) {
                Err(reason) => assert!(reason.contains(why), "{yaml:?}: {reason}"),
                Ok(s) => panic!("{yaml:?} was taken: {s:?}"),
            }
        }
    }
}
