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
