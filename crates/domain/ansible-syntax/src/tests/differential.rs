//! Differential test: every corpus inventory goes through the real
//! `ansible-inventory -i FILE --list` (with `ANSIBLE_INVENTORY_UNPARSED_FAILED=1` and
//! `ANSIBLE_INVENTORY_ENABLED=ini,yaml`) and through `parse_inventory`; acceptance,
//! hosts, group structure, membership and every variable must agree.

use std::path::Path;
use std::process::Command;

use super::{ansible, corpus, json};
use crate::inventory::parse_inventory;

struct Outcome {
    name: String,
    ansible_accepted: bool,
    problems: Vec<String>,
}

fn check(bin: &Path, values_only: bool, name: &str, text: &str) -> Outcome {
    let outcome = |accepted, problems| Outcome {
        name: name.to_owned(),
        ansible_accepted: accepted,
        problems,
    };
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => return outcome(false, vec![format!("tempdir: {e}")]),
    };
    // No extension: both the ini and the yaml plugin consider the file.
    let file = dir.path().join("inventory");
    if let Err(e) = std::fs::write(&file, text) {
        return outcome(false, vec![format!("write: {e}")]);
    }
    let mut cmd = Command::new(bin);
    cmd.arg("-i").arg(&file).arg("--list");
    let run = ansible::run(cmd, dir.path());
    let ours = parse_inventory(text);
    let problems = match (run.success, ours) {
        (true, Ok(inv)) => match serde_json::from_str(&run.stdout) {
            Ok(listed) => json::compare(&inv, &listed, values_only),
            Err(e) => vec![format!("cannot read ansible output ({e}): {}", run.stdout)],
        },
        (false, Err(_)) => Vec::new(),
        (true, Err(e)) => vec![format!("ansible accepts it, we reject it: {e}")],
        (false, Ok(inv)) => vec![format!(
            "ansible rejects it, we accept it ({} hosts); ansible said: {}",
            inv.hosts().len(),
            run.stderr
                .trim()
                .lines()
                .rev()
                .take(4)
                .collect::<Vec<_>>()
                .join(" | ")
        )],
    };
    outcome(run.success, problems)
}

#[test]
fn differential_against_ansible_inventory() {
    let Some(bin) = ansible::require(
        "HUB_ANSIBLE_INVENTORY",
        "ansible-inventory",
        "differential_against_ansible_inventory",
    ) else {
        return;
    };
    let values_only = ansible::marks_trust_by_tags(&bin);
    let mut cases = corpus::hand_written();
    let hand = cases.len();
    cases.extend(corpus::generated());
    assert!(hand >= 30, "corpus too small: {hand}");

    let workers = 2;
    let chunks: Vec<Vec<(String, String)>> = (0..workers)
        .map(|w| cases.iter().skip(w).step_by(workers).cloned().collect())
        .collect();
    let outcomes: Vec<Outcome> = std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                s.spawn(|| {
                    chunk
                        .iter()
                        .map(|(n, t)| check(&bin, values_only, n, t))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });

    let accepted = outcomes.iter().filter(|o| o.ansible_accepted).count();
    let rejected = outcomes.len() - accepted;
    eprintln!(
        "differential: {} inventories ({hand} hand-written, {} generated): ansible accepted {accepted}, rejected {rejected}",
        outcomes.len(),
        outcomes.len() - hand
    );
    assert_eq!(outcomes.len(), cases.len(), "a worker thread panicked");
    let failures: Vec<String> = outcomes
        .iter()
        .filter(|o| !o.problems.is_empty())
        .map(|o| {
            let text = cases
                .iter()
                .find(|(n, _)| *n == o.name)
                .map(|(_, t)| t.as_str())
                .unwrap_or("");
            format!(
                "== {} ==\n{}\n-- text --\n{text}",
                o.name,
                o.problems.join("\n")
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} inventories disagree:\n{}",
        failures.len(),
        outcomes.len(),
        failures.join("\n\n")
    );
    assert!(
        accepted >= 40 && rejected >= 10,
        "corpus not varied enough: {accepted} accepted, {rejected} rejected"
    );
}
