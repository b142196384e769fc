//! The query parameters a GET route accepts, and the refusal of every other one. A filter that
//! is misspelt (`?regoin=eu`) or that a list does not have (`?region=eu`) would otherwise be
//! ignored and the list would answer every record; a script acting on that answer would act on
//! everything. So each GET route takes exactly the query parameters its OpenAPI description
//! lists (plus, in the Ansible area, the other spelling its handlers also read), and any other
//! name is a 422 `VALIDATION_ERROR` naming it, in the area's error format.
//!
//! The route table ([`crate::routes::RouteTable::register`]) checks this once for every GET
//! route, before the handler runs, so no handler repeats it and none can forget it.

use super::area::Area;
use super::error::ApiError;
use super::list_query::ListQuery;

/// The other spellings the Ansible area's handlers read for a documented parameter
/// (DESIGN §3.3: requests are accepted in camelCase and in snake_case alike). A handler that
/// reads another spelling must add it here, or requests using it are refused.
const ANSIBLE_SPELLINGS: [(&str, &str); 3] = [
    ("per_page", "perPage"),
    ("playbookId", "playbook_id"),
    ("inventoryId", "inventory_id"),
];

/// The names one GET route accepts in its query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedQuery {
    /// The documented names, in the order the description lists them (for the message).
    documented: Vec<String>,
    /// The documented names and their other spellings.
    accepted: Vec<String>,
}

impl AcceptedQuery {
    /// The parameters of a route of `area` whose description lists `documented`.
    pub fn new(area: Area, documented: &[String]) -> Self {
        let mut accepted = documented.to_vec();
        if area == Area::Ansible {
            for (one, other) in ANSIBLE_SPELLINGS {
                if documented.iter().any(|name| name == one) {
                    accepted.push(other.to_owned());
                }
                if documented.iter().any(|name| name == other) {
                    accepted.push(one.to_owned());
                }
            }
        }
        Self {
            documented: documented.to_vec(),
            accepted,
        }
    }

    /// Every name this route accepts, its other spellings included.
    pub fn names(&self) -> &[String] {
        &self.accepted
    }

    /// `Ok` when every name in `query_string` is accepted; otherwise the validation error of
    /// the first that is not. A query string that does not decode, or holds NUL, is refused
    /// as the handler would refuse it.
    pub fn check(&self, query_string: &str) -> Result<(), ApiError> {
        let query = ListQuery::parse(query_string)?;
        let unknown = query
            .names()
            .find(|name| !self.accepted.iter().any(|known| known == name));
        match unknown {
            None => Ok(()),
            Some(name) => Err(ApiError::validation(self.message(name))),
        }
    }

    fn message(&self, name: &str) -> String {
        let shown = if name.is_empty() { "\"\"" } else { name };
        if self.documented.is_empty() {
            format!("{shown}: unknown query parameter; this path takes no query parameters")
        } else {
            format!(
                "{shown}: unknown query parameter; this path takes only {}",
                self.documented.join(", ")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn documented_names_pass_and_others_are_named() {
        let hosts = AcceptedQuery::new(Area::Infra, &names(&["page", "per_page", "status"]));
        assert_eq!(hosts.check(""), Ok(()));
        assert_eq!(hosts.check("page=2&per_page=3&status="), Ok(()));
        let error = hosts.check("page=1&region=eu").err();
        let message = error.map(|e| (e.code, e.message));
        assert_eq!(
            message,
            Some((
                crate::http::code::Code::ValidationError,
                "region: unknown query parameter; this path takes only page, per_page, status"
                    .to_owned()
            ))
        );
        // The infrastructure area has one spelling.
        assert!(hosts.check("perPage=3").is_err());
        assert!(hosts.check("foo").is_err());
        assert!(hosts.check("=1").is_err());
    }

    #[test]
    fn the_ansible_area_also_takes_the_other_spelling() {
        let jobs = AcceptedQuery::new(
            Area::Ansible,
            &names(&["status", "playbookId", "inventoryId", "page", "per_page"]),
        );
        for query in [
            "perPage=2",
            "playbook_id=1",
            "inventory_id=1",
            "playbookId=1",
        ] {
            assert_eq!(jobs.check(query), Ok(()), "{query}");
        }
        assert!(jobs.check("playbookid=1").is_err());
        assert!(jobs.check("search=x").is_err());
    }

    #[test]
    fn a_path_without_parameters_refuses_any() {
        let none = AcceptedQuery::new(Area::Ansible, &[]);
        assert_eq!(none.check(""), Ok(()));
        let error = none.check("page=1").err().map(|e| e.message);
        assert_eq!(
            error.as_deref(),
            Some("page: unknown query parameter; this path takes no query parameters")
        );
    }

    #[test]
    fn nul_is_refused_as_the_handlers_refuse_it() {
        let any = AcceptedQuery::new(Area::Infra, &names(&["search"]));
        let error = any.check("search=%00").err().map(|e| e.message);
        assert_eq!(
            error.as_deref(),
            Some("search: must not contain the NUL character")
        );
    }
}
