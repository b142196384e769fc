//! The task parse error.

use std::fmt;

/// Why a task snippet was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaybookError {
    /// The task's 1-based number, as passed to [`super::parse_task`].
    pub task: usize,
    /// 1-based line inside the snippet, when there is one.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for PlaybookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "task {}, line {line}: {}", self.task, self.message),
            None => write!(f, "task {}: {}", self.task, self.message),
        }
    }
}

impl std::error::Error for PlaybookError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_task_and_line() {
        let e = PlaybookError {
            task: 2,
            line: Some(3),
            message: "bad".into(),
        };
        assert_eq!(e.to_string(), "task 2, line 3: bad");
        let e = PlaybookError {
            task: 1,
            line: None,
            message: "empty".into(),
        };
        assert_eq!(e.to_string(), "task 1: empty");
    }
}
