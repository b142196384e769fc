//! One task given as a YAML mapping.

use super::error::PlaybookError;
use crate::value::{Mapping, Value};
use crate::yaml::{Kind, Node, load};

/// The keys and values of one task, in the order they were written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TaskMapping {
    entries: Mapping,
}

impl TaskMapping {
    /// A task from already-built entries.
    #[must_use]
    pub fn new(entries: Mapping) -> Self {
        Self { entries }
    }

    /// The entries in order.
    #[must_use]
    pub fn entries(&self) -> &Mapping {
        &self.entries
    }

    /// One value.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.get(key)
    }

    /// The entries, consuming the task.
    #[must_use]
    pub fn into_entries(self) -> Mapping {
        self.entries
    }
}

impl From<Mapping> for TaskMapping {
    fn from(entries: Mapping) -> Self {
        Self { entries }
    }
}

/// Keys must be strings: YAML 1.1 reads `yes:` or `1:` as a bool or int key, which our
/// string-keyed mapping could only keep by changing its meaning.
pub(super) fn check_keys(node: &Node) -> Result<(), (usize, String)> {
    match &node.kind {
        Kind::Map(pairs) => {
            for (k, v) in pairs {
                if k.as_str().is_none() {
                    return Err((
                        k.line,
                        format!(
                            "mapping key {} is read as a {} (YAML 1.1); quote it to make it a string",
                            k.describe(),
                            k.type_name()
                        ),
                    ));
                }
                check_keys(v)?;
            }
            Ok(())
        }
        Kind::Seq(items) => items.iter().try_for_each(check_keys),
        _ => Ok(()),
    }
}

/// Parse one task. `index` is the task's 1-based number and is used verbatim in errors
/// (`task 2, line 3: ...`).
///
/// The content must be exactly one YAML document holding one non-empty mapping: not a
/// list (no leading `- `), not a scalar, not empty, not several documents.
///
/// The task may expand to one YAML document's worth of nodes; to hold several tasks of
/// one playbook to one budget, use [`super::PlaybookBudget::parse_task`].
pub fn parse_task(index: usize, content: &str) -> Result<TaskMapping, PlaybookError> {
    let docs = load(content).map_err(|e| PlaybookError {
        task: index,
        line: e.line,
        message: e.message,
    })?;
    task_from_docs(index, &docs)
}

/// The task in a loaded snippet, or why the snippet is not one task.
pub(super) fn task_from_docs(
    index: usize,
    docs: &[(usize, Node)],
) -> Result<TaskMapping, PlaybookError> {
    let err = |line: Option<usize>, message: String| PlaybookError {
        task: index,
        line,
        message,
    };
    let root = match docs {
        [] => return Err(err(None, "the task is empty".to_owned())),
        [(_, root)] => root,
        [_, (line, _), ..] => {
            return Err(err(
                Some(*line),
                "expected a single YAML document, found another document".to_owned(),
            ));
        }
    };
    match &root.kind {
        Kind::Map(pairs) if pairs.is_empty() => Err(err(
            Some(root.line),
            "the task is an empty mapping".to_owned(),
        )),
        Kind::Map(_) => {
            check_keys(root).map_err(|(line, m)| err(Some(line), m))?;
            match root.to_value() {
                Value::Map(m) => Ok(TaskMapping::new(m)),
                _ => Err(err(Some(root.line), "expected a mapping".to_owned())),
            }
        }
        Kind::Null => Err(err(Some(root.line), "the task is empty".to_owned())),
        Kind::Seq(_) => Err(err(
            Some(root.line),
            "expected one task as a mapping, found a list (remove the leading '- ')".to_owned(),
        )),
        _ => Err(err(
            Some(root.line),
            format!(
                "expected one task as a mapping, found a {}",
                root.type_name()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(s: &str) -> TaskMapping {
        parse_task(1, s).expect("valid task")
    }

    fn error(index: usize, s: &str) -> PlaybookError {
        parse_task(index, s).expect_err("invalid task")
    }

    #[test]
    fn parses_a_mapping_in_order_with_yaml11_types() {
        let t = task(
            "name: Install\nansible.builtin.apt:\n  name: nginx\n  state: present\nbecome: yes\nmode: 0644\nv: 1e3\n",
        );
        let keys: Vec<_> = t.entries().keys().cloned().collect();
        assert_eq!(keys, ["name", "ansible.builtin.apt", "become", "mode", "v"]);
        assert_eq!(t.get("become"), Some(&Value::Bool(true)));
        assert_eq!(t.get("mode"), Some(&Value::Int(420)));
        assert_eq!(t.get("v"), Some(&Value::String("1e3".into())));
    }

    #[test]
    fn rejects_non_mappings_with_task_and_line() {
        let e = error(2, "- name: x\n  ping:\n");
        assert_eq!((e.task, e.line), (2, Some(1)));
        assert!(e.message.contains("list"), "{e}");
        assert!(error(3, "just text\n").message.contains("str"));
        assert!(error(1, "42").message.contains("int"));
        assert_eq!(error(1, "").message, "the task is empty");
        assert_eq!(error(1, "# only a comment\n").message, "the task is empty");
        assert_eq!(error(1, "---\n").message, "the task is empty");
        assert!(error(1, "{}").message.contains("empty mapping"));
        let e = error(4, "name: a\n---\nname: b\n");
        assert_eq!((e.task, e.line), (4, Some(2)));
        assert_eq!(
            e.to_string(),
            "task 4, line 2: expected a single YAML document, found another document"
        );
    }

    #[test]
    fn yaml_errors_carry_the_line() {
        let e = error(2, "name: x\nshell: [\n");
        assert_eq!(e.task, 2);
        assert!(e.line.is_some());
        let e = error(5, "name: x\ncopy:\n  src: a\n bad: indentation\n");
        assert_eq!(e.task, 5);
        assert!(e.line.is_some_and(|l| l >= 3), "{e}");
    }

    #[test]
    fn rejects_non_string_keys() {
        let e = error(1, "name: x\nyes: 1\n");
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("bool"), "{e}");
        let e = error(1, "name: x\nshell:\n  cmd: ls\n  1: a\n");
        assert_eq!(e.line, Some(4));
    }
}
