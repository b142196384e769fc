//! Issue 8: no single text may make the parsers stall or bloat. Each heavy input must
//! be refused with a message naming the cap it passed, and big ordinary inputs (and
//! ones just under the caps) must still be accepted. How long each takes is measured by
//! `examples/bounds.rs` in a release build, not asserted here.

use super::heavy_inputs as h;
use crate::inventory::{
    InventoryError, MAX_HOSTS, MAX_MEMBERSHIPS, MAX_RANGE_BYTES, parse_inventory,
};
use crate::playbook::{MAX_RENDERED_BYTES, PlaybookBudget, TaskMapping, render_playbook};

fn refused(text: &str) -> InventoryError {
    match parse_inventory(text) {
        Ok(inv) => panic!(
            "accepted {} bytes: {} hosts, {} groups",
            text.len(),
            inv.hosts().len(),
            inv.groups().len()
        ),
        Err(e) => e,
    }
}

/// `None` when the text is refused naming `cap`, else what happened instead.
fn refusal_mismatch(name: &str, text: &str, cap: &str) -> Option<String> {
    match parse_inventory(text) {
        Err(e) if e.message.contains(cap) => None,
        Err(e) => Some(format!("{name}: want {cap:?}, got: {e}")),
        Ok(inv) => Some(format!("{name}: accepted with {} hosts", inv.hosts().len())),
    }
}

#[test]
fn issue_8_group_fanout_is_refused_naming_the_cap() {
    let ini = h::ini_group_fanout(1_000);
    assert!(ini.len() < 17_000, "{}", ini.len());
    let e = refused(&ini);
    assert!(
        e.message.contains("more than 200000 group memberships"),
        "{e}"
    );
    // Refused while the 21st group is read, not after all 1,000 were built.
    assert_eq!(e.line, Some(42), "{e}");
}

#[test]
fn issue_8_group_fanout_as_yaml_is_refused_naming_the_cap() {
    let e = refused(&h::yaml_group_fanout(1_000));
    assert!(
        e.message.contains("more than 200000 group memberships"),
        "{e}"
    );
    assert!(e.line.is_some_and(|l| l < 100), "{e}");
}

#[test]
fn what_else_a_small_text_multiplies_is_refused_naming_its_cap() {
    let cases = [
        (
            "relisting a range",
            h::ini_relisting(60),
            "more than 500000 host entries".to_owned(),
        ),
        (
            "hosts under a chain",
            h::ini_deep_chain(300, 1),
            "more than 200000 group memberships".to_owned(),
        ),
        (
            "inherited variables",
            h::ini_inherited_vars(2_000, 1),
            "more than 1000000 variables over all hosts".to_owned(),
        ),
        (
            "a dict on every host of a range",
            h::ini_big_host_values(1, 100),
            "more than 500000 variable assignments".to_owned(),
        ),
        (
            "an aliased list on every host of a range",
            h::yaml_aliased_host_vars(100),
            "more than 500000 variable assignments".to_owned(),
        ),
        (
            "a long group name kept by every host",
            h::ini_long_group_name(700),
            "more than 67108864 bytes".to_owned(),
        ),
        (
            "a long name in a range",
            h::ini_long_host_name(200),
            format!("more than {MAX_RANGE_BYTES} bytes of host names"),
        ),
        (
            "links under a long chain",
            h::ini_loop_check_walks(1_000, 2_000),
            "more than 500000 steps through the group hierarchy".to_owned(),
        ),
        (
            "an aliased long string",
            h::yaml_string_aliases(40_000, 500),
            "more than 16777216 bytes of YAML scalars".to_owned(),
        ),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|(name, text, cap)| refusal_mismatch(name, text, cap))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_membership_heavy_inventory_just_under_the_caps_is_accepted() {
    // 10,000 hosts in each of 20 groups: exactly the membership cap.
    let groups = MAX_MEMBERSHIPS / 10_000;
    let text = h::ini_group_fanout(groups);
    let inv = parse_inventory(&text).unwrap_or_else(|e| panic!("{e}"));
    let memberships: usize = inv.hosts().values().map(|h| h.groups.len() - 1).sum();
    assert_eq!(memberships, MAX_MEMBERSHIPS);
    // One more membership is one too many.
    let e = refused(&format!("{text}[extra]\nh0\n"));
    assert!(e.message.contains("group memberships"), "{e}");
}

#[test]
fn an_inventory_near_every_cap_at_once_is_accepted() {
    let inv = parse_inventory(&h::near_every_cap()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(inv.hosts().len(), MAX_HOSTS);
    let memberships: usize = inv.hosts().values().map(|h| h.groups.len() - 1).sum();
    assert_eq!(memberships, MAX_MEMBERSHIPS);
    let vars: usize = inv.hosts().values().map(|h| h.vars.len()).sum();
    assert_eq!(vars, 9 * MAX_HOSTS);
}

#[test]
fn the_most_hosts_and_a_big_ordinary_inventory_are_accepted() {
    let inv = parse_inventory(&h::ini_most_hosts()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(inv.hosts().len(), MAX_HOSTS);

    let text = h::legit_inventory(5_000, 20);
    assert!(text.len() < 512 * 1024, "{}", text.len());
    let inv = parse_inventory(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(inv.hosts().len(), 5_000);
    let host = inv.host("host04321").unwrap_or_else(|| panic!("host04321"));
    assert!(host.groups.contains("g1") && host.groups.contains("fleet"));
    assert_eq!(
        host.vars.get("role").and_then(|v| v.as_str()),
        Some("role1")
    );
    assert_eq!(
        host.vars.get("ansible_user").and_then(|v| v.as_str()),
        Some("deploy")
    );
}

/// What the catalogue does with a playbook: all tasks against one budget, then render.
fn parse_playbook(tasks: &[String]) -> Result<String, String> {
    let mut budget = PlaybookBudget::new();
    let mappings = tasks
        .iter()
        .enumerate()
        .map(|(i, t)| budget.parse_task(i + 1, t))
        .collect::<Result<Vec<TaskMapping>, _>>()
        .map_err(|e| e.to_string())?;
    render_playbook("p", "all", false, &[], &mappings).map_err(|e| e.to_string())
}

fn refused_playbook(tasks: &[String]) -> String {
    match parse_playbook(tasks) {
        Ok(text) => panic!("accepted, renders {} bytes", text.len()),
        Err(e) => e,
    }
}

#[test]
fn issue_8_anchor_fanout_playbook_is_refused_naming_the_cap() {
    let task = h::anchor_fanout_task();
    // One such task is a document's worth and still fits, rendered within the cap.
    let one = parse_playbook(std::slice::from_ref(&task)).unwrap_or_else(|e| panic!("{e}"));
    assert!(one.len() <= MAX_RENDERED_BYTES);
    let e = refused_playbook(&vec![task; 40]);
    assert!(
        e.starts_with("task 2, line 8: playbook (all its tasks and main values together) expands to more than 200000 YAML nodes"),
        "{e}"
    );
}

#[test]
fn deep_nesting_cannot_render_past_the_cap() {
    // A few hundred bytes of flow lists each, under the node budget together.
    let tasks = vec![h::deep_nesting_task(100); 1_000];
    let e = refused_playbook(&tasks);
    assert_eq!(
        e,
        format!("the rendered playbook would be larger than {MAX_RENDERED_BYTES} bytes")
    );
}

#[test]
fn a_normal_200_task_playbook_passes() {
    let tasks: Vec<String> = (0..200).map(h::normal_task).collect();
    let text = parse_playbook(&tasks).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(text.matches("ansible.builtin.apt:").count(), 200);
}
