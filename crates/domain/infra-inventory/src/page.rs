use crate::error::FieldError;
use crate::record::RecordKey;

/// A validated page request: `page` from 1, `per_page` from 1 to the area's maximum, or a
/// keyset page: the `per_page` records after the one whose id is `after`, in id order (what a
/// client walking a whole table wants: each page costs the same however deep it is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub per_page: u32,
    /// Only records whose id comes after this one; `page` is then 1.
    pub after: Option<RecordKey>,
}

impl PageRequest {
    /// This request as a keyset page after `after`; a page number past 1 cannot be combined
    /// with it (which rows would it skip?).
    pub fn after(self, after: Option<RecordKey>) -> Result<Self, FieldError> {
        if after.is_some() && self.page > 1 {
            return Err(FieldError::new(
                "after",
                "cannot be combined with page: the page after a record is page 1 of the rest",
            ));
        }
        Ok(Self { after, ..self })
    }

    /// Whether `key` is on this page's side of `after` (every key when there is none).
    pub fn admits(&self, key: RecordKey) -> bool {
        self.after.is_none_or(|after| key > after)
    }

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
        Ok(Self {
            page,
            per_page,
            after: None,
        })
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
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_bounds() {
        assert_eq!(
            PageRequest::parse(None, None, 100, 1000),
            Ok(PageRequest {
                page: 1,
                per_page: 100,
                after: None,
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
            after: None,
        };
        assert_eq!(
            (p.last_page(0), p.last_page(10), p.last_page(11)),
            (1, 1, 2)
        );
    }

    #[test]
    fn a_keyset_page_starts_after_its_key_and_only_on_page_one() {
        let first = PageRequest::parse(None, Some(10), 100, 1000).unwrap();
        let after = first.after(Some(RecordKey::Int(5))).unwrap();
        assert!(!after.admits(RecordKey::Int(5)) && after.admits(RecordKey::Int(6)));
        assert!(first.admits(RecordKey::Int(i64::MIN)));
        assert_eq!(after.offset(), 0);
        let third = PageRequest::parse(Some(3), Some(10), 100, 1000).unwrap();
        assert!(third.after(Some(RecordKey::Int(5))).is_err());
        assert_eq!(third.after(None), Ok(third));
    }
}
