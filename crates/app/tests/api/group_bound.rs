//! A host group holds at most 2^53 − 1 of each resource in all, so that every figure the API
//! derives from it reads exactly in a JSON client: a write that would grow a group past it is
//! `422 VALIDATION_ERROR` naming the field and the bound, and stores nothing; simultaneous
//! writes are counted one after the other.

use crate::api_test;
use crate::support::{TestApp, seed};
use serde_json::{Value, json};

const MAX: i64 = (1 << 53) - 1;

fn host(group: &Value, cpu: i64, memory: i64) -> Value {
    let mut body = seed::host(group.clone());
    body["total_cpu"] = json!(cpu);
    body["available_cpu"] = json!(cpu);
    body["total_memory"] = json!(memory);
    body["available_memory"] = json!(memory);
    body
}

async fn hosts_in(app: &TestApp, group: &Value) -> u64 {
    app.count(&format!("/api/hosts?group_id={group}")).await
}

api_test!(a_group_past_the_bound_is_422_and_stores_nothing, |app| {
    let group = app.create("/api/host-groups", seed::host_group()).await["id"].clone();
    app.create("/api/hosts", host(&group, MAX, 1000)).await;

    let refused = app.post("/api/hosts", host(&group, 1, 1000)).await;
    refused.assert_error(422, "VALIDATION_ERROR");
    assert_eq!(
        refused.message(),
        format!(
            "total_cpu: host group {group} would hold more than {MAX} cores in all (its other hosts hold {MAX} cores)"
        )
    );
    app.post("/api/hosts", host(&group, 0, MAX))
        .await
        .assert_error(422, "VALIDATION_ERROR");
    assert_eq!(hosts_in(&app, &group).await, 1);

    // A host outside the group may hold the bound; it may not bring it into the group.
    let loose = app.create("/api/hosts", host(&Value::Null, MAX, 1)).await;
    let path = format!("/api/hosts/{}", loose["id"].as_str().unwrap());
    let moved = app.put(&path, host(&group, MAX, 1)).await;
    moved.assert_error(422, "VALIDATION_ERROR");
    assert!(
        moved.message().starts_with("total_cpu: "),
        "{}",
        moved.message()
    );
    assert_eq!(app.get(&path).await.body, loose);
    assert_eq!(hosts_in(&app, &group).await, 1);
});

api_test!(
    simultaneous_hosts_never_push_a_group_past_the_bound,
    |app| {
        let group = app.create("/api/host-groups", seed::host_group()).await["id"].clone();
        // A quarter of the bound each: 4 of 16 fit.
        let quarter = MAX / 4;
        let replies = futures_util::future::join_all(
            (0..16).map(|_| app.post("/api/hosts", host(&group, quarter, 1))),
        )
        .await;
        let created = replies.iter().filter(|r| r.status.as_u16() == 201).count();
        let refused = replies
            .iter()
            .filter(|r| r.status.as_u16() == 422 && r.body["code"] == "VALIDATION_ERROR")
            .count();
        assert_eq!((created, refused), (4, 12));
        assert_eq!(hosts_in(&app, &group).await, 4);
    }
);
