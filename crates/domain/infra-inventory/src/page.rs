use crate::error::FieldError;

/// A validated page request: `page` from 1, `per_page` from 1 to the area's maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
}

impl PageRequest {
    /// Checks `page` (default 1) and `per_page` (default `default`, at most `max`).
    pub fn parse(
        page: Option<i64>,
        per_page: Option<i64>,
        default: u32,
        max: u32,
    ) -> Result<Self, FieldError> {
        let page = match page {
            None => 1,
            Some(p) if (1..=i64::from(u32::MAX)).contains(&p) => p as u32,
            Some(_) => return Err(FieldError::new("page", "must be an integer of at least 1")),
        };
        let per_page = match per_page {
            None => default,
            Some(n) if (1..=i64::from(max)).contains(&n) => n as u32,
            Some(_) => {
                return Err(FieldError::new(
                    "per_page",
                    format!("must be an integer from 1 to {max}"),
                ));
            }
        };
        Ok(Self { page, per_page })
    }

    pub fn offset(&self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.per_page)
    }

    pub fn limit(&self) -> u64 {
        u64::from(self.per_page)
    }

    /// How many pages `total` rows fill (at least 1, so an empty list has one empty page).
    pub fn last_page(&self, total: u64) -> u64 {
        total.div_ceil(u64::from(self.per_page)).max(1)
    }
}

/// One page of a list and the number of rows that match the filter in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}

impl<T> Page<T> {
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_bounds() {
        assert_eq!(
            PageRequest::parse(None, None, 100, 1000),
            Ok(PageRequest {
                page: 1,
                per_page: 100
            })
        );
        assert_eq!(
            PageRequest::parse(Some(3), Some(10), 100, 1000).map(|p| p.offset()),
            Ok(20)
        );
        assert_eq!(
            PageRequest::parse(Some(0), None, 100, 1000).map_err(|e| e.field),
            Err("page".to_owned())
        );
        assert_eq!(
            PageRequest::parse(None, Some(1001), 100, 1000).map_err(|e| e.field),
            Err("per_page".to_owned())
        );
        assert_eq!(
            PageRequest::parse(None, Some(0), 100, 1000).map_err(|e| e.field),
            Err("per_page".to_owned())
        );
    }

    #[test]
    fn last_page_is_at_least_one() {
        let p = PageRequest {
            page: 1,
            per_page: 10,
        };
        assert_eq!(
            (p.last_page(0), p.last_page(10), p.last_page(11)),
            (1, 1, 2)
        );
    }
}
