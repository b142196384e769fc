//! The served API and its OpenAPI description agree, every method a path lacks answers 405 in
//! its area's format, and NUL never reaches a store.

use crate::api_test;
use crate::support::TOKEN;
use actix_web::http::Method;
use actix_web::test::TestRequest;
use serde_json::{Value, json};
use std::collections::BTreeSet;

const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

/// A concrete path for a template: ids that exist nowhere.
fn concrete(template: &str) -> String {
    template.replace("{id}", "00000000-0000-7000-8000-000000000000")
}

fn request(method: &str, path: &str) -> TestRequest {
    let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
    let req = TestRequest::default()
        .method(method.clone())
        .uri(path)
        .insert_header(("Authorization", format!("Bearer {TOKEN}")));
    if method == Method::POST || method == Method::PUT || method == Method::PATCH {
        req.set_json(json!({}))
    } else {
        req
    }
}

/// Every `$ref` in `value`.
fn refs(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.insert(r.clone());
            }
            map.values().for_each(|v| refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

fn is_ansible(path: &str) -> bool {
    ["/api/inventories", "/api/playbooks", "/api/ssh", "/api/ai"]
        .iter()
        .any(|p| path.starts_with(p))
}

api_test!(the_spec_is_public_openapi_3_1_and_self_contained, |app| {
    let reply = app.send(TestRequest::get().uri("/api/openapi.json")).await;
    reply.assert_status(200);
    let spec = reply.body;
    assert_eq!(spec["openapi"], "3.1.0");
    assert_eq!(
        spec["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let mut found = BTreeSet::new();
    refs(&spec, &mut found);
    assert!(found.len() > 20, "{found:?}");
    for r in found {
        let name = r.strip_prefix("#/components/schemas/").expect("schema ref");
        assert!(
            spec["components"]["schemas"].get(name).is_some(),
            "{r} does not resolve"
        );
    }
    // Both error formats are described.
    for schema in ["InfraError", "EnvelopeFailure"] {
        assert!(
            spec["components"]["schemas"].get(schema).is_some(),
            "{schema}"
        );
    }
    // Required fields are marked on request bodies.
    let host = &spec["components"]["schemas"]["HostBody"]["required"];
    assert!(
        host.as_array()
            .is_some_and(|r| r.contains(&json!("total_cpu"))),
        "{host}"
    );
});

api_test!(
    every_described_operation_is_served_and_nothing_else,
    |app| {
        let spec = app
            .send(TestRequest::get().uri("/api/openapi.json"))
            .await
            .body;
        let paths = spec["paths"].as_object().expect("paths");
        let table = control_hub::route_table::<store_diesel::DieselStore>();
        let described: usize = paths
            .values()
            .map(|item| METHODS.iter().filter(|m| item.get(**m).is_some()).count())
            .sum();
        assert_eq!(described, table.entries().len(), "one operation per route");
        for entry in table.entries() {
            let method = entry.method.as_str().to_lowercase();
            let path = format!("/api{}", entry.path);
            assert!(
                paths[&path].get(&method).is_some(),
                "{method} {path} undescribed"
            );
            // The area a route is described in is the area its errors are rendered in.
            let ansible = is_ansible(&path);
            assert_eq!(
                entry.op().area() == control_hub::http::area::Area::Ansible,
                ansible,
                "{path}"
            );
        }
        for (template, item) in paths {
            let path = concrete(template);
            let allowed: Vec<&str> = METHODS
                .iter()
                .copied()
                .filter(|m| item.get(*m).is_some())
                .collect();
            for method in METHODS {
                let reply = app.send(request(method, &path)).await;
                if allowed.contains(&method) {
                    assert_ne!(reply.status.as_u16(), 405, "{method} {template}");
                    let code = if is_ansible(template) {
                        &reply.body["error"]["code"]
                    } else {
                        &reply.body["code"]
                    };
                    assert_ne!(code, "NOT_FOUND", "{method} {template} has no route");
                    continue;
                }
                if is_ansible(template) {
                    reply.assert_failure(405, "METHOD_NOT_ALLOWED");
                } else {
                    reply.assert_error(405, "METHOD_NOT_ALLOWED");
                }
                let allow = reply.header("allow").unwrap_or_default().to_lowercase();
                let allow: Vec<&str> = allow.split(", ").collect();
                assert_eq!(allow, allowed, "Allow of {template}");
            }
        }
    }
);

api_test!(the_docs_page_is_public, |app| {
    let reply = app.send(TestRequest::get().uri("/api/docs")).await;
    assert_eq!(reply.status.as_u16(), 308);
    assert_eq!(reply.header("location"), Some("/api/docs/"));
    let reply = app.send(TestRequest::get().uri("/api/docs/")).await;
    reply.assert_status(200);
    assert!(reply.text.contains("swagger-ui"), "{}", reply.text);
});

api_test!(
    nul_in_text_is_422_naming_the_field_and_stores_nothing,
    |app| {
        let reply = app
            .post_raw("/api/tenants", r#"{"name": "a\u0000b"}"#.to_owned())
            .await;
        reply.assert_error(422, "VALIDATION_ERROR");
        assert!(reply.message().starts_with("name:"), "{}", reply.message());
        assert_eq!(app.count("/api/tenants").await, 0);

        let reply = app
            .post_raw(
                "/api/inventories",
                r#"{"name": "inv", "config": "h1\u0000"}"#.to_owned(),
            )
            .await;
        reply.assert_failure(422, "VALIDATION_ERROR");
        assert!(reply.failure_message().starts_with("config:"));
        let list = app.get("/api/inventories").await;
        assert_eq!(list.body["data"]["pagination"]["total"], 0);

        let body = r#"{"name": "p", "type": "Machine", "main": {"hosts": "all"},
                   "tasks": [{"content": "debug:\n  msg: \u0000"}]}"#;
        let reply = app.post_raw("/api/playbooks", body.to_owned()).await;
        reply.assert_failure(422, "VALIDATION_ERROR");
        assert!(reply.failure_message().starts_with("tasks[0].content:"));
    }
);

api_test!(nul_in_a_query_is_422_never_500, |app| {
    for path in [
        "/api/inventories?search=%00",
        "/api/playbooks?search=a%00b",
        "/api/hosts?status=%00",
    ] {
        let reply = app.get(path).await;
        assert_eq!(reply.status.as_u16(), 422, "{path}: {}", reply.body);
    }
});
