//! Paging, the X-Total-Count and Link headers, and filters.

use crate::api_test;
use crate::support::seed;
use serde_json::json;

api_test!(pages_carry_total_and_links, |app| {
    for i in 0..5 {
        app.create(
            "/api/maintainers",
            seed::maintainer(&format!("m{i}@example.com")),
        )
        .await;
    }
    let reply = app.get("/api/maintainers?page=2&per_page=2").await;
    reply.assert_status(200);
    assert_eq!(reply.header("x-total-count"), Some("5"));
    let emails: Vec<&str> = reply
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, ["m2@example.com", "m3@example.com"]);
    let link = reply.header("link").unwrap();
    for (rel, page) in [("first", 1), ("prev", 1), ("next", 3), ("last", 3)] {
        assert!(
            link.contains(&format!("page={page}>; rel=\"{rel}\"")),
            "{rel} in {link}"
        );
    }
    assert!(link.contains("per_page=2"), "{link}");

    let last = app.get("/api/maintainers?page=3&per_page=2").await;
    assert_eq!(last.body.as_array().map(Vec::len), Some(1));
    assert!(!last.header("link").unwrap().contains("rel=\"next\""));
    let beyond = app.get("/api/maintainers?page=9&per_page=2").await;
    assert_eq!(
        (beyond.body.clone(), beyond.header("x-total-count")),
        (json!([]), Some("5"))
    );
    assert_eq!(
        app.get("/api/maintainers")
            .await
            .body
            .as_array()
            .map(Vec::len),
        Some(5)
    );
});

api_test!(
    keyset_pages_follow_the_next_link_through_every_host,
    |app| {
        let group = app.create("/api/host-groups", seed::host_group()).await["id"].clone();
        let mut ids = Vec::new();
        for i in 0..7 {
            let grouped = if i % 2 == 0 {
                group.clone()
            } else {
                json!(null)
            };
            let host = app.create("/api/hosts", seed::host(grouped)).await;
            ids.push(host["id"].as_str().unwrap().to_owned());
        }
        ids.sort();
        // Walk from a key below every id, following each page's rel="next".
        let mut path =
            "/api/hosts?per_page=3&after=00000000-0000-0000-0000-000000000000".to_owned();
        let mut seen = Vec::new();
        loop {
            let reply = app.get(&path).await;
            reply.assert_status(200);
            assert_eq!(reply.header("x-total-count"), Some("7"));
            let page: Vec<String> = reply.body["hosts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["id"].as_str().unwrap().to_owned())
                .collect();
            seen.extend(page);
            let link = reply.header("link").unwrap().to_owned();
            assert!(link.contains("rel=\"first\""), "{link}");
            let Some(next) = link
                .split(", ")
                .find(|l| l.ends_with("rel=\"next\""))
                .and_then(|l| l.strip_prefix('<'))
                .and_then(|l| l.split_once('>'))
                .map(|(url, _)| url.to_owned())
            else {
                break;
            };
            assert!(
                next.contains("per_page=3") && !next.contains("page=1&"),
                "{next}"
            );
            path = next;
            assert!(seen.len() <= 7, "the walk does not end: {seen:?}");
        }
        assert_eq!(seen, ids);
        // Filters hold across keyset pages, and the total is the filter's.
        let grouped = app
            .get(&format!("/api/hosts?group_id={group}&after={}", ids[0]))
            .await;
        assert_eq!(grouped.header("x-total-count"), Some("4"));
        let rows = grouped.body["hosts"].as_array().unwrap();
        assert!(!rows.is_empty());
        assert!(
            rows.iter()
                .all(|h| h["group_id"] == group && h["id"].as_str() > Some(ids[0].as_str())),
            "{rows:?}"
        );
        // Integer ids page the same way: nothing comes after the only group.
        let groups = app.get(&format!("/api/host-groups?after={group}")).await;
        groups.assert_status(200);
        assert_eq!(groups.header("x-total-count"), Some("1"));
        assert_eq!(groups.body["host_groups"], json!([]));
    }
);

api_test!(bad_keyset_keys_are_422_and_store_nothing, |app| {
    for query in [
        "after=not-an-id",
        "after=0190f0aa00007000800000000000b0b0",
        "after=1",
        "after=00000000-0000-0000-0000-000000000000&page=2",
    ] {
        let reply = app.get(&format!("/api/hosts?{query}")).await;
        reply.assert_error(422, "VALIDATION_ERROR");
        assert!(
            reply.message().starts_with("after"),
            "{query}: {}",
            reply.message()
        );
    }
    for query in [
        "after=+1",
        "after=x",
        "after=0190f0aa-0000-7000-8000-00000000b0b0",
    ] {
        app.get(&format!("/api/tenants?{query}"))
            .await
            .assert_error(422, "VALIDATION_ERROR");
    }
    for query in ["after=-5", "after=01"] {
        app.get(&format!("/api/tenants?{query}"))
            .await
            .assert_error(422, "VALIDATION_ERROR");
    }
    app.get("/api/tenants?after=0").await.assert_status(200);
});

api_test!(bad_paging_parameters_are_422, |app| {
    for query in [
        "page=0",
        "page=-1",
        "page=abc",
        "per_page=0",
        "per_page=1001",
        "per_page=x",
    ] {
        let reply = app.get(&format!("/api/hosts?{query}")).await;
        reply.assert_error(422, "VALIDATION_ERROR");
        let field = query.split('=').next().unwrap();
        assert!(
            reply.message().starts_with(field),
            "{query}: {}",
            reply.message()
        );
    }
    app.get("/api/hosts?per_page=1000").await.assert_status(200);
});

api_test!(lists_filter_by_reference_fields_and_status, |app| {
    let w = seed::world(&app).await;
    let other_group = app
        .create("/api/host-groups", json!({ "name": "G2" }))
        .await["id"]
        .clone();
    let mut elsewhere = seed::host(other_group.clone());
    elsewhere["status"] = json!("maintenance");
    let elsewhere = app.create("/api/hosts", elsewhere).await["id"].clone();
    let listed = app.get(&format!("/api/hosts?group_id={}", w.group)).await;
    assert_eq!(
        listed.body["hosts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].clone())
            .collect::<Vec<_>>(),
        vec![w.host.clone()]
    );
    let listed = app.get("/api/hosts?status=maintenance").await;
    assert_eq!(listed.body["hosts"][0]["id"], elsewhere);
    assert_eq!(listed.header("x-total-count"), Some("1"));
    assert_eq!(
        app.count(&format!("/api/hosts?group_id={other_group}&status=running"))
            .await,
        0
    );

    let other_tenant = app.create("/api/tenants", json!({ "name": "B" })).await["id"].clone();
    app.create(
        "/api/host-group-tenant-quotas",
        seed::quota(&other_group, &other_tenant),
    )
    .await;
    app.create(
        "/api/virtual-machines",
        seed::vm(&w.tenant, &w.host, &w.spec, &w.cluster),
    )
    .await;
    app.create(
        "/api/virtual-machines",
        seed::vm(&other_tenant, &elsewhere, &w.spec, &serde_json::Value::Null),
    )
    .await;
    assert_eq!(
        app.count(&format!("/api/virtual-machines?tenant_id={}", w.tenant))
            .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "/api/virtual-machines?host_id={}",
            elsewhere.as_str().unwrap()
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "/api/virtual-machines?k8s_cluster_id={}",
            w.cluster.as_str().unwrap()
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "/api/virtual-machines?specification_id={}",
            w.spec.as_str().unwrap()
        ))
        .await,
        2
    );
    assert_eq!(app.count("/api/virtual-machines?status=creating").await, 2);
    assert_eq!(
        app.count(&format!("/api/k8s-clusters?tenant_id={other_tenant}"))
            .await,
        0
    );
    assert_eq!(
        app.count(&format!(
            "/api/host-group-tenant-quotas?tenant_id={}",
            w.tenant
        ))
        .await,
        1
    );
});

api_test!(bad_filter_values_are_422, |app| {
    for query in [
        "/api/hosts?status=up",
        "/api/hosts?group_id=x",
        "/api/virtual-machines?host_id=x",
        "/api/maintainers?status=on",
        "/api/resource-maintainers?resource_type=Server",
    ] {
        app.get(query).await.assert_error(422, "VALIDATION_ERROR");
    }
});
