//! Playbook suggestions: fenced YAML in an answer, turned into the body of a new playbook
//! (`POST /api/playbooks`) and offered only once it is proven.
//!
//! The pipeline, each step a reason to decline: find the fenced blocks ([`fenced_blocks`]);
//! read one as a play or a task list and split it into one snippet per task
//! ([`playbook_from_yaml`]); validate it as the catalogue validates a create
//! ([`ansible_core::catalog::PlaybookDraft::parse`]) and render it as the catalogue renders
//! it; and ask Ansible (`--syntax-check`, through the port) whether it accepts the play.

mod fence;
mod playbook;
mod proof;

pub use fence::{MAX_BLOCKS, fenced_blocks};
pub use playbook::{DEFAULT_NAME, PlaybookSuggestion, playbook_from_yaml};
pub use proof::{Proven, Suggestion, prove, suggestions};
