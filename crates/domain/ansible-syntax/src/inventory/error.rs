//! The inventory parse error.

use std::fmt;

/// Why an inventory could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryError {
    /// 1-based line the problem was found on, when there is one.
    pub line: Option<usize>,
    /// What is wrong (worded like Ansible's own message where there is one).
    pub message: String,
}

impl InventoryError {
    pub(crate) fn at(line: usize, message: impl Into<String>) -> Self {
        Self {
            line: Some(line),
            message: message.into(),
        }
    }

    pub(crate) fn general(message: impl Into<String>) -> Self {
        Self {
            line: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for InventoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for InventoryError {}

impl From<crate::yaml::YamlError> for InventoryError {
    fn from(e: crate::yaml::YamlError) -> Self {
        Self {
            line: e.line,
            message: e.message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_includes_line() {
        assert_eq!(InventoryError::at(3, "bad").to_string(), "line 3: bad");
        assert_eq!(InventoryError::general("bad").to_string(), "bad");
    }
}
