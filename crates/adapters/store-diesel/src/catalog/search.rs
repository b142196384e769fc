//! Case-insensitive name search without ILIKE (which SQLite lacks): `name_folded LIKE
//! pattern`, both folded by [`super::fold::fold`], with `%` and `_` in the search escaped, so
//! they match themselves.

/// The LIKE pattern of a substring search, escaped with `\`.
pub(crate) fn contains_pattern(search: &str) -> String {
    let mut pattern = String::with_capacity(search.len() + 2);
    pattern.push('%');
    for c in super::fold::fold(search).chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    #[test]
    fn wildcards_are_escaped() {
        assert_eq!(super::contains_pattern("A%b_c\\"), "%a\\%b\\_c\\\\%");
    }
}
