//! Validated values: names, emails, free text, status vocabularies and amounts. Each parser
//! takes the wire name of the field so that its error names it.

use crate::error::FieldError;
use capacity_quota::{Amount, CpuPercentage};
use serde::{Deserialize, Serialize};
use std::fmt;
use validator::ValidateEmail;

/// Longest name, in characters.
pub const MAX_NAME_CHARS: usize = 255;
/// Longest description or other free text, in characters.
pub const MAX_TEXT_CHARS: usize = 4096;

/// A non-empty name of at most [`MAX_NAME_CHARS`] characters, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Name(String);

impl Name {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(FieldError::new(field, "must not be empty"));
        }
        if trimmed.chars().count() > MAX_NAME_CHARS {
            return Err(FieldError::new(
                field,
                format!("must be at most {MAX_NAME_CHARS} characters"),
            ));
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Optional free text (descriptions, locations); at most [`MAX_TEXT_CHARS`] characters.
pub fn parse_text(field: &str, raw: Option<String>) -> Result<Option<String>, FieldError> {
    match raw {
        Some(text) if text.chars().count() > MAX_TEXT_CHARS => Err(FieldError::new(
            field,
            format!("must be at most {MAX_TEXT_CHARS} characters"),
        )),
        other => Ok(other),
    }
}

/// Optional short text: like a name, but may be absent; blank counts as absent.
pub fn parse_optional_name(field: &str, raw: Option<String>) -> Result<Option<String>, FieldError> {
    match raw {
        Some(text) if !text.trim().is_empty() => Name::parse(field, &text).map(|n| Some(n.0)),
        _ => Ok(None),
    }
}

/// An email address, syntactically valid, kept as given (trimmed). Uniqueness among
/// maintainers ignores case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let trimmed = raw.trim();
        if trimmed.len() > 254 || !trimmed.validate_email() {
            return Err(FieldError::new(field, "must be a valid email address"));
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form compared for uniqueness.
    pub fn normalized(&self) -> String {
        self.0.to_lowercase()
    }
}

/// A non-negative amount of CPU cores, memory MB or storage GB.
pub fn parse_amount(field: &str, raw: i64) -> Result<Amount, FieldError> {
    Amount::new(raw).map_err(|e| FieldError::new(field, e))
}

/// A CPU share of a host group, 0 to 100.
pub fn parse_percentage(field: &str, raw: f64) -> Result<CpuPercentage, FieldError> {
    CpuPercentage::new(raw).map_err(|e| FieldError::new(field, e))
}

/// A closed vocabulary of lower-case words, serialized as the word.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $word:literal),+ $(,)? } default $default:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $word)] $variant),+
        }

        impl $name {
            pub const WORDS: &'static [&'static str] = &[$($word),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            /// Parses one of [`Self::WORDS`]; absent means the default.
            pub fn parse(field: &str, raw: Option<&str>) -> Result<Self, FieldError> {
                match raw {
                    None => Ok($name::$default),
                    $(Some($word) => Ok($name::$variant),)+
                    Some(_) => Err(FieldError::new(field, format!("must be one of: {}", Self::WORDS.join(", ")))),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary!(
    /// Status of maintainers, maintainer groups, host groups and tenants.
    ActiveStatus { Active => "active", Inactive => "inactive" } default Active
);
vocabulary!(
    /// Status of a bare-metal host.
    HostStatus { Running => "running", Maintenance => "maintenance", Offline => "offline", Decommissioned => "decommissioned" } default Running
);
vocabulary!(
    /// Status of a virtual machine.
    VmStatus { Creating => "creating", Running => "running", Stopped => "stopped", Error => "error", Deleting => "deleting" } default Creating
);
vocabulary!(
    /// Status of a k8s cluster.
    ClusterStatus { Active => "active", Maintenance => "maintenance", Inactive => "inactive" } default Active
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            Name::parse("name", "  Ops  ").map(|n| n.0),
            Ok("Ops".to_owned())
        );
        assert!(Name::parse("name", "   ").is_err());
        assert!(Name::parse("name", &"x".repeat(255)).is_ok());
        let long = Name::parse("name", &"é".repeat(256));
        assert_eq!(long.map_err(|e| e.field), Err("name".to_owned()));
    }

    #[test]
    fn emails_must_be_valid() {
        assert!(Email::parse("email", "john.doe@example.com").is_ok());
        assert!(Email::parse("email", "not-an-email").is_err());
        assert!(Email::parse("email", "a@").is_err());
        assert_eq!(
            Email::parse("email", "A@B.com").map(|e| e.normalized()),
            Ok("a@b.com".to_owned())
        );
    }

    #[test]
    fn vocabularies_default_and_refuse_unknown_words() {
        assert_eq!(HostStatus::parse("status", None), Ok(HostStatus::Running));
        assert_eq!(
            HostStatus::parse("status", Some("maintenance")),
            Ok(HostStatus::Maintenance)
        );
        let err = VmStatus::parse("status", Some("Running"));
        assert!(err.is_err_and(|e| e.message.contains("creating, running")));
    }
}
