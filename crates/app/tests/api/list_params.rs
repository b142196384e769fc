//! Query parameters a GET route does not take are refused (422 naming them, in the area's
//! format) instead of being ignored: a misspelt filter must never turn into "every record".
//! Every parameter a route documents keeps working.

use crate::api_test;
use crate::support::{Reply, seed};
use actix_web::test::TestRequest;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// Every list of seed 000's area.
const INFRA_LISTS: [&str; 11] = [
    "/api/maintainers",
    "/api/maintainer-groups",
    "/api/maintainer-group-members",
    "/api/resource-maintainers",
    "/api/hosts",
    "/api/host-groups",
    "/api/tenants",
    "/api/virtual-machines",
    "/api/vm-specifications",
    "/api/k8s-clusters",
    "/api/host-group-tenant-quotas",
];

/// Every list of seed 002's area.
const ANSIBLE_LISTS: [&str; 5] = [
    "/api/inventories",
    "/api/playbooks",
    "/api/playbooks/jobs",
    "/api/ai/conversations",
    "/api/ssh/known-hosts",
];

/// An infra-area refusal of `name`: `{"error": "...", "code": "VALIDATION_ERROR"}` only.
#[track_caller]
fn assert_infra_refusal(reply: &Reply, name: &str) {
    reply.assert_error(422, "VALIDATION_ERROR");
    let keys: BTreeSet<&str> = reply
        .body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, BTreeSet::from(["code", "error"]), "{}", reply.body);
    assert!(
        reply.message().starts_with(&format!("{name}: unknown")),
        "{name}: {}",
        reply.message()
    );
}

/// An Ansible-area refusal of `name`: `{"success": false, "error": {code, message}}` only.
#[track_caller]
fn assert_envelope_refusal(reply: &Reply, name: &str) {
    reply.assert_failure(422, "VALIDATION_ERROR");
    let keys: BTreeSet<&str> = reply
        .body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, BTreeSet::from(["error", "success"]), "{}", reply.body);
    let inner: BTreeSet<&str> = reply.body["error"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(inner, BTreeSet::from(["code", "message"]), "{}", reply.body);
    assert!(
        reply
            .failure_message()
            .starts_with(&format!("{name}: unknown")),
        "{name}: {}",
        reply.failure_message()
    );
}

api_test!(infra_lists_refuse_unknown_parameters, |app| {
    let world = seed::world(&app).await;
    for list in INFRA_LISTS {
        for (query, name) in [("region=eu", "region"), ("page=1&foo=bar", "foo")] {
            let reply = app.get(&format!("{list}?{query}")).await;
            assert_infra_refusal(&reply, name);
        }
    }
    // A misspelt filter of a list that has it: refused, not "every host".
    let reply = app
        .get(&format!("/api/hosts?groupid={}", world.group))
        .await;
    assert_infra_refusal(&reply, "groupid");
    assert!(reply.message().contains("group_id"), "{}", reply.message());
    // The other spelling belongs to the other area only.
    assert_infra_refusal(&app.get("/api/hosts?perPage=5").await, "perPage");
    // A name without a value is a name too.
    assert_infra_refusal(&app.get("/api/tenants?status=active&x").await, "x");
});

api_test!(ansible_lists_refuse_unknown_parameters, |app| {
    for list in ANSIBLE_LISTS {
        for (query, name) in [("region=eu", "region"), ("page=1&foo=bar", "foo")] {
            let reply = app.get(&format!("{list}?{query}")).await;
            // The known hosts are one unpaged list: `page` is as unknown to it as `foo`.
            let name = if list.ends_with("known-hosts") {
                query.split('=').next().unwrap()
            } else {
                name
            };
            assert_envelope_refusal(&reply, name);
        }
    }
    // Filters of one list are not filters of another.
    let reply = app.get("/api/inventories?type=Machine").await;
    assert_envelope_refusal(&reply, "type");
    let reply = app.get("/api/ai/conversations?search=x").await;
    assert_envelope_refusal(&reply, "search");
});

api_test!(other_gets_refuse_unknown_parameters_too, |app| {
    let host = app.create("/api/hosts", seed::host(json!(null))).await["id"].clone();
    let host = host.as_str().unwrap().to_owned();
    assert_infra_refusal(&app.get(&format!("/api/hosts/{host}?x=1")).await, "x");
    app.get(&format!("/api/hosts/{host}"))
        .await
        .assert_status(200);
    // The output of a job: playbookId and offset, nothing else (checked before the job is).
    let output = "/api/playbooks/jobs/job-0/output";
    let reply = app.get(&format!("{output}?playbookId=1&ofset=5")).await;
    assert_envelope_refusal(&reply, "ofset");
    let reply = app.get(&format!("{output}?playbookId=1&offset=5")).await;
    reply.assert_failure(404, "JOB_NOT_FOUND");
    let reply = app.get(&format!("{output}?playbook_id=1")).await;
    reply.assert_failure(404, "JOB_NOT_FOUND");
    // Other methods are as they were; the token is still checked first.
    let reply = app
        .send(TestRequest::get().uri("/api/hosts?region=eu"))
        .await;
    reply.assert_error(401, "UNAUTHORIZED");
    let reply = app
        .post("/api/ssh/test?foo=1", json!({"inventoryIds": []}))
        .await;
    reply.assert_status(200);
});

/// The query parameters the served description gives `GET path`.
fn documented(spec: &Value, path: &str) -> Vec<String> {
    spec["paths"][path]["get"]["parameters"]
        .as_array()
        .map(|params| {
            params
                .iter()
                .filter(|p| p["in"] == "query")
                .map(|p| p["name"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

api_test!(every_documented_parameter_is_still_accepted, |app| {
    let spec = app
        .send(TestRequest::get().uri("/api/openapi.json"))
        .await
        .body;
    // Each list with every parameter it documents, blank (a blank value counts as absent).
    for list in INFRA_LISTS.iter().chain(&ANSIBLE_LISTS) {
        let names = documented(&spec, list);
        let query: Vec<String> = names.iter().map(|n| format!("{n}=")).collect();
        let reply = app.get(&format!("{list}?{}", query.join("&"))).await;
        assert_eq!(
            reply.status.as_u16(),
            200,
            "{list} {names:?}: {}",
            reply.body
        );
        // A refusal is described too.
        assert!(
            spec["paths"][list]["get"]["responses"].get("422").is_some(),
            "{list}"
        );
    }
    // Hosts, with a value for every filter it documents, and both kinds of paging.
    let world = seed::world(&app).await;
    let names = documented(&spec, "/api/hosts");
    assert_eq!(names, ["page", "per_page", "after", "group_id", "status"]);
    let group = &world.group;
    let paged = format!("/api/hosts?page=1&per_page=5&group_id={group}&status=running");
    let reply = app.get(&paged).await;
    reply.assert_status(200);
    assert_eq!(reply.body["hosts"][0]["id"], world.host, "{}", reply.body);
    let keyset = "/api/hosts?after=00000000-0000-0000-0000-000000000000&status=running";
    let reply = app.get(keyset).await;
    assert_eq!(reply.body["hosts"].as_array().map(Vec::len), Some(1));
    // The Ansible area also takes the snake_case and camelCase spellings its lists read.
    for query in [
        "perPage=5",
        "per_page=5&status=queued&playbookId=1&inventoryId=1",
        "playbook_id=1&inventory_id=1&page=1",
    ] {
        let reply = app.get(&format!("/api/playbooks/jobs?{query}")).await;
        assert_eq!(reply.status.as_u16(), 200, "{query}: {}", reply.body);
    }
    let reply = app
        .get("/api/playbooks?search=x&type=Machine&status=Success&page=1&perPage=3")
        .await;
    reply.assert_status(200);
});
