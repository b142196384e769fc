//! Holds nothing but the run's closing line (`tests/skipped_tests.rs`), and the guard that
//! keeps it the last line: cargo runs a workspace's test binaries in the order of their
//! packages' names, so this package's name must sort after every other member's.

#[cfg(test)]
mod tests {
    /// The `name = "…"` of each member's manifest.
    fn member_names() -> Vec<String> {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        let workspace = std::fs::read_to_string(format!("{root}/Cargo.toml")).expect("manifest");
        let members = workspace
            .split_once("members = [")
            .and_then(|(_, rest)| rest.split_once(']'))
            .map(|(list, _)| list)
            .expect("a members list");
        members
            .split(',')
            .map(|m| m.trim().trim_matches('"'))
            .filter(|m| !m.is_empty())
            .map(|m| {
                let manifest =
                    std::fs::read_to_string(format!("{root}/{m}/Cargo.toml")).expect("member");
                manifest
                    .lines()
                    .find_map(|l| l.strip_prefix("name = \""))
                    .and_then(|rest| rest.strip_suffix('"'))
                    .expect("a package name")
                    .to_owned()
            })
            .collect()
    }

    #[test]
    fn this_package_sorts_after_every_other_member() {
        let names = member_names();
        assert!(names.len() > 5, "{names:?}");
        let last = names.iter().max().expect("members");
        assert_eq!(last, env!("CARGO_PKG_NAME"), "{names:?}");
    }
}
