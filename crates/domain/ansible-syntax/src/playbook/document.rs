//! A whole YAML document read as Ansible reads it: for texts that are not one task, such
//! as a playbook someone wrote (or a model suggested), before it is split into tasks.

use super::error::PlaybookError;
use super::task::check_keys;
use crate::value::Value;
use crate::yaml::load;

/// Reads `content` as exactly one YAML document with Ansible's YAML 1.1 typing and
/// string keys throughout. Errors carry the line; `task` is always 0 (no task yet).
pub fn parse_document(content: &str) -> Result<Value, PlaybookError> {
    let err = |line: Option<usize>, message: String| PlaybookError {
        task: 0,
        line,
        message,
    };
    let docs = load(content).map_err(|e| err(e.line, e.message))?;
    match docs.as_slice() {
        [] => Err(err(None, "the document is empty".to_owned())),
        [(_, root)] => {
            check_keys(root).map_err(|(line, m)| err(Some(line), m))?;
            Ok(root.to_value())
        }
        [_, (line, _), ..] => Err(err(
            Some(*line),
            "expected a single YAML document, found another document".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::playbook::{parse_task, render_task};

    #[test]
    fn a_play_reads_with_yaml11_types_and_its_tasks_render_back() {
        let doc = parse_document(
            "- hosts: web\n  become: yes\n  tasks:\n    - name: Install\n      apt: {name: nginx, state: present}\n",
        )
        .expect("a play");
        let Value::List(plays) = doc else {
            panic!("a list of plays")
        };
        let Some(Value::Map(play)) = plays.first() else {
            panic!("a play")
        };
        assert_eq!(play.get("become"), Some(&Value::Bool(true)));
        let Some(Value::List(tasks)) = play.get("tasks") else {
            panic!("tasks")
        };
        let Some(Value::Map(task)) = tasks.first() else {
            panic!("a task")
        };
        let text = render_task(&task.clone().into()).expect("renders");
        assert_eq!(
            text,
            "name: \"Install\"\napt:\n  name: \"nginx\"\n  state: \"present\"\n"
        );
        assert_eq!(
            parse_task(1, &text).map(|t| t.into_entries()),
            Ok(task.clone())
        );
    }

    #[test]
    fn bad_documents_say_where() {
        assert!(parse_document("").is_err());
        let e = parse_document("a: 1\n---\nb: 2\n").expect_err("two documents");
        assert_eq!(e.line, Some(2));
        let e = parse_document("- hosts: [\n").expect_err("unclosed");
        assert!(e.line.is_some(), "{e}");
        assert!(parse_document("yes: 1\n").is_err());
    }
}
