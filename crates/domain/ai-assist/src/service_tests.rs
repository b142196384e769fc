#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use super::*;
use crate::chat::{ChatError, ChatMessage, ChatRole, MockChatModel};
use crate::memory::MemoryConversations;
use ansible_core::catalog::memory::MemoryCatalog;
use ansible_core::catalog::{InventoryDraft, SyntaxCheckError};
use ansible_core::jobs::SystemClock;
use mockall::predicate::always;

mockall::mock! {
    pub Syntax {}
    impl PlaybookSyntaxCheck for Syntax {
        fn check(&self, rendered_playbook: &str) -> Result<(), SyntaxCheckError>;
    }
}

const PLAY: &str = "Here is a playbook:\n```yaml\n- name: Deploy Nginx\n  hosts: web\n  gather_facts: false\n  tasks:\n    - name: Install nginx\n      ansible.builtin.apt:\n        name: nginx\n        state: present\n```\nShall I create it?";

struct World {
    service: AssistantService<MemoryConversations, MemoryCatalog>,
    conversations: MemoryConversations,
    catalog: MemoryCatalog,
}

fn world(model: MockChatModel, syntax: MockSyntax) -> World {
    let conversations = MemoryConversations::new();
    let catalog = MemoryCatalog::new();
    World {
        service: AssistantService::new(
            conversations.clone(),
            catalog.clone(),
            Arc::new(model),
            Arc::new(syntax),
            Arc::new(SystemClock),
            AssistSettings::default(),
        ),
        conversations,
        catalog,
    }
}

fn answering(answers: &'static [&'static str]) -> MockChatModel {
    let mut model = MockChatModel::new();
    let mut seq = mockall::Sequence::new();
    for answer in answers {
        model
            .expect_complete()
            .times(1)
            .in_sequence(&mut seq)
            .returning(move |_| Ok((*answer).to_owned()));
    }
    model
}

fn unused_syntax() -> MockSyntax {
    let mut syntax = MockSyntax::new();
    syntax.expect_check().never();
    syntax
}

fn message(text: &str, conversation: Option<&str>) -> SendMessage {
    SendMessage {
        text: MessageText::parse(text.to_owned()).unwrap(),
        conversation: conversation.map(str::to_owned),
        inventory: None,
    }
}

fn page() -> PageRequest {
    PageRequest {
        page: 1,
        per_page: 10,
    }
}

#[test]
fn a_turn_is_stored_whole_and_the_next_one_sends_the_history_in_order() {
    let mut model = MockChatModel::new();
    let mut seq = mockall::Sequence::new();
    model
        .expect_complete()
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_| Ok("Use the apt module.".to_owned()));
    model
        .expect_complete()
        .withf(|messages: &[ChatMessage]| {
            let roles: Vec<_> = messages.iter().map(|m| m.role).collect();
            roles
                == [
                    ChatRole::System,
                    ChatRole::User,
                    ChatRole::Assistant,
                    ChatRole::User,
                ]
                && messages[1].content == "How do I install nginx?"
                && messages[2].content == "Use the apt module."
                && messages[3].content == "And start it?"
        })
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_| Ok("Use ansible.builtin.service.".to_owned()));
    let w = world(model, unused_syntax());
    let first = w
        .service
        .send(message("How do I install nginx?", None))
        .unwrap();
    assert_eq!(first.conversation.title, "How do I install nginx?");
    assert!(first.question.is_user() && !first.answer.is_user());
    assert!(first.answer.created_at >= first.question.created_at);
    let id = first.conversation.id.as_str().to_owned();
    let second = w.service.send(message("And start it?", Some(&id))).unwrap();
    assert_eq!(second.conversation.id, first.conversation.id);
    let transcript = w.service.transcript(&id).unwrap();
    let texts: Vec<_> = transcript
        .messages
        .iter()
        .map(|m| m.text.as_str())
        .collect();
    assert_eq!(
        texts,
        [
            "How do I install nginx?",
            "Use the apt module.",
            "And start it?",
            "Use ansible.builtin.service."
        ]
    );
    assert_eq!(second.quick_replies, Vec::<&str>::new());
}

#[test]
fn a_model_that_fails_leaves_nothing_stored() {
    let mut model = MockChatModel::new();
    model
        .expect_complete()
        .times(2)
        .returning(|_| Err(ChatError::Timeout("no answer within 60 s".into())));
    let w = world(model, unused_syntax());
    let e = w.service.send(message("hello", None)).unwrap_err();
    assert!(
        matches!(e, AssistError::ModelUnavailable(ChatError::Timeout(m)) if m.contains("60 s"))
    );
    assert_eq!(w.service.conversations(page()).unwrap().total, 0);
    let existing = w.service.start(StartConversation::default()).unwrap();
    let e = w
        .service
        .send(message("hello", Some(existing.id.as_str())))
        .unwrap_err();
    assert!(matches!(e, AssistError::ModelUnavailable(_)));
    assert_eq!(
        w.conversations.messages(&existing.id).unwrap(),
        Some(Vec::new())
    );
}

#[test]
fn an_empty_answer_is_no_answer() {
    let w = world(answering(&["  \n"]), unused_syntax());
    let e = w.service.send(message("hello", None)).unwrap_err();
    assert!(matches!(
        e,
        AssistError::ModelUnavailable(ChatError::Malformed(_))
    ));
    assert_eq!(w.service.conversations(page()).unwrap().total, 0);
}

#[test]
fn unknown_conversations_and_inventories_are_refused_before_the_model_is_asked() {
    let mut model = MockChatModel::new();
    model.expect_complete().never();
    let w = world(model, unused_syntax());
    let fresh = ConversationId::generate().to_string();
    for raw in ["conv-123456", fresh.as_str()] {
        let e = w.service.send(message("hi", Some(raw))).unwrap_err();
        assert_eq!(e, AssistError::ConversationNotFound(raw.to_owned()));
    }
    let mut to_inventory = message("hi", None);
    to_inventory.inventory = Some(InventoryId(99));
    assert_eq!(
        w.service.send(to_inventory).unwrap_err(),
        AssistError::InventoryNotFound("99".into())
    );
    let start = StartConversation {
        title: None,
        inventory: Some(InventoryId(99)),
    };
    assert!(matches!(
        w.service.start(start),
        Err(AssistError::InventoryNotFound(_))
    ));
    assert!(matches!(
        w.service.delete("conv-nope"),
        Err(AssistError::ConversationNotFound(_))
    ));
}

#[test]
fn the_conversations_inventory_is_summarised_for_the_model() {
    let mut model = MockChatModel::new();
    model
        .expect_complete()
        .withf(|messages: &[ChatMessage]| {
            let system = &messages[0].content;
            system.contains("web1") && !system.contains("hunter2")
        })
        .times(1)
        .returning(|_| Ok("ok".to_owned()));
    let w = world(model, unused_syntax());
    let draft = InventoryDraft::parse(
        Some("Lab".into()),
        None,
        Some("[web]\nweb1 ansible_ssh_pass=hunter2\n".into()),
    )
    .unwrap();
    let inventory = w.catalog.create_inventory(&draft).unwrap();
    let start = StartConversation {
        title: Some("部署 Nginx 諮詢".into()),
        inventory: Some(inventory.id),
    };
    let conversation = w.service.start(start).unwrap();
    assert_eq!(conversation.title, "部署 Nginx 諮詢");
    w.service
        .send(message("hi", Some(conversation.id.as_str())))
        .unwrap();
}

#[test]
fn a_checked_playbook_is_offered_with_yes_no_replies() {
    let mut syntax = MockSyntax::new();
    syntax
        .expect_check()
        .withf(|text: &str| text.contains("hosts: \"web\"") && text.contains("ansible.builtin.apt"))
        .times(1)
        .returning(|_| Ok(()));
    let w = world(answering(&[PLAY]), syntax);
    let turn = w.service.send(message("nginx please", None)).unwrap();
    assert_eq!(turn.quick_replies, vec!["Yes", "No"]);
    assert_eq!(turn.suggestions.len(), 1, "{:?}", turn.declined);
    let s = &turn.suggestions[0];
    assert!(s.syntax_checked);
    assert_eq!(s.playbook.name, "Deploy Nginx");
    assert_eq!(s.playbook.tasks.len(), 1);
}

#[test]
fn a_playbook_ansible_rejects_is_not_offered_and_the_reason_is_kept() {
    let mut syntax = MockSyntax::new();
    syntax
        .expect_check()
        .with(always())
        .times(1)
        .returning(|_| Err(SyntaxCheckError::Rejected("couldn't resolve module".into())));
    let w = world(answering(&[PLAY]), syntax);
    let turn = w.service.send(message("nginx please", None)).unwrap();
    assert!(turn.suggestions.is_empty());
    assert!(
        turn.declined[0].contains("couldn't resolve module"),
        "{:?}",
        turn.declined
    );
    // The answer itself stands, stored with its question.
    let transcript = w.service.transcript(turn.conversation.id.as_str()).unwrap();
    assert_eq!(transcript.messages.len(), 2);
}

#[test]
fn without_ansible_a_rendered_playbook_is_offered_unchecked() {
    let mut syntax = MockSyntax::new();
    syntax.expect_check().times(1).returning(|_| {
        Err(SyntaxCheckError::NotInstalled(
            "ansible-playbook not found".into(),
        ))
    });
    let w = world(answering(&[PLAY]), syntax);
    let turn = w.service.send(message("nginx please", None)).unwrap();
    assert_eq!(turn.suggestions.len(), 1);
    assert!(!turn.suggestions[0].syntax_checked);
}

#[test]
fn a_play_without_hosts_never_reaches_the_check() {
    const HOSTLESS: &[&str] = &[
        "```yaml\n- name: x\n  gather_facts: false\n  tasks:\n    - ansible.builtin.ping:\n```\n",
    ];
    let w = world(answering(HOSTLESS), unused_syntax());
    let turn = w.service.send(message("ping", None)).unwrap();
    assert!(turn.suggestions.is_empty());
    assert!(turn.declined[0].contains("no hosts"));
}

#[test]
fn listing_and_deleting() {
    let w = world(answering(&["a", "b"]), unused_syntax());
    let one = w.service.send(message("one", None)).unwrap();
    let two = w.service.send(message("two", None)).unwrap();
    let listed = w.service.conversations(page()).unwrap();
    assert_eq!(listed.total, 2);
    assert!(listed.items.iter().any(|c| c.id == one.conversation.id));
    w.service.delete(two.conversation.id.as_str()).unwrap();
    assert!(matches!(
        w.service.transcript(two.conversation.id.as_str()),
        Err(AssistError::ConversationNotFound(_))
    ));
}
