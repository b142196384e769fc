//! `/api/ai/conversations`: start, read, list newest first, delete.

use crate::ai_support::{AiSetup, FakeLlm, Reply, ai_app};
use crate::ai_test;
use serde_json::json;

ai_test!(conversations_start_list_read_and_go, |backend| {
    let llm = FakeLlm::start(Reply::Answer("ok".into()));
    let Some(app) = ai_app(backend, &AiSetup::at(llm.base_url())).await else {
        return;
    };
    let inventory = app
        .create(
            "/api/inventories",
            json!({ "name": "Lab", "config": "web1\n" }),
        )
        .await["data"]["id"]
        .clone();
    let started = app
        .post(
            "/api/ai/conversations",
            json!({ "title": "部署 Nginx 諮詢", "context": { "inventory_id": inventory } }),
        )
        .await;
    started.assert_status(201);
    assert_eq!(started.body["message"], "新對話已創建");
    let data = &started.body["data"];
    assert_eq!(data["title"], "部署 Nginx 諮詢");
    assert_eq!(data["messages"], json!([]));
    assert_eq!(data["inventoryId"], inventory);
    let first = data["conversationId"].as_str().unwrap().to_owned();
    let untitled = app.create("/api/ai/conversations", json!({})).await;
    assert_eq!(untitled["data"]["title"], "New conversation");
    let asked = app.ask("Third one", None).await;
    let third = asked.body["data"]["conversationId"]
        .as_str()
        .unwrap()
        .to_owned();

    let listed = app.get("/api/ai/conversations?per_page=2").await;
    listed.assert_status(200);
    let page = &listed.body["data"];
    assert_eq!(
        page["pagination"],
        json!({ "page": 1, "perPage": 2, "total": 3, "totalPages": 2 })
    );
    assert_eq!(page["items"][0]["conversationId"], third.as_str());
    assert_eq!(page["items"][0]["title"], "Third one");
    assert!(page["items"][0].get("messages").is_none());
    let last = app.get("/api/ai/conversations?page=2&per_page=2").await;
    assert_eq!(
        last.body["data"]["items"][0]["conversationId"],
        first.as_str()
    );
    app.get("/api/ai/conversations?per_page=0")
        .await
        .assert_failure(422, "VALIDATION_ERROR");

    let read = app.get(&format!("/api/ai/conversations/{third}")).await;
    read.assert_status(200);
    assert_eq!(read.body["data"]["messages"].as_array().unwrap().len(), 2);

    let gone = app.delete(&format!("/api/ai/conversations/{third}")).await;
    gone.assert_status(200);
    assert_eq!(gone.body["success"], true);
    app.get(&format!("/api/ai/conversations/{third}"))
        .await
        .assert_failure(404, "CONVERSATION_NOT_FOUND");
    app.delete(&format!("/api/ai/conversations/{third}"))
        .await
        .assert_failure(404, "CONVERSATION_NOT_FOUND");
    app.get("/api/ai/conversations/not-an-id")
        .await
        .assert_failure(404, "CONVERSATION_NOT_FOUND");
    assert_eq!(app.conversation_count().await, 2);
});

ai_test!(
    starting_with_an_unknown_inventory_or_a_bad_title_stores_nothing,
    |backend| {
        let llm = FakeLlm::start(Reply::Answer("ok".into()));
        let Some(app) = ai_app(backend, &AiSetup::at(llm.base_url())).await else {
            return;
        };
        app.post(
            "/api/ai/conversations",
            json!({ "context": { "inventoryId": 404 } }),
        )
        .await
        .assert_failure(404, "INVENTORY_NOT_FOUND");
        app.post("/api/ai/conversations", json!({ "title": "t".repeat(256) }))
            .await
            .assert_failure(422, "VALIDATION_ERROR");
        app.post("/api/ai/conversations", json!({ "title": 5 }))
            .await
            .assert_failure(422, "VALIDATION_ERROR");
        assert_eq!(app.conversation_count().await, 0);
    }
);
