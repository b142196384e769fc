//! Issue 8 at the catalogue's door: a small request that would make the server build a
//! huge inventory or playbook is refused on write with the error code the client
//! already handles and a message naming the limit, and big ordinary ones still pass.

use super::{
    CatalogError, InventoryDraft, MainDraft, Playbook, PlaybookDraft, PlaybookId, PlaybookKind,
    PlaybookMain, RunStatus, Task,
};
use ansible_syntax::{Mapping, Value};
use chrono::Utc;

/// 1,000 groups each holding `h[0:9999]`: the 17 KB body of the issue.
fn ini_group_fanout() -> String {
    (0..1_000).map(|g| format!("[g{g}]\nh[0:9999]\n")).collect()
}

/// 5,000 hosts in 20 groups with host, group and `all` variables, and a parent group.
fn big_ordinary_inventory() -> String {
    let mut s = String::new();
    for g in 0..20 {
        s.push_str(&format!("[g{g}]\n"));
        for h in (g..5_000).step_by(20) {
            s.push_str(&format!(
                "host{h:05} ansible_host=10.0.{}.{}\n",
                h / 256,
                h % 256
            ));
        }
        s.push_str(&format!("[g{g}:vars]\nrole=role{g}\n"));
    }
    s.push_str("[fleet:children]\n");
    s.extend((0..20).map(|g| format!("g{g}\n")));
    s + "[all:vars]\nansible_user=deploy\n"
}

/// The issue's task: 5 levels of 10 aliases, ~300 bytes, 111,111 nodes expanded.
fn anchor_fanout_task() -> String {
    let mut s =
        String::from("name: fan\ndebug:\n  msg:\n    l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
    for l in 1..5 {
        let items = vec![format!("*l{}", l - 1); 10].join(", ");
        s.push_str(&format!("    l{l}: &l{l} [{items}]\n"));
    }
    s
}

fn normal_task(i: usize) -> String {
    format!(
        "name: Install {i}\nansible.builtin.apt:\n  name: pkg{i}\n  state: present\nbecome: yes\n"
    )
}

fn inventory_error(config: String) -> String {
    match InventoryDraft::parse(Some("lab".into()), None, Some(config)) {
        Err(CatalogError::InvalidInventoryConfig(m)) => m,
        Ok(d) => panic!("accepted {} bytes", d.config.len()),
        Err(other) => panic!("want INVALID_INVENTORY_CONFIG, got {other:?}"),
    }
}

fn draft(extra: Vec<(String, Value)>, tasks: &[String]) -> Result<PlaybookDraft, CatalogError> {
    PlaybookDraft::parse(
        Some("p".into()),
        Some("Other".into()),
        Some(MainDraft {
            hosts: Some("all".into()),
            gather_facts: None,
            extra,
        }),
        Some(
            tasks
                .iter()
                .map(|t| (None, None, Some(t.clone())))
                .collect(),
        ),
    )
}

fn invalid_yaml(extra: Vec<(String, Value)>, tasks: &[String]) -> String {
    match draft(extra, tasks) {
        Err(CatalogError::InvalidYaml(m)) => m,
        Ok(d) => panic!("accepted {} tasks", d.tasks.len()),
        Err(other) => panic!("want INVALID_YAML_FORMAT, got {other:?}"),
    }
}

#[test]
fn the_issue_8_inventory_is_refused_naming_the_limit() {
    let config = ini_group_fanout();
    assert!(config.len() < 17_000);
    let m = inventory_error(config);
    assert!(m.contains("more than 200000 group memberships"), "{m}");
    let yaml: String = (0..1_000)
        .map(|g| format!("g{g}:\n  hosts:\n    h[0:9999]:\n"))
        .collect();
    let m = inventory_error(yaml);
    assert!(m.contains("more than 200000 group memberships"), "{m}");
}

#[test]
fn a_big_ordinary_inventory_is_accepted() {
    let config = big_ordinary_inventory();
    assert!(config.len() < 512 * 1024);
    let d = InventoryDraft::parse(Some("fleet".into()), None, Some(config));
    assert!(d.is_ok(), "{d:?}");
}

#[test]
fn the_issue_8_playbook_is_refused_naming_the_limit() {
    let m = invalid_yaml(Vec::new(), &vec![anchor_fanout_task(); 40]);
    assert!(m.contains("more than 200000 YAML nodes"), "{m}");
    assert!(m.starts_with("task 2, "), "{m}");
}

#[test]
fn main_values_and_tasks_share_one_budget() {
    let big = || Value::List(vec![Value::Int(1); 100_000]);
    // Alone, neither the main value nor the task is too much.
    assert!(draft(vec![("vars".into(), big())], &[normal_task(1)]).is_ok());
    assert!(draft(Vec::new(), &[anchor_fanout_task()]).is_ok());
    let m = invalid_yaml(vec![("vars".into(), big())], &[anchor_fanout_task()]);
    assert!(
        m.starts_with("task 1, ") && m.contains("more than 200000 YAML nodes"),
        "{m}"
    );
    let mut huge = Mapping::new();
    huge.insert("a".into(), big());
    huge.insert("b".into(), big());
    let m = invalid_yaml(vec![("vars".into(), Value::Map(huge))], &[normal_task(1)]);
    assert!(
        m.starts_with("main.vars: ") && m.contains("more than 200000 YAML nodes"),
        "{m}"
    );
}

#[test]
fn a_playbook_that_would_render_too_large_is_refused() {
    // Flow lists nested 100 deep: ~220 bytes each, ~10 KB each once rendered.
    let deep = format!(
        "name: deep\ndebug:\n  msg: {}x{}\n",
        "[".repeat(100),
        "]".repeat(100)
    );
    let m = invalid_yaml(Vec::new(), &vec![deep.clone(); 1_000]);
    assert_eq!(
        m,
        "the rendered playbook would be larger than 4194304 bytes"
    );
    // Disabled tasks are not rendered, so they do not count against the render size.
    let tasks: Vec<_> = (0..1_000)
        .map(|i| (None, Some(i < 10), Some(deep.clone())))
        .collect();
    let d = PlaybookDraft::parse(
        Some("p".into()),
        Some("Other".into()),
        Some(MainDraft {
            hosts: Some("all".into()),
            ..MainDraft::default()
        }),
        Some(tasks),
    );
    assert!(d.is_ok(), "{d:?}");
}

#[test]
fn a_normal_200_task_playbook_passes_and_renders() {
    let tasks: Vec<String> = (0..200).map(normal_task).collect();
    let d = draft(Vec::new(), &tasks).unwrap_or_else(|e| panic!("{e}"));
    let now = Utc::now();
    let playbook = Playbook {
        id: PlaybookId(1),
        name: d.name,
        kind: PlaybookKind::Other,
        status: RunStatus::NotStart,
        main: d.main,
        tasks: d
            .tasks
            .into_iter()
            .enumerate()
            .map(|(i, t)| Task {
                id: i64::try_from(i).unwrap_or(i64::MAX) + 1,
                enabled: t.enabled,
                content: t.content,
            })
            .collect(),
        last_run_at: None,
        created_at: now,
        updated_at: now,
    };
    let text = playbook.render().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(text.matches("ansible.builtin.apt:").count(), 200);
}

#[test]
fn a_stored_playbook_past_the_limits_does_not_render() {
    // Written before the limits existed: every read used to render 124 MB.
    let now = Utc::now();
    let playbook = Playbook {
        id: PlaybookId(1),
        name: "old".into(),
        kind: PlaybookKind::Other,
        status: RunStatus::NotStart,
        main: PlaybookMain {
            hosts: "all".into(),
            gather_facts: false,
            extra: Vec::new(),
        },
        tasks: (1..=40)
            .map(|id| Task {
                id,
                enabled: true,
                content: anchor_fanout_task(),
            })
            .collect(),
        last_run_at: None,
        created_at: now,
        updated_at: now,
    };
    match playbook.render() {
        Err(CatalogError::InvalidYaml(m)) => {
            assert!(m.contains("more than 200000 YAML nodes"), "{m}");
        }
        Ok(text) => panic!("rendered {} bytes", text.len()),
        Err(other) => panic!("{other:?}"),
    }
}
