//! Inputs that once hurt: ids in odd spellings, forged forwarding headers, CORS refusals and
//! bodies that never finish arriving.

use crate::api_test;
use crate::support::{TOKEN, seed};
use actix_web::test::TestRequest;
use serde_json::json;
use std::io::{Read, Write};
use std::time::{Duration, Instant};

api_test!(only_canonical_ids_name_a_row, |app| {
    let created = app
        .create(
            "/api/inventories",
            json!({ "name": "inv", "config": "h1 ansible_connection=local" }),
        )
        .await;
    let id = created["data"]["id"].as_i64().unwrap();
    for spelling in [format!("+{id}"), format!("0{id}"), format!("%20{id}")] {
        app.delete(&format!("/api/inventories/{spelling}"))
            .await
            .assert_failure(404, "INVENTORY_NOT_FOUND");
    }
    app.get(&format!("/api/inventories/{id}"))
        .await
        .assert_status(200);

    let group = app.create("/api/host-groups", seed::host_group()).await["id"]
        .as_i64()
        .unwrap();
    app.get(&format!("/api/host-groups/+{group}"))
        .await
        .assert_error(404, "HOST_GROUP_NOT_FOUND");
    app.get(&format!("/api/tenants/0{group}/usage"))
        .await
        .assert_error(404, "TENANT_NOT_FOUND");
    let host = app.create("/api/hosts", seed::host(json!(group))).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let simple = host.replace('-', "");
    app.get(&format!("/api/hosts/{simple}"))
        .await
        .assert_error(404, "HOST_NOT_FOUND");
    app.get(&format!("/api/hosts/{}", host.to_uppercase()))
        .await
        .assert_status(200);
});

api_test!(links_are_relative_whatever_the_client_forwards, |app| {
    app.create("/api/tenants", seed::tenant()).await;
    let reply = app
        .send(
            TestRequest::get()
                .uri("/api/tenants?per_page=1")
                .insert_header(("Authorization", format!("Bearer {TOKEN}")))
                .insert_header(("X-Forwarded-Proto", "javascript"))
                .insert_header(("X-Forwarded-Host", "evil.example")),
        )
        .await;
    let link = reply.header("link").unwrap_or_default();
    assert!(link.starts_with("</api/tenants?"), "{link}");
    assert!(
        !link.contains("javascript") && !link.contains("evil"),
        "{link}"
    );
});

api_test!(a_refused_cors_request_answers_json, |app| {
    let reply = app
        .send(
            TestRequest::default()
                .method(actix_web::http::Method::OPTIONS)
                .uri("/api/inventories")
                .insert_header(("Origin", "https://evil.example"))
                .insert_header(("Access-Control-Request-Method", "GET")),
        )
        .await;
    reply.assert_failure(400, "CORS_REJECTED");
});

/// A client that declares 100 bytes and sends 8 gets a 408 in the area's format within the
/// body timeout, and the connection is let go.
#[actix_web::test]
async fn a_body_that_never_arrives_is_a_prompt_408() {
    let file = hub_testkit::SqliteFile::create();
    let store = store_diesel::DieselStore::open(
        &store_diesel::DatabaseUrl::parse(&file.url).unwrap(),
        Some(2),
    )
    .unwrap();
    let state = control_hub::AppState {
        cors_origins: Vec::new(),
        body_timeout: Duration::from_secs(1),
        ..crate::support::state(&store)
    };
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = actix_web::HttpServer::new(move || control_hub::build_app(state.clone()))
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
    let handle = server.handle();
    actix_web::rt::spawn(server);

    let started = Instant::now();
    let answer = actix_web::rt::task::spawn_blocking(move || {
        let mut socket = std::net::TcpStream::connect(addr).unwrap();
        socket
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let head = format!(
            "POST /api/inventories HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n\
             Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"name\":"
        );
        socket.write_all(head.as_bytes()).unwrap();
        let mut answer = String::new();
        let _ = socket.read_to_string(&mut answer);
        answer
    })
    .await
    .unwrap();
    let waited = started.elapsed();
    handle.stop(true).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"REQUEST_TIMEOUT\""), "{answer}");
    assert!(answer.contains("\"success\":false"), "{answer}");
    assert!(waited < Duration::from_secs(5), "answered after {waited:?}");
}
