//! The AI endpoints when the model fails, and bad input: 503, 422, 404, and nothing of the
//! turn stored.

use crate::ai_support::{AiSetup, FakeLlm, Reply, ai_app, refusing_base_url};
use crate::ai_test;
use crate::support::TestApp;
use serde_json::json;
use std::time::{Duration, Instant};

/// The answer is 503 AI_SERVICE_UNAVAILABLE with a message that says `why`, for a new
/// conversation and for an existing one, and nothing of either turn is stored.
async fn nothing_stored_on(app: &TestApp, existing: &str, why: &str) {
    for reply in [
        app.ask("hello?", None).await,
        app.ask("still there?", Some(existing)).await,
    ] {
        reply.assert_failure(503, "AI_SERVICE_UNAVAILABLE");
        assert!(
            reply.failure_message().contains(why),
            "{why:?} not in {:?}",
            reply.body
        );
        // The adapter's detail (the endpoint) stays in the log.
        assert!(
            !reply.failure_message().contains("127.0.0.1"),
            "{:?}",
            reply.body
        );
    }
    let before = app.conversation_count().await;
    assert_eq!(app.conversation_count().await, before);
    assert_eq!(
        app.stored_messages(existing).await,
        Vec::<serde_json::Value>::new()
    );
}

async fn empty_conversation(app: &TestApp) -> String {
    let started = app.create("/api/ai/conversations", json!({})).await;
    started["data"]["conversationId"]
        .as_str()
        .unwrap()
        .to_owned()
}

ai_test!(an_unconfigured_model_is_503, |backend| {
    // The default test app has no model configured.
    let app = match backend {
        crate::ai_support::Backend::Sqlite => TestApp::sqlite().await,
        crate::ai_support::Backend::Postgres => match TestApp::postgres().await {
            Some(app) => app,
            None => return,
        },
    };
    let existing = empty_conversation(&app).await;
    nothing_stored_on(
        &app,
        &existing,
        "no AI model is configured: set HUB_LLM_BASE_URL and HUB_LLM_MODEL",
    )
    .await;
    assert_eq!(app.conversation_count().await, 1);
});

ai_test!(a_refused_connection_is_503, |backend| {
    let Some(app) = ai_app(backend, &AiSetup::at(refusing_base_url())).await else {
        return;
    };
    let existing = empty_conversation(&app).await;
    nothing_stored_on(&app, &existing, "cannot be reached").await;
});

ai_test!(a_server_error_past_the_retry_is_503, |backend| {
    let llm = FakeLlm::start(Reply::Status(500, Some("0".into())));
    let Some(app) = ai_app(backend, &AiSetup::at(llm.base_url())).await else {
        return;
    };
    let existing = empty_conversation(&app).await;
    nothing_stored_on(&app, &existing, "refused the request").await;
    // Each of the two turns was tried twice.
    assert_eq!(llm.received().len(), 4);
});

ai_test!(a_rate_limit_then_an_answer_is_answered, |backend| {
    let llm = FakeLlm::start(Reply::Answer("after the wait".into()));
    llm.then(Reply::Status(429, Some("1".into())));
    let Some(app) = ai_app(backend, &AiSetup::at(llm.base_url())).await else {
        return;
    };
    let reply = app.ask("hello", None).await;
    reply.assert_status(200);
    assert_eq!(reply.body["data"]["aiResponse"]["text"], "after the wait");
    assert_eq!(llm.received().len(), 2);
    assert_eq!(app.conversation_count().await, 1);
});

ai_test!(a_server_that_never_answers_is_a_prompt_503, |backend| {
    let llm = FakeLlm::start(Reply::Hang);
    let setup = AiSetup {
        timeout: Duration::from_secs(1),
        ..AiSetup::at(llm.base_url())
    };
    let Some(app) = ai_app(backend, &setup).await else {
        return;
    };
    let existing = empty_conversation(&app).await;
    let started = Instant::now();
    nothing_stored_on(&app, &existing, "did not answer in time").await;
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
});

ai_test!(a_malformed_answer_is_503, |backend| {
    let llm = FakeLlm::start(Reply::Raw("{\"choices\": [{\"message\": ".into()));
    let Some(app) = ai_app(backend, &AiSetup::at(llm.base_url())).await else {
        return;
    };
    let existing = empty_conversation(&app).await;
    nothing_stored_on(&app, &existing, "not an answer").await;
});

ai_test!(
    bad_messages_are_refused_before_the_model_is_asked,
    |backend| {
        let llm = FakeLlm::start(Reply::Answer("never".into()));
        let Some(app) = ai_app(backend, &AiSetup::at(llm.base_url())).await else {
            return;
        };
        let bad = [
            json!({ "message": "" }),
            json!({ "message": "   \n\t" }),
            json!({ "message": "x".repeat(32 * 1024 + 1) }),
            json!({ "message": 42 }),
            json!({ "message": ["a"] }),
            json!({}),
            json!({ "message": "hi", "context": "conv-1" }),
            json!({ "message": "hi", "context": { "conversation_id": 7 } }),
            json!({ "message": "hi", "context": { "inventory_id": "one" } }),
            json!({ "message": "hi\u{0}there" }),
        ];
        for body in bad {
            let reply = app.post("/api/ai/messages", body.clone()).await;
            reply.assert_failure(422, "INVALID_MESSAGE_FORMAT");
            let _ = body;
        }
        // Exactly 32 KiB is a message.
        let fits = app.ask(&"y".repeat(32 * 1024), None).await;
        fits.assert_status(200);
        assert_eq!(llm.received().len(), 1);
        app.post_raw("/api/ai/messages", "{\"message\": ")
            .await
            .assert_failure(400, "INVALID_JSON");
        for id in ["conv-123456", "conv-0199aaaabbbbccccddddeeeeffff0000"] {
            app.ask("hi", Some(id))
                .await
                .assert_failure(404, "CONVERSATION_NOT_FOUND");
        }
        let reply = app
            .post(
                "/api/ai/messages",
                json!({ "message": "hi", "context": { "inventory_id": 999 } }),
            )
            .await;
        reply.assert_failure(404, "INVENTORY_NOT_FOUND");
        assert_eq!(llm.received().len(), 1);
        assert_eq!(app.conversation_count().await, 1);
    }
);
