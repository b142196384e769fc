//! The syntax-check port: whether Ansible itself accepts a rendered playbook, without
//! running it. An I/O port like the playbook runner (synchronous, object-safe); the
//! adapter is `ansible-cli`'s `ansible-playbook --syntax-check`.

use std::fmt;

/// Why a rendered playbook was not proven good.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyntaxCheckError {
    /// Ansible read the playbook and refused it; the text is Ansible's reason.
    Rejected(String),
    /// There is no Ansible to ask (the program is not installed): nothing was proven
    /// either way. Callers decide whether a parsed and rendered playbook is enough.
    NotInstalled(String),
    /// Ansible could not give an answer (it timed out, or could not be started); nothing
    /// was proven either way.
    Failed(String),
}

impl fmt::Display for SyntaxCheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyntaxCheckError::Rejected(why) => write!(f, "ansible rejected the playbook: {why}"),
            SyntaxCheckError::NotInstalled(why) => write!(f, "ansible is not installed: {why}"),
            SyntaxCheckError::Failed(why) => write!(f, "the syntax check did not finish: {why}"),
        }
    }
}

impl std::error::Error for SyntaxCheckError {}

/// Checks one rendered playbook (the text [`super::Playbook::render`] writes).
pub trait PlaybookSyntaxCheck: Send + Sync {
    /// `Ok(())` when Ansible accepts the playbook. Errors:
    /// [`SyntaxCheckError::Rejected`] when it refuses it (with its reason);
    /// [`SyntaxCheckError::NotInstalled`] when there is no Ansible to ask;
    /// [`SyntaxCheckError::Failed`] when the check could not finish (bounded in time).
    fn check(&self, rendered_playbook: &str) -> Result<(), SyntaxCheckError>;
}
