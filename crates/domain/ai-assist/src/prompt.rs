//! What the model is sent: the system prompt, what it may know of an inventory (group and
//! host names, never a variable's value), and as much of the conversation as fits.

use super::chat::{ChatMessage, ChatRole};
use super::model::{Author, Message};
use ansible_core::catalog::Inventory;
use ansible_syntax::inventory::parse_inventory;

/// `HUB_LLM_CONTEXT_CHARS` when unset: what the prompt may hold, in characters.
pub const DEFAULT_CONTEXT_CHARS: usize = 24_000;

/// The model's standing instructions. The fenced-YAML rule is what makes a suggestion
/// machine-readable; the yes/no rule is what the quick replies answer.
pub const SYSTEM_PROMPT: &str = "You are the assistant of control-hub, a private-cloud \
control hub that runs Ansible playbooks against inventories. Answer questions about Ansible, \
inventories and playbooks briefly and precisely, in the language the user writes in.\n\
When you propose a playbook, write it as exactly one fenced ```yaml block holding one play \
with `name`, `hosts`, `gather_facts` and `tasks`; use fully qualified module names \
(ansible.builtin.apt, ansible.builtin.service, ...) and only arguments those modules take. \
Do not put passwords or keys in a playbook: refer to variables instead.\n\
When you need the user's consent or a choice between two options, end with one question \
that can be answered with yes or no.";

/// An inventory as the model may see it: its name, and each group with its hosts' names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventorySummary {
    pub name: String,
    /// Group name, host names (direct members), child group names; `all` left out.
    pub groups: Vec<(String, Vec<String>, Vec<String>)>,
    /// The text could not be read as an inventory (nothing of it is shown then).
    pub unreadable: bool,
}

impl InventorySummary {
    /// Reads the inventory's groups and host names. Variables, connection settings and
    /// anything else of its text are left behind here, so they cannot reach the model.
    pub fn of(inventory: &Inventory) -> Self {
        let Ok(parsed) = parse_inventory(&inventory.config) else {
            return Self {
                name: inventory.name.clone(),
                groups: Vec::new(),
                unreadable: true,
            };
        };
        let groups = parsed
            .groups()
            .values()
            .filter(|g| g.name != "all")
            .filter(|g| !(g.hosts.is_empty() && g.children.is_empty()))
            .map(|g| {
                (
                    g.name.clone(),
                    g.hosts.iter().cloned().collect(),
                    g.children.iter().cloned().collect(),
                )
            })
            .collect();
        Self {
            name: inventory.name.clone(),
            groups,
            unreadable: false,
        }
    }

    /// The summary as the system prompt carries it.
    pub fn text(&self) -> String {
        let mut out = format!(
            "The user is working with the inventory {:?}. Its groups and host names \
             (variables are not shown to you):",
            self.name
        );
        if self.unreadable {
            out.push_str("\n(the inventory text could not be read)");
        }
        if self.groups.is_empty() && !self.unreadable {
            out.push_str("\n(no hosts)");
        }
        for (group, hosts, children) in &self.groups {
            out.push_str(&format!("\n- {group}: "));
            let mut parts = Vec::new();
            if !hosts.is_empty() {
                parts.push(hosts.join(", "));
            }
            if !children.is_empty() {
                parts.push(format!("child groups {}", children.join(", ")));
            }
            out.push_str(&parts.join("; "));
        }
        out
    }
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

fn as_chat(message: &Message) -> ChatMessage {
    let role = match message.author {
        Author::User => ChatRole::User,
        Author::Assistant => ChatRole::Assistant,
    };
    ChatMessage::new(role, message.text.clone())
}

/// The messages for the model: the system prompt (with the inventory summary), then the
/// newest turns of `history` that fit in `budget_chars` together with the system prompt and
/// the question, in their order, then the question. Turns are dropped whole, oldest first;
/// the system prompt and the question are always sent, even when they alone exceed the
/// budget (a question may be up to 32 KiB, and without it there is nothing to answer).
pub fn build_prompt(
    inventory: Option<&InventorySummary>,
    history: &[Message],
    question: &str,
    budget_chars: usize,
) -> Vec<ChatMessage> {
    let mut system = SYSTEM_PROMPT.to_owned();
    if let Some(summary) = inventory {
        system.push_str("\n\n");
        system.push_str(&summary.text());
    }
    let mut used = chars(&system) + chars(question);
    // History is stored a whole turn at a time (question, answer); a turn is what goes or
    // stays. Reading from the end keeps a stray odd message with the turn after it.
    let mut kept_from = history.len();
    let mut end = history.len();
    while end > 0 {
        let start = end.saturating_sub(2);
        let turn_chars: usize = history[start..end].iter().map(|m| chars(&m.text)).sum();
        if used + turn_chars > budget_chars {
            break;
        }
        used += turn_chars;
        kept_from = start;
        end = start;
    }
    let mut messages = Vec::with_capacity(history.len() - kept_from + 2);
    messages.push(ChatMessage::new(ChatRole::System, system));
    messages.extend(history[kept_from..].iter().map(as_chat));
    messages.push(ChatMessage::new(ChatRole::User, question));
    messages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MessageId;
    use ansible_core::catalog::{InventoryId, PowerStatus, SshStatus};
    use chrono::Utc;

    fn message(author: Author, text: &str) -> Message {
        Message {
            id: MessageId::generate(),
            author,
            text: text.to_owned(),
            created_at: Utc::now(),
        }
    }

    fn history(turns: usize, size: usize) -> Vec<Message> {
        (0..turns)
            .flat_map(|i| {
                [
                    message(Author::User, &format!("q{i}{}", "x".repeat(size))),
                    message(Author::Assistant, &format!("a{i}{}", "x".repeat(size))),
                ]
            })
            .collect()
    }

    #[test]
    fn everything_fits_in_order_with_the_system_prompt_first() {
        let sent = build_prompt(None, &history(2, 0), "now?", DEFAULT_CONTEXT_CHARS);
        let texts: Vec<_> = sent.iter().map(|m| m.content.as_str()).collect();
        assert_eq!(&texts[1..], ["q0", "a0", "q1", "a1", "now?"]);
        assert_eq!(sent[0].role, ChatRole::System);
        assert_eq!(sent[0].content, SYSTEM_PROMPT);
        assert_eq!(sent[1].role, ChatRole::User);
        assert_eq!(sent[2].role, ChatRole::Assistant);
    }

    #[test]
    fn the_oldest_turns_go_first_and_whole() {
        let base = chars(SYSTEM_PROMPT) + chars("now?");
        // Each turn is 2 × 1,002 characters; room for two and a half turns.
        let budget = base + 2 * 2004 + 1000;
        let sent = build_prompt(None, &history(5, 1000), "now?", budget);
        let firsts: Vec<_> = sent[1..]
            .iter()
            .map(|m| m.content.chars().take(2).collect::<String>())
            .collect();
        assert_eq!(firsts, ["q3", "a3", "q4", "a4", "no"]);
        let total: usize = sent.iter().map(|m| chars(&m.content)).sum();
        assert!(total <= budget);
        // Nothing fits: the system prompt and the question still go.
        let sent = build_prompt(None, &history(3, 10), "now?", 10);
        assert_eq!(sent.len(), 2);
    }

    #[test]
    fn the_inventory_summary_has_names_and_no_values() {
        let inventory = Inventory {
            id: InventoryId(1),
            name: "Lab".into(),
            group: "Default".into(),
            config: "[web]\nweb1 ansible_host=10.0.0.5 ansible_ssh_pass=hunter2\nweb2\n\
                     [db]\ndb1 ansible_password=s3cret\n[prod:children]\nweb\n[prod:vars]\n\
                     api_token=abc123\n"
                .into(),
            status: PowerStatus::Off,
            ssh_status: SshStatus::Unconnected,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            last_tested_at: None,
        };
        let summary = InventorySummary::of(&inventory);
        let sent = build_prompt(Some(&summary), &[], "hi", DEFAULT_CONTEXT_CHARS);
        let system = &sent[0].content;
        for name in [
            "Lab",
            "web1",
            "web2",
            "db1",
            "- web:",
            "- db:",
            "child groups web",
        ] {
            assert!(system.contains(name), "{name} missing from {system}");
        }
        for secret in ["hunter2", "s3cret", "abc123", "10.0.0.5", "ansible_"] {
            assert!(!system.contains(secret), "{secret} leaked into {system}");
        }
    }
}
