//! The inventory formats a run accepts: the two the hub parses, and a broken one fails.

use super::support::{Fixture, play};

#[test]
fn a_yaml_inventory_runs_too() {
    let Some(fx) = Fixture::ansible(false) else {
        return;
    };
    // The INI line's host variables, as YAML.
    let ini = fx.inventory("");
    let vars: Vec<String> = ini
        .split_whitespace()
        .skip(1)
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| format!("          {k}: {v}\n"))
        .collect();
    let yaml = format!("all:\n  hosts:\n    localhost:\n{}", vars.concat());
    let (result, out) = fx.run(&fx.prepared(&play("    - ping:\n"), "{}", yaml));
    let result = result.expect("the run");
    assert_eq!(result.exit_code, 0, "{}", out.text());
    assert_eq!(result.host_stats.get("localhost").map(|s| s.ok), Some(1));
}

#[test]
fn an_inventory_ansible_cannot_parse_fails_the_run() {
    let Some(fx) = Fixture::ansible(false) else {
        return;
    };
    let broken = "[web\nlocalhost ansible_connection=local\n".to_owned();
    let (result, out) = fx.run(&fx.prepared(&play("    - ping:\n"), "{}", broken));
    let result = result.expect("a result");
    assert_ne!(result.exit_code, 0, "{}", out.text());
    assert!(result.host_stats.is_empty(), "{:?}", result.host_stats);
}
