//! Reading a contract suite's sources, so that a test can fail while a written case is missing
//! from the macro that runs the suite on every adapter. A case is a `pub fn` whose signature
//! names the suite's store trait; the macro lists its cases after `@cases $make;`.

/// The public functions of `source` whose signature names `store_trait`.
pub fn cases_in(source: &str, store_trait: &str) -> Vec<String> {
    let mut cases = Vec::new();
    let mut lines = source.lines();
    while let Some(line) = lines.next() {
        let Some(rest) = line.strip_prefix("pub fn ") else {
            continue;
        };
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let mut signature = line.to_owned();
        while !signature.contains('{') {
            match lines.next() {
                Some(more) => signature.push_str(more),
                None => break,
            }
        }
        if signature.contains(store_trait) {
            cases.push(name);
        }
    }
    cases
}

/// The case names the macro in `source` lists after `@cases $make;`.
pub fn listed_in(source: &str) -> Vec<String> {
    let start = source
        .find("@cases $make;")
        .expect("the macro lists its cases after `@cases $make;`");
    let list = &source[start + "@cases $make;".len()..];
    let end = list.find(");").expect("the case list ends with `);`");
    list[..end]
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Fails unless the cases written in `sources` are exactly those `macro_source` lists.
pub fn assert_all_listed(sources: &[&str], macro_source: &str, store_trait: &str) {
    let mut written: Vec<String> = sources
        .iter()
        .flat_map(|s| cases_in(s, store_trait))
        .collect();
    let mut listed = listed_in(macro_source);
    written.sort();
    listed.sort();
    // The macro's own expansion proves every listed name is a case; this proves the
    // converse, and that the reading found them all.
    assert_eq!(written, listed, "cases written (left) and listed (right)");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reading_finds_multi_line_signatures_and_skips_helpers() {
        let source = "pub fn a_case<S: CatalogStore>(store: &S) {\n}\n\
                      pub fn long_case<S: CatalogStore>(\n    store: &S,\n) {\n}\n\
                      pub fn inventory(name: &str) -> InventoryDraft {\n}\n\
                      fn private_case<S: CatalogStore>(store: &S) {\n}\n";
        assert_eq!(
            cases_in(source, "CatalogStore>"),
            vec!["a_case".to_owned(), "long_case".to_owned()]
        );
        let listing = "$crate::m!(@cases $make;\n a, b ,\n c,\n);";
        assert_eq!(listed_in(listing), vec!["a", "b", "c"]);
    }
}
