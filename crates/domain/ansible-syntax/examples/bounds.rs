//! Times the parsers on one heavy input: `cargo run --release -p ansible-syntax
//! --example bounds -- CASE` (no CASE lists them). Run it under `/usr/bin/time -v` for
//! the peak memory of that one input.

use std::time::Instant;

use ansible_syntax::inventory::parse_inventory;
use ansible_syntax::playbook::{PlaybookBudget, render_playbook};

#[path = "../src/tests/heavy_inputs.rs"]
#[allow(dead_code)]
mod heavy_inputs;

use heavy_inputs as h;

fn inventory(text: &str) {
    let start = Instant::now();
    let outcome = match parse_inventory(text) {
        Ok(inv) => format!(
            "accepted: {} hosts, {} groups",
            inv.hosts().len(),
            inv.groups().len()
        ),
        Err(e) => format!("refused: {e}"),
    };
    eprintln!("{} bytes in, {outcome}, {:?}", text.len(), start.elapsed());
}

/// What the catalogue does with a playbook on write and on every read: all tasks
/// against one budget, then the render.
fn playbook(tasks: &[String]) {
    let start = Instant::now();
    let mut budget = PlaybookBudget::new();
    let parsed: Result<Vec<_>, _> = tasks
        .iter()
        .enumerate()
        .map(|(i, t)| budget.parse_task(i + 1, t))
        .collect();
    let bytes: usize = tasks.iter().map(String::len).sum();
    let outcome = match parsed.map(|m| render_playbook("p", "all", false, &[], &m)) {
        Ok(Ok(text)) => format!("accepted, renders {} bytes", text.len()),
        Ok(Err(e)) => format!("refused: {e}"),
        Err(e) => format!("refused: {e}"),
    };
    eprintln!("{bytes} bytes in, {outcome}, {:?}", start.elapsed());
}

/// Each case and what it runs; attacks are the and the other multipliers the
/// caps answer, the rest big inputs that must still be accepted.
const CASES: &[(&str, fn())] = &[
    ("ini-groups", || inventory(&h::ini_group_fanout(1_000))),
    ("yaml-groups", || inventory(&h::yaml_group_fanout(1_000))),
    ("ini-relisting", || inventory(&h::ini_relisting(20_000))),
    ("ini-chain", || inventory(&h::ini_deep_chain(2_000, 100))),
    ("ini-inherited-vars", || {
        inventory(&h::ini_inherited_vars(20_000, 100));
    }),
    ("ini-big-values", || {
        inventory(&h::ini_big_host_values(10, 1_000))
    }),
    ("ini-long-group", || {
        inventory(&h::ini_long_group_name(400_000))
    }),
    ("ini-long-host", || {
        inventory(&h::ini_long_host_name(400_000))
    }),
    ("yaml-aliased-vars", || {
        inventory(&h::yaml_aliased_host_vars(20_000))
    }),
    ("ini-loop-walks", || {
        inventory(&h::ini_loop_check_walks(10_000, 10_000));
    }),
    ("yaml-string-aliases", || {
        inventory(&h::yaml_string_aliases(400_000, 20_000));
    }),
    ("task-string-aliases", || {
        playbook(&[h::yaml_string_aliases(400_000, 20_000)]);
    }),
    ("playbook-fanout", || {
        playbook(&vec![h::anchor_fanout_task(); 40])
    }),
    ("playbook-deep", || {
        playbook(&vec![h::deep_nesting_task(100); 1_000])
    }),
    ("just-under-memberships", || {
        inventory(&h::ini_group_fanout(20))
    }),
    ("legit-5000", || inventory(&h::legit_inventory(5_000, 20))),
    ("legit-10000", || inventory(&h::legit_inventory(10_000, 20))),
    ("most-hosts", || inventory(&h::ini_most_hosts())),
    ("near-every-cap", || inventory(&h::near_every_cap())),
    ("playbook-200", || {
        playbook(&(0..200).map(h::normal_task).collect::<Vec<_>>());
    }),
];

fn main() {
    let case = std::env::args().nth(1).unwrap_or_default();
    match CASES.iter().find(|(name, _)| *name == case) {
        Some((_, run)) => run(),
        None => {
            let names: Vec<&str> = CASES.iter().map(|(name, _)| *name).collect();
            eprintln!("cases: {}", names.join(" "));
        }
    }
}
