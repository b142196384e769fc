//! `POST /api/ai/messages` against a real chat server: answers, history, the system prompt,
//! the inventory summary, trimming, and turns sent at the same time.

use crate::ai_support::{AiSetup, FakeLlm, LLM_KEY, Reply, ai_app};
use crate::ai_test;
use serde_json::{Value, json};
use std::time::Duration;

const ANSWER: &str = "要部署 Nginx,您可以使用 Ansible playbook。需要我幫您生成 playbook 嗎?";

fn is_clock_time(v: &Value) -> bool {
    let Some(t) = v.as_str() else { return false };
    let Some((clock, half)) = t.split_once(' ') else {
        return false;
    };
    let Some((h, m)) = clock.split_once(':') else {
        return false;
    };
    matches!(half, "am" | "pm")
        && h.parse::<u32>().is_ok_and(|h| (1..=12).contains(&h))
        && m.len() == 2
        && m.parse::<u32>().is_ok_and(|m| m < 60)
}

ai_test!(
    a_first_message_starts_a_conversation_and_stores_the_turn,
    |backend| {
        let llm = FakeLlm::start(Reply::Answer(ANSWER.into()));
        let Some(app) = ai_app(backend, &AiSetup::at(llm.base_url())).await else {
            return;
        };
        let reply = app.ask("如何部署 Nginx?", None).await;
        reply.assert_status(200);
        assert_eq!(reply.body["success"], true);
        let data = &reply.body["data"];
        let id = data["conversationId"].as_str().unwrap().to_owned();
        assert!(id.starts_with("conv-"), "{id}");
        let (question, answer) = (&data["userMessage"], &data["aiResponse"]);
        assert_eq!(
            (question["text"].clone(), question["isUser"].clone()),
            (json!("如何部署 Nginx?"), json!(true))
        );
        assert_eq!(
            (answer["text"].clone(), answer["isUser"].clone()),
            (json!(ANSWER), json!(false))
        );
        assert!(question["id"].as_str().unwrap().starts_with("msg-"));
        assert!(is_clock_time(&question["time"]), "{}", question["time"]);
        assert!(question["createdAt"].as_str().unwrap().ends_with('Z'));
        assert_eq!(data["quickReplies"], json!(["Yes", "No"]));
        assert_eq!(data["suggestedActions"], json!([]));
        // What was answered is what is stored, in order.
        let stored = app.stored_messages(&id).await;
        assert_eq!(stored, vec![question.clone(), answer.clone()]);
        let conversation = app.get(&format!("/api/ai/conversations/{id}")).await;
        assert_eq!(conversation.body["data"]["title"], "如何部署 Nginx?");
        assert_eq!(app.conversation_count().await, 1);
        // The model got the key, the model name and the system prompt first.
        let sent = llm.received();
        assert_eq!(sent.len(), 1);
        assert_eq!(
            sent[0].header("authorization"),
            Some(format!("Bearer {LLM_KEY}").as_str())
        );
        assert_eq!(sent[0].body["model"], "hub-test-model");
        let messages = sent[0].messages();
        assert_eq!(messages[0].0, "system");
        assert!(messages[0].1.contains("control-hub"));
        assert_eq!(
            messages[1],
            ("user".to_owned(), "如何部署 Nginx?".to_owned())
        );
    }
);

ai_test!(
    the_history_is_sent_in_order_and_trimmed_from_the_oldest_turn,
    |backend| {
        let llm = FakeLlm::start(Reply::Echo(Duration::ZERO));
        let long = |n: usize| format!("question {n} {}", "x".repeat(400));
        // Room for the system prompt, the question and two earlier turns, not three.
        let budget = ai_assist::SYSTEM_PROMPT.chars().count() + 4 * 430 + 450;
        let setup = AiSetup {
            context_chars: budget,
            ..AiSetup::at(llm.base_url())
        };
        let Some(app) = ai_app(backend, &setup).await else {
            return;
        };
        let first = app.ask(&long(1), None).await;
        first.assert_status(200);
        let id = first.body["data"]["conversationId"]
            .as_str()
            .unwrap()
            .to_owned();
        for n in 2..=4 {
            app.ask(&long(n), Some(&id)).await.assert_status(200);
        }
        let sent = llm.received();
        let second: Vec<(String, String)> = sent[1].messages();
        assert_eq!(
            second.iter().map(|(r, _)| r.as_str()).collect::<Vec<_>>(),
            ["system", "user", "assistant", "user"]
        );
        assert_eq!(second[1].1, long(1));
        assert_eq!(second[2].1, format!("echo: {}", long(1)));
        assert_eq!(second[3].1, long(2));
        // The fourth question: turn 1 no longer fits, turns 2 and 3 do, in order.
        let fourth = sent[3].messages();
        let texts: Vec<&str> = fourth[1..].iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            texts.len(),
            5,
            "{:?}",
            fourth.iter().map(|(r, _)| r).collect::<Vec<_>>()
        );
        assert_eq!(texts[0], long(2));
        assert_eq!(texts[2], long(3));
        assert_eq!(texts[4], long(4));
        // Everything is still stored.
        assert_eq!(app.stored_messages(&id).await.len(), 8);
    }
);

ai_test!(
    the_model_sees_group_and_host_names_and_no_secret,
    |backend| {
        let llm = FakeLlm::start(Reply::Answer("Your web group has two hosts.".into()));
        let Some(app) = ai_app(backend, &AiSetup::at(llm.base_url())).await else {
            return;
        };
        let config = "[web]\nweb1 ansible_host=10.9.8.7 ansible_ssh_pass=hunter2-secret\nweb2 ansible_user=deploy\n[db]\ndb1 ansible_ssh_private_key_file=/keys/db.pem\n[web:vars]\napi_token=tok-abc-123\n";
        let inventory = app
            .create(
                "/api/inventories",
                json!({ "name": "Prod", "config": config }),
            )
            .await["data"]["id"]
            .clone();
        let reply = app
        .post(
            "/api/ai/messages",
            json!({ "message": "What is in my inventory?", "context": { "inventoryId": inventory } }),
        )
        .await;
        reply.assert_status(200);
        let system = &llm.received()[0].messages()[0].1;
        for name in ["Prod", "web1", "web2", "db1", "web", "db"] {
            assert!(system.contains(name), "{name} not in {system}");
        }
        for secret in [
            "hunter2-secret",
            "10.9.8.7",
            "deploy",
            "/keys/db.pem",
            "tok-abc-123",
            "ansible_",
        ] {
            assert!(!system.contains(secret), "{secret} leaked into {system}");
        }
        // A conversation started with an inventory keeps telling the model about it.
        let started = app
            .create(
                "/api/ai/conversations",
                json!({ "title": "t", "context": { "inventory_id": inventory } }),
            )
            .await;
        let id = started["data"]["conversationId"]
            .as_str()
            .unwrap()
            .to_owned();
        app.ask("and now?", Some(&id)).await.assert_status(200);
        let system = &llm.received()[1].messages()[0].1;
        assert!(system.contains("web1") && !system.contains("hunter2-secret"));
    }
);

ai_test!(
    turns_sent_at_once_are_stored_whole_each_answer_after_its_question,
    |backend| {
        // Each answer takes a while, so the two turns overlap at the model.
        let llm = FakeLlm::start(Reply::Echo(Duration::from_millis(300)));
        let Some(app) = ai_app(backend, &AiSetup::at(llm.base_url())).await else {
            return;
        };
        let first = app.ask("first", None).await;
        let id = first.body["data"]["conversationId"]
            .as_str()
            .unwrap()
            .to_owned();
        let (a, b) =
            futures_util::future::join(app.ask("left", Some(&id)), app.ask("right", Some(&id)))
                .await;
        a.assert_status(200);
        b.assert_status(200);
        let stored = app.stored_messages(&id).await;
        assert_eq!(stored.len(), 6);
        for pair in stored.chunks(2) {
            assert_eq!(pair[0]["isUser"], true);
            assert_eq!(pair[1]["isUser"], false);
            assert_eq!(
                pair[1]["text"].as_str().unwrap(),
                format!("echo: {}", pair[0]["text"].as_str().unwrap())
            );
        }
        let questions: Vec<&str> = stored[2..]
            .iter()
            .step_by(2)
            .map(|m| m["text"].as_str().unwrap())
            .collect();
        assert!(
            questions == ["left", "right"] || questions == ["right", "left"],
            "{questions:?}"
        );
    }
);
