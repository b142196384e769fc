/// A validated page request: `page` from 1, `per_page` from 1 to the area's maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
}

impl PageRequest {
    pub fn offset(&self) -> u64 {
        u64::from(self.page.saturating_sub(1)) * u64::from(self.per_page)
    }

    pub fn limit(&self) -> u64 {
        u64::from(self.per_page)
    }

    /// How many pages `total` rows fill; zero rows fill zero pages, as the seed's
    /// `total_pages` counts them.
    pub fn total_pages(&self, total: u64) -> u64 {
        total.div_ceil(u64::from(self.per_page.max(1)))
    }
}

/// One page of a list and the number of rows that match in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}

/// Whether `name` contains `search`, ignoring case (the list filter of both kinds).
#[cfg_attr(not(feature = "memory"), allow(dead_code))]
pub fn name_matches(name: &str, search: Option<&str>) -> bool {
    search.is_none_or(|s| name.to_lowercase().contains(&s.to_lowercase()))
}
