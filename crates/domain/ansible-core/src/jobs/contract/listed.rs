//! The case list of [`jobs_contract_tests!`](crate::jobs_contract_tests) cannot drift from
//! the cases in this folder.

#[test]
fn every_case_is_listed_in_the_macro() {
    let cases = [
        include_str!("queue.rs"),
        include_str!("lease.rs"),
        include_str!("cancel.rs"),
        include_str!("output.rs"),
        include_str!("mod.rs"),
    ];
    hub_testkit::contract_cases::assert_all_listed(&cases, include_str!("mod.rs"), "JobStore>");
}

#[test]
fn every_file_of_cases_is_read() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/jobs/contract");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    assert_eq!(
        files,
        [
            "cancel.rs",
            "lease.rs",
            "listed.rs",
            "mod.rs",
            "output.rs",
            "queue.rs"
        ],
        "a new file of cases must join the reading above"
    );
}
