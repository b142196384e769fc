//! Tokens, probes, CORS, request ids and unknown routes.

use crate::api_test;
use crate::support::{TOKEN, seed};
use actix_web::test::TestRequest;
use control_hub::auth::{TokenStore, generate_token, hash_token};

api_test!(api_routes_need_a_valid_bearer_token, |app| {
    for header in [
        None,
        Some("Bearer wrong-token"),
        Some("Basic dXNlcjpwYXNz"),
        Some("Bearer "),
        Some(TOKEN),
    ] {
        let mut req = TestRequest::get().uri("/api/maintainers");
        if let Some(h) = header {
            req = req.insert_header(("Authorization", h));
        }
        app.send(req).await.assert_error(401, "UNAUTHORIZED");
    }
    let reply = app
        .send(
            TestRequest::post()
                .uri("/api/tenants")
                .set_json(seed::tenant()),
        )
        .await;
    reply.assert_error(401, "UNAUTHORIZED");
    assert_eq!(app.count("/api/tenants").await, 0);
    app.send(
        TestRequest::get()
            .uri("/api/maintainers")
            .insert_header(("Authorization", format!("bearer {TOKEN}"))),
    )
    .await
    .assert_status(200);
});

api_test!(stored_tokens_work_until_revoked, |app| {
    let secret = generate_token();
    let info = app.store.insert("ci", &hash_token(&secret)).unwrap();
    let req = || {
        TestRequest::get()
            .uri("/api/tenants")
            .insert_header(("Authorization", format!("Bearer {secret}")))
    };
    app.send(req()).await.assert_status(200);
    assert!(
        app.store
            .list()
            .unwrap()
            .iter()
            .all(|t| t.name != secret && t.id != secret)
    );
    assert!(app.store.revoke(&info.id).unwrap());
    app.send(req()).await.assert_error(401, "UNAUTHORIZED");
});

api_test!(probes_are_public, |app| {
    let health = app.send(TestRequest::get().uri("/healthz")).await;
    health.assert_status(200);
    let ready = app.send(TestRequest::get().uri("/readyz")).await;
    ready.assert_status(200);
    assert_eq!(ready.body["status"], "ready");
});

api_test!(unknown_routes_are_json_404, |app| {
    app.get("/api/no-such-thing")
        .await
        .assert_error(404, "NOT_FOUND");
    app.send(TestRequest::get().uri("/nowhere"))
        .await
        .assert_error(404, "NOT_FOUND");
});

api_test!(request_ids_are_echoed_or_made, |app| {
    let mine = app
        .send(
            TestRequest::get()
                .uri("/healthz")
                .insert_header(("X-Request-Id", "abc-123")),
        )
        .await;
    assert_eq!(mine.header("x-request-id"), Some("abc-123"));
    let made = app
        .send(
            TestRequest::get()
                .uri("/healthz")
                .insert_header(("X-Request-Id", "bad id\twith junk")),
        )
        .await;
    let id = made.header("x-request-id").unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
});

api_test!(cors_admits_the_configured_origin_only, |app| {
    let preflight = |origin: &'static str| {
        TestRequest::default()
            .method(actix_web::http::Method::OPTIONS)
            .uri("/api/hosts")
            .insert_header(("Origin", origin))
            .insert_header(("Access-Control-Request-Method", "POST"))
            .insert_header((
                "Access-Control-Request-Headers",
                "authorization, content-type",
            ))
    };
    let allowed = app.send(preflight("http://localhost:5173")).await;
    allowed.assert_status(200);
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("http://localhost:5173")
    );
    let refused = app.send(preflight("http://evil.example")).await;
    assert_eq!(refused.header("access-control-allow-origin"), None);
    let listed = app
        .send(
            TestRequest::get()
                .uri("/api/hosts")
                .insert_header(("Origin", "http://localhost:5173"))
                .insert_header(("Authorization", format!("Bearer {TOKEN}"))),
        )
        .await;
    assert!(
        listed
            .header("access-control-expose-headers")
            .is_some_and(|h| h.contains("x-total-count"))
    );
});
