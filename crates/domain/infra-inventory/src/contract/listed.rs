//! The case list of [`inventory_contract_tests!`](crate::inventory_contract_tests) cannot
//! drift from the cases: a case that is written but not listed would never run on any
//! adapter, so this test fails the build's test run instead.
//!
//! A case is a `pub fn` of a file in `contract/` that is generic over an `InventoryStore`;
//! helpers are private or (fixtures) generic over single repositories.

use hub_testkit::contract_cases::{cases_in, listed_in};
use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn every_case_is_listed_in_the_macro() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/contract");
    let mut written = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("contract sources") {
        let path = entry.expect("contract source").path();
        if path.extension().is_some_and(|e| e == "rs") {
            let source = std::fs::read_to_string(&path).expect("readable source");
            written.extend(cases_in(&source, "InventoryStore>"));
        }
    }
    let listed: BTreeSet<String> = listed_in(include_str!("mod.rs")).into_iter().collect();
    let unlisted: Vec<_> = written.difference(&listed).collect();
    assert!(
        unlisted.is_empty(),
        "contract cases not listed in inventory_contract_tests!: {unlisted:?}"
    );
    // The macro's own expansion proves every listed name is a case; this proves the reading.
    assert_eq!(written, listed);
}

#[test]
fn the_reading_finds_multi_line_signatures_and_skips_helpers() {
    let source = "pub fn a_case<S: InventoryStore>(store: &S) {\n}\n\
                  pub fn long_case<S: InventoryStore>(\n    store: &S,\n) {\n}\n\
                  pub fn helper(x: u32) -> u32 {\n}\n\
                  fn private_case<S: InventoryStore>(store: &S) {\n}\n";
    assert_eq!(
        cases_in(source, "InventoryStore>"),
        vec!["a_case".to_owned(), "long_case".to_owned()]
    );
    assert_eq!(
        listed_in("(@cases $make;\n    a,\n    b,\n);"),
        vec!["a".to_owned(), "b".to_owned()]
    );
}
