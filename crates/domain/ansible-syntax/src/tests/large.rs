//! Big but legal inputs must stay fast (no quadratic corners a 512 KiB upload could hit).

use std::time::{Duration, Instant};

use crate::inventory::parse_inventory;

const LIMIT: Duration = Duration::from_secs(10);

fn timed(name: &str, text: &str) -> usize {
    let start = Instant::now();
    let hosts = parse_inventory(text)
        .map(|i| i.hosts().len())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let took = start.elapsed();
    assert!(
        took < LIMIT,
        "{name} took {took:?} for {} bytes",
        text.len()
    );
    hosts
}

#[test]
fn large_inventories_parse_in_bounded_time() {
    let mut yaml = String::from("g:\n  hosts:\n    h:\n  vars:\n");
    for i in 0..50_000 {
        yaml.push_str(&format!("    k{i}: {i}\n"));
    }
    assert_eq!(timed("50k group vars", &yaml), 1);

    let mut ini = String::new();
    for g in 0..6 {
        ini.push_str(&format!("[g{g}]\nh{g}x[00001:10000] a=1\n"));
    }
    assert_eq!(timed("60k hosts", &ini), 60_000);

    let dict: Vec<String> = (0..20_000).map(|i| format!("'k{i}': {i}")).collect();
    let ini = format!("[g]\nh\n[g:vars]\nbig={{{}}}\n", dict.join(", "));
    assert_eq!(timed("20k-entry literal dict", &ini), 1);

    let mut chain = String::new();
    for i in 0..2_000 {
        chain.push_str(&format!("[c{i}:children]\nc{}\n", i + 1));
    }
    chain.push_str("[c2000]\nleaf\n");
    assert_eq!(timed("2000-group chain", &chain), 1);

    let many: String = (0..20_000)
        .map(|i| format!("host{i} ansible_host=10.0.{}.{}\n", i / 256, i % 256))
        .collect();
    assert_eq!(timed("20k host lines", &many), 20_000);
}
