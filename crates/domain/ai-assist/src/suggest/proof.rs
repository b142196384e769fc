//! The proof a suggestion must pass before it is offered.

use super::fence::fenced_blocks;
use super::playbook::{PlaybookSuggestion, playbook_from_yaml};
use ansible_core::catalog::{MainDraft, PlaybookDraft, PlaybookSyntaxCheck, SyntaxCheckError};
use ansible_syntax::playbook::{parse_task, render_playbook};

/// A suggested action: create this playbook.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub label: String,
    pub playbook: PlaybookSuggestion,
    /// Whether Ansible's syntax check passed it; `false` only where no Ansible is installed
    /// (it then parsed and rendered, and nothing more was proven).
    pub syntax_checked: bool,
}

/// How far a suggestion was proven.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Proven {
    /// Parsed, rendered, and passed `ansible-playbook --syntax-check`.
    SyntaxChecked,
    /// Parsed and rendered; there is no Ansible here to check it.
    RenderedOnly,
}

/// The playbook exactly as the catalogue would validate and render it after a create.
fn rendered(s: &PlaybookSuggestion) -> Result<String, String> {
    let tasks = s
        .tasks
        .iter()
        .map(|t| (None, Some(true), Some(t.clone())))
        .collect();
    let main = MainDraft {
        hosts: Some(s.hosts.clone()),
        gather_facts: Some(s.gather_facts),
        extra: s.extra.clone(),
    };
    let draft = PlaybookDraft::parse(
        Some(s.name.clone()),
        Some("Machine".to_owned()),
        Some(main),
        Some(tasks),
    )
    .map_err(|e| format!("the playbook would not be accepted: {e}"))?;
    let mappings = draft
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| parse_task(i + 1, &t.content))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("a task does not parse: {e}"))?;
    render_playbook(
        &draft.name,
        &draft.main.hosts,
        draft.main.gather_facts,
        &draft.main.extra,
        &mappings,
    )
    .map_err(|e| format!("the playbook does not render: {e}"))
}

/// Validates and renders the suggestion, then asks Ansible. Errors: why it must not be
/// offered (invalid as a playbook, refused by Ansible, or a check that did not finish).
pub fn prove(s: &PlaybookSuggestion, check: &dyn PlaybookSyntaxCheck) -> Result<Proven, String> {
    let text = rendered(s)?;
    match check.check(&text) {
        Ok(()) => Ok(Proven::SyntaxChecked),
        Err(SyntaxCheckError::NotInstalled(_)) => Ok(Proven::RenderedOnly),
        Err(e) => Err(e.to_string()),
    }
}

/// The suggestions an answer offers, and why each other block was declined.
pub fn suggestions(
    answer: &str,
    check: &dyn PlaybookSyntaxCheck,
) -> (Vec<Suggestion>, Vec<String>) {
    let mut offered = Vec::new();
    let mut declined = Vec::new();
    for (index, block) in fenced_blocks(answer).iter().enumerate() {
        let proven = playbook_from_yaml(block).and_then(|s| prove(&s, check).map(|p| (s, p)));
        match proven {
            Ok((playbook, proven)) => offered.push(Suggestion {
                label: format!("建立 Playbook: {}", playbook.name),
                playbook,
                syntax_checked: proven == Proven::SyntaxChecked,
            }),
            Err(reason) => declined.push(format!("block {}: {reason}", index + 1)),
        }
    }
    (offered, declined)
}
