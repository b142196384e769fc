//! The differential corpus: hand-written edge cases under `tests/corpus/` plus seeded
//! random inventories.

use std::path::Path;

use super::generator::{random_ini, random_yaml};
use super::rng::Rng;

/// Random inventories per format.
pub(crate) const RANDOM_PER_FORMAT: u64 = 40;

/// `(name, text)` of every hand-written corpus file, sorted by name.
pub(crate) fn hand_written() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("corpus");
    let mut cases: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(e.path())
                .unwrap_or_else(|err| panic!("reading {name}: {err}"));
            (name, text)
        })
        .collect();
    cases.sort();
    cases
}

/// Seeded random inventories.
pub(crate) fn generated() -> Vec<(String, String)> {
    let mut cases = Vec::new();
    for seed in 0..RANDOM_PER_FORMAT {
        cases.push((
            format!("random-ini-{seed}"),
            random_ini(&mut Rng::new(seed)),
        ));
        cases.push((
            format!("random-yaml-{seed}"),
            random_yaml(&mut Rng::new(1000 + seed)),
        ));
    }
    cases
}

#[test]
fn corpus_files_never_panic_our_parser() {
    let cases = hand_written();
    assert!(
        cases.len() >= 30,
        "only {} hand-written corpus files",
        cases.len()
    );
    for (_, text) in cases.iter().chain(generated().iter()) {
        let _ = crate::inventory::parse_inventory(text);
    }
}
