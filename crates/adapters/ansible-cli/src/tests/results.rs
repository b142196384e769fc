//! What a finished run reports: exit code, host stats, output; extra vars as data.

use super::support::{Fixture, play};
use ansible_core::jobs::HostStats;

#[test]
fn a_successful_play_exits_0_with_its_recap() {
    let Some(fx) = Fixture::ansible(false) else {
        return;
    };
    let book = play("    - debug: { msg: hello from the hub }\n    - command: /bin/true\n");
    let (result, out) = fx.run(&fx.prepared(&book, "{}", fx.inventory("")));
    let result = result.expect("the run");
    let text = out.text();
    assert_eq!(result.exit_code, 0, "{text}");
    let stats = result
        .host_stats
        .get("localhost")
        .copied()
        .expect("localhost's stats");
    assert!(
        stats.ok >= 2 && stats.changed == 1 && stats.failed == 0,
        "{stats:?}"
    );
    assert!(text.contains("PLAY RECAP"), "{text}");
    assert!(text.contains("hello from the hub"), "{text}");
    // No colour codes: the output is stored and shown as plain text.
    assert!(!text.contains('\u{1b}'), "{text:?}");
}

#[test]
fn a_failing_task_exits_2_with_failed_1() {
    let Some(fx) = Fixture::ansible(false) else {
        return;
    };
    let book = play("    - debug: { msg: before }\n    - fail: { msg: on purpose }\n");
    let (result, out) = fx.run(&fx.prepared(&book, "{}", fx.inventory("")));
    let result = result.expect("a failed playbook is a result, not an error");
    assert_eq!(result.exit_code, 2, "{}", out.text());
    assert_eq!(
        result.host_stats.get("localhost"),
        Some(&HostStats {
            ok: 1,
            failed: 1,
            ..HostStats::default()
        })
    );
}

#[test]
fn a_task_that_does_not_apply_is_skipped() {
    let Some(fx) = Fixture::ansible(false) else {
        return;
    };
    let book =
        play("    - debug: { msg: never }\n      when: false\n    - debug: { msg: always }\n");
    let (result, out) = fx.run(&fx.prepared(&book, "{}", fx.inventory("")));
    let result = result.expect("the run");
    assert_eq!(result.exit_code, 0, "{}", out.text());
    let stats = result.host_stats.get("localhost").copied().expect("stats");
    assert_eq!((stats.ok, stats.skipped), (1, 1), "{stats:?}");
}

#[test]
fn extra_vars_arrive_as_literal_data() {
    let Some(fx) = Fixture::ansible(false) else {
        return;
    };
    let marker = fx.scratch.path().join("injected");
    let dest = fx.scratch.path().join("content.txt");
    let shell_like = format!("$(touch {})", marker.display());
    let quote_like = "'; rm -rf /'";
    // A template in a value stays text: were it templated, the lookup would run `touch`.
    let template_like = format!("{{{{ lookup('pipe', 'touch {}') }}}}", marker.display());
    let vars = serde_json::json!({
        "a": shell_like,
        "b": quote_like,
        "c": template_like,
        "n": 7,
        "f": 0.25,
        "dest": dest.display().to_string(),
    });
    let book = play(
        "    - copy: { content: \"{{ a }}|{{ b }}|{{ c }}|{{ n + 1 }}|{{ f * 4 }}\", dest: \"{{ dest }}\", mode: \"0600\" }\n    \
         - debug: { var: a }\n    - command: { argv: [echo, \"{{ a }}\", \"{{ b }}\", \"{{ c }}\"] }\n",
    );
    let (result, out) = fx.run(&fx.prepared(&book, &vars.to_string(), fx.inventory("")));
    let result = result.expect("the run");
    assert_eq!(result.exit_code, 0, "{}", out.text());
    let written = std::fs::read_to_string(&dest).expect("the copied file");
    assert_eq!(
        written,
        format!("{shell_like}|{quote_like}|{template_like}|8|1.0")
    );
    assert!(!marker.exists(), "a variable was run as a command");
    assert!(out.text().contains(&shell_like), "{}", out.text());
}

#[test]
fn a_playbook_ansible_cannot_parse_exits_non_zero_without_a_recap() {
    let Some(fx) = Fixture::ansible(false) else {
        return;
    };
    let (result, out) = fx.run(&fx.prepared("- hosts: all\n  tasks: [ {", "{}", fx.inventory("")));
    let result = result.expect("a result");
    assert_ne!(result.exit_code, 0, "{}", out.text());
    assert!(result.host_stats.is_empty());
    assert!(out.text().contains("ERROR"), "{}", out.text());
}
