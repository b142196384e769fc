//! docs/operations.md's settings table against `control-hub --help`: the same variables with
//! the same defaults, so neither can change without the other.

use std::collections::BTreeMap;

/// `HUB_…` → default (`None`: unset) from the help text, one option per line in clap's form
/// `… [env: HUB_X=] [default: v]`.
fn from_help() -> BTreeMap<String, Option<String>> {
    // A clean environment: clap shows an env variable's current value in the help.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_control-hub"))
        .arg("--help")
        .env_clear()
        .output()
        .expect("control-hub --help runs");
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    let mut settings = BTreeMap::new();
    for line in help.lines() {
        let Some((_, env)) = line.split_once("[env: ") else {
            continue;
        };
        let name: String = env
            .chars()
            .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
            .collect();
        let default = line
            .split_once("[default: ")
            .and_then(|(_, d)| d.split_once(']'))
            .map(|(d, _)| d.to_owned());
        settings.insert(name, default);
    }
    settings
}

fn from_doc() -> BTreeMap<String, Option<String>> {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/operations.md"
    ))
    .unwrap();
    let table = doc.split("## Settings").nth(1).expect("a Settings section");
    table
        .lines()
        .filter(|l| l.starts_with("| `HUB_"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let name = cells[1].trim_matches('`').to_owned();
            let default = (cells[2] != "unset").then(|| cells[2].trim_matches('`').to_owned());
            (name, default)
        })
        .collect()
}

#[test]
fn the_settings_table_matches_the_help() {
    let (help, doc) = (from_help(), from_doc());
    assert!(help.len() > 20, "{help:?}");
    assert_eq!(
        doc, help,
        "docs/operations.md's settings table is not --help's"
    );
}
