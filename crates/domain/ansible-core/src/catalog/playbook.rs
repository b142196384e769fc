use super::error::CatalogError;
use ansible_syntax::Value;
use ansible_syntax::playbook::{PlaybookBudget, TaskMapping, render_playbook};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;
use std::fmt;

const MAX_NAME_CHARS: usize = 255;
/// Main keys that are not free-form: the play's name comes from the playbook, its tasks from
/// `tasks[]`, and hosts and gather_facts have fields of their own.
const RESERVED_MAIN_KEYS: [&str; 5] = ["name", "hosts", "gather_facts", "gatherFacts", "tasks"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PlaybookId(pub i64);

impl fmt::Display for PlaybookId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What a playbook is for (the frontend's filter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaybookKind {
    Machine,
    Other,
}

impl PlaybookKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PlaybookKind::Machine => "Machine",
            PlaybookKind::Other => "Other",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [PlaybookKind::Machine, PlaybookKind::Other]
            .into_iter()
            .find(|k| k.as_str() == raw)
    }
}

/// The outcome of a playbook's last run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    NotStart,
    Success,
    Fail,
}

impl RunStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::NotStart => "Not start",
            RunStatus::Success => "Success",
            RunStatus::Fail => "Fail",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [RunStatus::NotStart, RunStatus::Success, RunStatus::Fail]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

/// The play's main section: target hosts, whether to gather facts, and any other play
/// keywords as given, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaybookMain {
    pub hosts: String,
    pub gather_facts: bool,
    pub extra: Vec<(String, Value)>,
}

/// One task: its id within the playbook, whether it runs, and its YAML (one mapping).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub id: i64,
    pub enabled: bool,
    pub content: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Playbook {
    pub id: PlaybookId,
    pub name: String,
    pub kind: PlaybookKind,
    pub status: RunStatus,
    pub main: PlaybookMain,
    pub tasks: Vec<Task>,
    pub last_run_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A task as a request gives it; an id only on update, to keep it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskDraft {
    pub id: Option<i64>,
    pub enabled: bool,
    pub content: String,
}

/// The main section as a request gives it, before validation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MainDraft {
    pub hosts: Option<String>,
    pub gather_facts: Option<bool>,
    pub extra: Vec<(String, Value)>,
}

/// A task as a request sends it: id (kept on update), enabled, content; each may be missing.
pub type TaskInput = (Option<i64>, Option<bool>, Option<String>);

/// A validated create or update.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaybookDraft {
    pub name: String,
    pub kind: PlaybookKind,
    pub main: PlaybookMain,
    pub tasks: Vec<TaskDraft>,
}

fn invalid(message: impl Into<String>) -> CatalogError {
    CatalogError::PlaybookValidation(message.into())
}

/// A budget for one playbook with its main values already charged: they share it with
/// the tasks, so size cannot be moved from the tasks into them.
fn budget_after_main(extra: &[(String, Value)]) -> Result<PlaybookBudget, CatalogError> {
    let mut budget = PlaybookBudget::new();
    for (key, value) in extra {
        budget
            .charge_value(value)
            .map_err(|m| CatalogError::InvalidYaml(format!("main.{key}: {m}")))?;
    }
    Ok(budget)
}

fn parse_task_within(
    budget: &mut PlaybookBudget,
    number: usize,
    content: &str,
) -> Result<TaskMapping, CatalogError> {
    budget
        .parse_task(number, content)
        .map_err(|e| CatalogError::InvalidYaml(e.to_string()))
}

/// The one play, as every read renders it: a draft is rendered the same way before it
/// is accepted, so nothing stored can render past the cap.
fn render_play(
    name: &str,
    main: &PlaybookMain,
    enabled: &[TaskMapping],
) -> Result<String, CatalogError> {
    render_playbook(name, &main.hosts, main.gather_facts, &main.extra, enabled)
        .map_err(|e| CatalogError::InvalidYaml(e.to_string()))
}

impl PlaybookDraft {
    /// Parses a request. Missing or malformed fields are `PLAYBOOK_VALIDATION_ERROR`; a task
    /// whose content is not one YAML mapping is `INVALID_YAML_FORMAT` naming the task and line,
    /// and so is a playbook past a size limit (tasks and main values expanding to too many
    /// YAML nodes together, or a rendered play too large), naming the limit.
    pub fn parse(
        name: Option<String>,
        kind: Option<String>,
        main: Option<MainDraft>,
        tasks: Option<Vec<TaskInput>>,
    ) -> Result<Self, CatalogError> {
        let name = name
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty())
            .ok_or_else(|| invalid("name: is required"))?;
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(invalid(format!(
                "name: must be at most {MAX_NAME_CHARS} characters"
            )));
        }
        let kind = kind.ok_or_else(|| invalid("type: is required"))?;
        let kind = PlaybookKind::parse(&kind)
            .ok_or_else(|| invalid("type: must be one of: Machine, Other"))?;
        let main = main.ok_or_else(|| invalid("main: is required"))?;
        let hosts = main
            .hosts
            .map(|h| h.trim().to_owned())
            .filter(|h| !h.is_empty());
        let hosts = hosts.ok_or_else(|| invalid("main.hosts: is required"))?;
        if let Some((key, _)) = main
            .extra
            .iter()
            .find(|(k, _)| RESERVED_MAIN_KEYS.contains(&k.as_str()))
        {
            return Err(invalid(format!(
                "main.{key}: is not a free main key (name and tasks have fields of their own)"
            )));
        }
        let tasks = tasks.ok_or_else(|| invalid("tasks: is required"))?;
        let mut budget = budget_after_main(&main.extra)?;
        let mut enabled_tasks = Vec::new();
        let mut seen = BTreeSet::new();
        let mut drafts = Vec::with_capacity(tasks.len());
        for (index, (id, enabled, content)) in tasks.into_iter().enumerate() {
            let number = index + 1;
            let content =
                content.ok_or_else(|| invalid(format!("tasks[{index}].content: is required")))?;
            let mapping = parse_task_within(&mut budget, number, &content)?;
            if let Some(id) = id {
                if id < 1 {
                    return Err(invalid(format!(
                        "tasks[{index}].id: must be a positive integer"
                    )));
                }
                if !seen.insert(id) {
                    return Err(invalid(format!(
                        "tasks[{index}].id: task id {id} appears twice"
                    )));
                }
            }
            let enabled = enabled.unwrap_or(true);
            if enabled {
                enabled_tasks.push(mapping);
            }
            drafts.push(TaskDraft {
                id,
                enabled,
                content,
            });
        }
        let main = PlaybookMain {
            hosts,
            gather_facts: main.gather_facts.unwrap_or(false),
            extra: main.extra,
        };
        render_play(&name, &main, &enabled_tasks)?;
        Ok(Self {
            name,
            kind,
            main,
            tasks: drafts,
        })
    }
}

/// Gives every task an id: the ids a request sends are kept; new tasks are numbered from
/// `next` upwards, past every id in use. Returns the tasks and the next free id.
pub fn assign_task_ids(next: i64, drafts: &[TaskDraft]) -> (Vec<Task>, i64) {
    let highest_given = drafts.iter().filter_map(|t| t.id).max().unwrap_or(0);
    let mut next = next.max(highest_given + 1).max(1);
    let tasks = drafts
        .iter()
        .map(|t| {
            let id = t.id.unwrap_or_else(|| {
                next += 1;
                next - 1
            });
            Task {
                id,
                enabled: t.enabled,
                content: t.content.clone(),
            }
        })
        .collect();
    (tasks, next)
}

impl Playbook {
    /// The playbook as Ansible will run it: one play with the enabled tasks in order.
    pub fn render(&self) -> Result<String, CatalogError> {
        let mut budget = budget_after_main(&self.main.extra)?;
        let mut mappings = Vec::new();
        for (index, task) in self.tasks.iter().enumerate() {
            let mapping = parse_task_within(&mut budget, index + 1, &task.content)?;
            if task.enabled {
                mappings.push(mapping);
            }
        }
        render_play(&self.name, &self.main, &mappings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(id: Option<i64>) -> TaskDraft {
        TaskDraft {
            id,
            enabled: true,
            content: "debug:\n  msg: hi".into(),
        }
    }

    #[test]
    fn kept_ids_stay_and_new_ones_count_past_every_id() {
        let (tasks, next) =
            assign_task_ids(4, &[task(Some(1)), task(None), task(Some(9)), task(None)]);
        assert_eq!(
            tasks.iter().map(|t| t.id).collect::<Vec<_>>(),
            vec![1, 10, 9, 11]
        );
        assert_eq!(next, 12);
        let (tasks, next) = assign_task_ids(1, &[task(None), task(None)]);
        assert_eq!(
            (tasks.iter().map(|t| t.id).collect::<Vec<_>>(), next),
            (vec![1, 2], 3)
        );
    }

    #[test]
    fn requests_are_checked_field_by_field() {
        let main = || {
            Some(MainDraft {
                hosts: Some("all".into()),
                gather_facts: None,
                extra: Vec::new(),
            })
        };
        let ok = PlaybookDraft::parse(
            Some("p".into()),
            Some("Machine".into()),
            main(),
            Some(vec![(None, None, Some("debug: {msg: x}".into()))]),
        );
        assert_eq!(
            ok.map(|d| (d.main.gather_facts, d.tasks[0].enabled)),
            Ok((false, true))
        );
        let e = PlaybookDraft::parse(
            Some("p".into()),
            Some("Server".into()),
            main(),
            Some(vec![]),
        );
        assert!(matches!(e, Err(CatalogError::PlaybookValidation(m)) if m.starts_with("type")));
        let e = PlaybookDraft::parse(
            Some("p".into()),
            Some("Other".into()),
            Some(MainDraft::default()),
            Some(vec![]),
        );
        assert!(
            matches!(e, Err(CatalogError::PlaybookValidation(m)) if m.starts_with("main.hosts"))
        );
        let bad_yaml = Some(vec![(None, None, Some("- a\n- b".into()))]);
        let e = PlaybookDraft::parse(Some("p".into()), Some("Other".into()), main(), bad_yaml);
        assert!(
            matches!(&e, Err(CatalogError::InvalidYaml(m)) if m.contains("task 1")),
            "{e:?}"
        );
        let twice = Some(vec![
            (Some(1), None, Some("a: 1".into())),
            (Some(1), None, Some("b: 2".into())),
        ]);
        assert!(
            PlaybookDraft::parse(Some("p".into()), Some("Other".into()), main(), twice).is_err()
        );
    }
}
