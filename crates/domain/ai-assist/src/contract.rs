//! The contract every conversation store passes; [`conversation_contract_tests!`](crate::conversation_contract_tests)
//! makes one `#[test]` per case, `$make` yielding `(guard, store)` for a fresh empty store.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::*;
use ansible_core::catalog::{InventoryId, PageRequest};
use chrono::{DateTime, TimeDelta, TimeZone, Utc};

#[macro_export]
macro_rules! conversation_contract_tests {
    ($make:expr) => {
        $crate::conversation_contract_tests!(@cases $make;
            conversations_start_empty_and_read_back,
            a_first_turn_comes_with_its_conversation,
            turns_keep_their_order_and_move_updated_at,
            turns_to_an_absent_conversation_store_nothing,
            taken_ids_are_refused_and_store_nothing,
            lists_are_newest_first_and_paged,
            deleting_takes_the_messages_along,
            concurrent_turns_are_stored_whole_one_after_the_other,
        );
    };
    (@cases $make:expr; $($case:ident),* $(,)?) => {$(
        #[test]
        fn $case() {
            let (_guard, store) = $make;
            $crate::contract::$case(&store);
        }
    )*};
}

/// A time at whole microseconds, as every store keeps them.
fn at(seconds: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_767_225_600 + seconds, 0).unwrap()
}

fn conversation(title: &str, created: i64) -> NewConversation {
    NewConversation {
        id: ConversationId::generate(),
        title: title.to_owned(),
        inventory: Some(InventoryId(7)),
        created_at: at(created),
    }
}

fn turn(question: &str, asked: i64) -> NewTurn {
    let message = |author, text: String, secs| Message {
        id: MessageId::generate(),
        author,
        text,
        created_at: at(secs) + TimeDelta::microseconds(123),
    };
    NewTurn {
        question: message(Author::User, question.to_owned(), asked),
        answer: message(
            Author::Assistant,
            format!("answer to {question}"),
            asked + 2,
        ),
    }
}

fn texts(messages: &[Message]) -> Vec<(bool, String)> {
    messages
        .iter()
        .map(|m| (m.is_user(), m.text.clone()))
        .collect()
}

pub fn conversations_start_empty_and_read_back<S: ConversationRepository>(store: &S) {
    let new = conversation("部署 Nginx 諮詢", 0);
    let created = store.create_conversation(&new).unwrap();
    assert_eq!(created, new.stored());
    assert_eq!(store.get_conversation(&new.id).unwrap(), Some(created));
    assert_eq!(store.messages(&new.id).unwrap(), Some(Vec::new()));
    let absent = ConversationId::generate();
    assert_eq!(store.get_conversation(&absent).unwrap(), None);
    assert_eq!(store.messages(&absent).unwrap(), None);
}

pub fn a_first_turn_comes_with_its_conversation<S: ConversationRepository>(store: &S) {
    let new = conversation("How do I deploy nginx?", 10);
    let first = turn("How do I deploy nginx?", 10);
    let stored = store.start_with_turn(&new, &first).unwrap();
    assert_eq!(stored.updated_at, first.answer.created_at);
    assert_eq!(store.get_conversation(&new.id).unwrap(), Some(stored));
    let messages = store.messages(&new.id).unwrap().unwrap();
    assert_eq!(messages, vec![first.question, first.answer]);
}

pub fn turns_keep_their_order_and_move_updated_at<S: ConversationRepository>(store: &S) {
    let new = conversation("t", 0);
    store.create_conversation(&new).unwrap();
    let (one, two) = (turn("one", 5), turn("two", 20));
    store.append_turn(&new.id, &one).unwrap().unwrap();
    let after = store.append_turn(&new.id, &two).unwrap().unwrap();
    assert_eq!(after.updated_at, two.answer.created_at);
    assert_eq!(after.created_at, new.created_at);
    // A turn that answered earlier than the last one (it overtook nothing) keeps the time.
    let late = turn("late", 1);
    let after = store.append_turn(&new.id, &late).unwrap().unwrap();
    assert_eq!(after.updated_at, two.answer.created_at);
    let messages = store.messages(&new.id).unwrap().unwrap();
    assert_eq!(
        texts(&messages),
        vec![
            (true, "one".to_owned()),
            (false, "answer to one".to_owned()),
            (true, "two".to_owned()),
            (false, "answer to two".to_owned()),
            (true, "late".to_owned()),
            (false, "answer to late".to_owned()),
        ]
    );
    assert_eq!(messages[0], one.question);
    assert_eq!(messages[3], two.answer);
}

pub fn turns_to_an_absent_conversation_store_nothing<S: ConversationRepository>(store: &S) {
    let absent = ConversationId::generate();
    let lost = turn("anyone?", 0);
    assert_eq!(store.append_turn(&absent, &lost).unwrap(), None);
    assert_eq!(store.messages(&absent).unwrap(), None);
    // The ids of the turn that was not stored are free.
    let new = conversation("t", 0);
    store.start_with_turn(&new, &lost).unwrap();
    assert_eq!(store.messages(&new.id).unwrap().unwrap().len(), 2);
}

pub fn taken_ids_are_refused_and_store_nothing<S: ConversationRepository>(store: &S) {
    let new = conversation("t", 0);
    let first = turn("q", 0);
    store.start_with_turn(&new, &first).unwrap();
    assert_eq!(
        store.create_conversation(&new),
        Err(ConversationStoreError::Duplicate)
    );
    let again = NewConversation {
        id: ConversationId::generate(),
        ..new.clone()
    };
    assert_eq!(
        store.start_with_turn(&again, &first),
        Err(ConversationStoreError::Duplicate)
    );
    assert_eq!(store.get_conversation(&again.id).unwrap(), None);
    let mut reused = turn("r", 1);
    reused.answer.id = first.answer.id.clone();
    assert_eq!(
        store.append_turn(&new.id, &reused),
        Err(ConversationStoreError::Duplicate)
    );
    assert_eq!(store.messages(&new.id).unwrap().unwrap().len(), 2);
}

pub fn lists_are_newest_first_and_paged<S: ConversationRepository>(store: &S) {
    let first = PageRequest {
        page: 1,
        per_page: 2,
    };
    assert_eq!(store.list_conversations(first).unwrap().total, 0);
    let made: Vec<NewConversation> = (0..3)
        .map(|i| conversation(&format!("c{i}"), i * 60))
        .collect();
    for new in [&made[1], &made[0], &made[2]] {
        store.create_conversation(new).unwrap();
    }
    let page = store.list_conversations(first).unwrap();
    assert_eq!(page.total, 3);
    let titles: Vec<_> = page.items.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["c2", "c1"]);
    let second = store
        .list_conversations(PageRequest {
            page: 2,
            per_page: 2,
        })
        .unwrap();
    assert_eq!(second.items, vec![made[0].stored()]);
    assert_eq!(second.items[0].inventory, Some(InventoryId(7)));
}

pub fn deleting_takes_the_messages_along<S: ConversationRepository>(store: &S) {
    let (gone, kept) = (conversation("gone", 0), conversation("kept", 1));
    store.start_with_turn(&gone, &turn("a", 0)).unwrap();
    store.start_with_turn(&kept, &turn("b", 1)).unwrap();
    assert!(store.delete_conversation(&gone.id).unwrap());
    assert!(!store.delete_conversation(&gone.id).unwrap());
    assert_eq!(store.get_conversation(&gone.id).unwrap(), None);
    assert_eq!(store.messages(&gone.id).unwrap(), None);
    assert_eq!(store.messages(&kept.id).unwrap().unwrap().len(), 2);
    let page = PageRequest {
        page: 1,
        per_page: 10,
    };
    assert_eq!(store.list_conversations(page).unwrap().total, 1);
}

pub fn concurrent_turns_are_stored_whole_one_after_the_other<S: ConversationRepository>(store: &S) {
    let new = conversation("busy", 0);
    store.create_conversation(&new).unwrap();
    let writers = 4;
    let turns_each = 5;
    std::thread::scope(|scope| {
        for w in 0..writers {
            let id = new.id.clone();
            scope.spawn(move || {
                for t in 0..turns_each {
                    let turn = turn(&format!("w{w}-t{t}"), 1);
                    store.append_turn(&id, &turn).unwrap().unwrap();
                }
            });
        }
    });
    let messages = store.messages(&new.id).unwrap().unwrap();
    assert_eq!(messages.len(), writers * turns_each * 2);
    for pair in messages.chunks(2) {
        assert!(pair[0].is_user() && !pair[1].is_user(), "{pair:?}");
        assert_eq!(pair[1].text, format!("answer to {}", pair[0].text));
    }
    // Each writer's own turns stay in the order it stored them.
    for w in 0..writers {
        let mine: Vec<_> = messages
            .iter()
            .filter(|m| m.is_user() && m.text.starts_with(&format!("w{w}-")))
            .map(|m| m.text.clone())
            .collect();
        let expected: Vec<_> = (0..turns_each).map(|t| format!("w{w}-t{t}")).collect();
        assert_eq!(mine, expected);
    }
}

/// The case list of [`conversation_contract_tests!`](crate::conversation_contract_tests)
/// cannot drift from the cases: a case written but not listed would run on no adapter.
#[test]
fn every_case_is_listed_in_the_macro() {
    let source = include_str!("contract.rs");
    hub_testkit::contract_cases::assert_all_listed(&[source], source, "ConversationRepository>");
}
