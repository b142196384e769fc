//! `POST /api/playbooks/execute` as the domain reads it: which playbooks, on which
//! inventory, with which variables.

use super::error::JobError;
use super::extra_vars::ExtraVars;
use crate::catalog::{Inventory, InventoryId, Page, PlaybookId};
use ansible_syntax::Value;
use std::collections::BTreeSet;

/// The most playbooks one job runs; more is a mistake, or an attempt to tie up a worker.
pub const MAX_PLAYBOOKS_PER_JOB: usize = 50;

/// A valid execute request. Whether its ids exist is the catalogue's to say, at execute.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecuteRequest {
    /// One to [`MAX_PLAYBOOKS_PER_JOB`] playbooks, each once, in the order to run them.
    pub playbooks: Vec<PlaybookId>,
    /// `None`: the only inventory, if exactly one exists ([`only_inventory`]).
    pub inventory: Option<InventoryId>,
    pub extra_vars: ExtraVars,
}

impl ExecuteRequest {
    /// Parses a request, naming the field at fault. A playbook named twice is refused: the
    /// job's output is addressed by playbook id, so each may appear once.
    pub fn parse(
        playbook_ids: Option<Vec<i64>>,
        inventory_id: Option<i64>,
        extra_vars: Option<Value>,
    ) -> Result<Self, JobError> {
        let ids = playbook_ids.ok_or_else(|| JobError::field("playbookIds", "is required"))?;
        if ids.is_empty() {
            return Err(JobError::field(
                "playbookIds",
                "must name at least one playbook",
            ));
        }
        if ids.len() > MAX_PLAYBOOKS_PER_JOB {
            return Err(JobError::field(
                "playbookIds",
                format!("must name at most {MAX_PLAYBOOKS_PER_JOB} playbooks"),
            ));
        }
        let mut seen = BTreeSet::new();
        for (index, id) in ids.iter().enumerate() {
            if !seen.insert(*id) {
                return Err(JobError::field(
                    format!("playbookIds[{index}]"),
                    format!("playbook {id} appears twice"),
                ));
            }
        }
        Ok(Self {
            playbooks: ids.into_iter().map(PlaybookId).collect(),
            inventory: inventory_id.map(InventoryId),
            extra_vars: ExtraVars::parse(extra_vars)?,
        })
    }
}

/// How many inventories the catalogue holds, as far as choosing one goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inventories {
    None,
    One(InventoryId),
    Several,
}

impl Inventories {
    /// From the first page of a list of every inventory (two rows are enough to tell).
    pub fn from_page(page: &Page<Inventory>) -> Self {
        match (page.total, page.items.first()) {
            (1, Some(only)) => Inventories::One(only.id),
            (0, _) => Inventories::None,
            _ => Inventories::Several,
        }
    }
}

/// The inventory of a request that names none: the only one, else `INVENTORY_REQUIRED`,
/// since guessing among several (or running on none) would surprise the user.
pub fn only_inventory(existing: Inventories) -> Result<InventoryId, JobError> {
    match existing {
        Inventories::One(id) => Ok(id),
        Inventories::None | Inventories::Several => Err(JobError::InventoryRequired),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ansible_syntax::Mapping;

    fn field_of(e: Result<ExecuteRequest, JobError>) -> (String, String) {
        match e {
            Err(JobError::Validation { field, message }) => (field, message),
            other => panic!("want a validation error, got {other:?}"),
        }
    }

    #[test]
    fn a_request_keeps_order_and_variables() {
        let mut vars = Mapping::new();
        vars.insert("env".into(), Value::String("production".into()));
        let request = ExecuteRequest::parse(Some(vec![3, 1, 2]), Some(1), Some(Value::Map(vars)));
        let request = request.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            request.playbooks,
            vec![PlaybookId(3), PlaybookId(1), PlaybookId(2)]
        );
        assert_eq!(request.inventory, Some(InventoryId(1)));
        assert_eq!(request.extra_vars.to_json(), r#"{"env":"production"}"#);
        let bare = ExecuteRequest::parse(Some(vec![1]), None, None);
        assert_eq!(
            bare.map(|r| (r.inventory, r.extra_vars.as_mapping().is_empty())),
            Ok((None, true))
        );
    }

    #[test]
    fn playbook_ids_are_one_to_fifty_distinct() {
        assert_eq!(
            field_of(ExecuteRequest::parse(None, Some(1), None)),
            ("playbookIds".into(), "is required".into())
        );
        assert_eq!(
            field_of(ExecuteRequest::parse(Some(vec![]), Some(1), None)).0,
            "playbookIds"
        );
        let fifty: Vec<i64> = (1..=50).collect();
        assert!(ExecuteRequest::parse(Some(fifty), None, None).is_ok());
        let fifty_one: Vec<i64> = (1..=51).collect();
        assert_eq!(
            field_of(ExecuteRequest::parse(Some(fifty_one), None, None)),
            (
                "playbookIds".into(),
                "must name at most 50 playbooks".into()
            )
        );
        assert_eq!(
            field_of(ExecuteRequest::parse(Some(vec![1, 2, 1]), None, None)),
            ("playbookIds[2]".into(), "playbook 1 appears twice".into())
        );
    }

    #[test]
    fn extra_vars_must_be_an_object() {
        let e = ExecuteRequest::parse(Some(vec![1]), None, Some(Value::List(vec![])));
        assert_eq!(field_of(e).0, "extraVars");
        assert!(ExecuteRequest::parse(Some(vec![1]), None, Some(Value::Null)).is_ok());
    }

    #[test]
    fn no_inventory_named_takes_the_only_one_or_is_refused() {
        assert_eq!(
            only_inventory(Inventories::One(InventoryId(4))),
            Ok(InventoryId(4))
        );
        assert_eq!(
            only_inventory(Inventories::None),
            Err(JobError::InventoryRequired)
        );
        assert_eq!(
            only_inventory(Inventories::Several),
            Err(JobError::InventoryRequired)
        );
        let page = |total| Page::<Inventory> {
            items: Vec::new(),
            total,
        };
        assert_eq!(Inventories::from_page(&page(0)), Inventories::None);
        assert_eq!(Inventories::from_page(&page(3)), Inventories::Several);
        // A count of one without its row (a concurrent delete) cannot name the inventory.
        assert_eq!(Inventories::from_page(&page(1)), Inventories::Several);
    }
}
