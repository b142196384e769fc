//! `GET /metrics`: Prometheus text that a strict reader accepts, with the series of
//! requests, jobs, the pool and the build, and labels that no request can add to.

use crate::api_test;
use crate::prom_text::{Sample, parse};
use crate::support::{TestApp, seed};
use actix_web::test::TestRequest;
use serde_json::json;

/// Scrapes with the token and parses the answer.
async fn scrape(app: &TestApp) -> Vec<Sample> {
    let reply = app.get("/metrics").await;
    assert_eq!(reply.status.as_u16(), 200, "{}", reply.text);
    assert!(
        reply
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/plain")),
        "{:?}",
        reply.headers
    );
    let exposition = parse(&reply.text).unwrap_or_else(|e| panic!("{e}:\n{}", reply.text));
    for (family, kind) in [
        ("hub_http_requests_total", "counter"),
        ("hub_http_request_duration_seconds", "histogram"),
        ("hub_jobs", "gauge"),
    ] {
        assert_eq!(
            exposition.types.get(family).map(String::as_str),
            Some(kind),
            "{family}"
        );
    }
    exposition.samples
}

fn find<'a>(samples: &'a [Sample], name: &str, labels: &[(&str, &str)]) -> Option<&'a Sample> {
    samples.iter().find(|s| {
        s.name == name
            && labels
                .iter()
                .all(|(k, v)| s.labels.get(*k).map(String::as_str) == Some(*v))
    })
}

fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> f64 {
    find(samples, name, labels)
        .unwrap_or_else(|| panic!("no {name}{labels:?}"))
        .value
}

/// Every label value of every series but the histogram's bucket bounds.
fn label_values(samples: &[Sample]) -> Vec<String> {
    let mut values: Vec<String> = samples
        .iter()
        .flat_map(|s| s.labels.iter().filter(|(k, _)| *k != "le"))
        .map(|(_, v)| v.clone())
        .collect();
    values.sort();
    values.dedup();
    values
}

api_test!(metrics_count_requests_by_route_template, |app| {
    let world = seed::world(&app).await;
    let host = world.host.as_str().unwrap().to_owned();
    app.get(&format!("/api/hosts/{host}"))
        .await
        .assert_status(200);
    let samples = scrape(&app).await;
    let served = [
        ("route", "/api/hosts/{id}"),
        ("method", "GET"),
        ("status", "200"),
    ];
    assert!(value(&samples, "hub_http_requests_total", &served) >= 1.0);
    // The latency histogram of the same route, with its buckets, sum and count.
    let timed = &served[..2];
    assert!(value(&samples, "hub_http_request_duration_seconds_count", timed) >= 1.0);
    assert!(value(&samples, "hub_http_request_duration_seconds_sum", timed) > 0.0);
    let inf = [timed[0], timed[1], ("le", "+Inf")];
    assert!(value(&samples, "hub_http_request_duration_seconds_bucket", &inf) >= 1.0);
    assert!(
        label_values(&samples).iter().all(|v| !v.contains(&host)),
        "an id became a label"
    );
    let version = [("version", env!("CARGO_PKG_VERSION"))];
    assert_eq!(value(&samples, "hub_build_info", &version), 1.0);
    for state in ["in_use", "idle"] {
        assert!(value(&samples, "hub_store_pool_connections", &[("state", state)]) >= 0.0);
    }
    for status in ["queued", "running", "completed", "failed", "canceled"] {
        assert!(value(&samples, "hub_jobs", &[("status", status)]) >= 0.0);
    }
    assert!(value(&samples, "hub_job_queue_depth", &[]) >= 0.0);
    assert!(value(&samples, "hub_job_oldest_queued_age_seconds", &[]) >= 0.0);
});

api_test!(unmatched_paths_add_no_label_values, |app| {
    let random = uuid::Uuid::now_v7().simple().to_string();
    app.get(&format!("/api/{random}")).await.assert_status(404);
    app.get(&format!("/{random}/x")).await.assert_status(404);
    // A method of the client's own invention.
    let odd = actix_web::http::Method::from_bytes(random.to_uppercase().as_bytes()).unwrap();
    app.send(TestRequest::default().method(odd).uri("/api/hosts"))
        .await;
    let samples = scrape(&app).await;
    let values = label_values(&samples);
    assert!(
        values.iter().all(|v| !v.to_lowercase().contains(&random)),
        "{values:?}"
    );
    let methods = [
        "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "other",
    ];
    for sample in samples.iter().filter(|s| s.name.starts_with("hub_http_")) {
        let method = sample.labels.get("method").map(String::as_str);
        assert!(methods.contains(&method.unwrap_or_default()), "{sample:?}");
        let route = sample
            .labels
            .get("route")
            .map(String::as_str)
            .unwrap_or_default();
        assert!(route == "unmatched" || route.starts_with('/'), "{sample:?}");
    }
    let unmatched = [("route", "unmatched"), ("method", "GET"), ("status", "404")];
    assert!(find(&samples, "hub_http_requests_total", &unmatched).is_some());
    assert!(find(&samples, "hub_http_requests_total", &[("method", "other")]).is_some());
});

api_test!(metrics_need_the_token, |app| {
    let reply = app.send(TestRequest::get().uri("/metrics")).await;
    assert_eq!(reply.status.as_u16(), 401, "{}", reply.text);
    let wrong = TestRequest::get()
        .uri("/metrics")
        .insert_header(("Authorization", "Bearer wrong-token"));
    assert_eq!(app.send(wrong).await.status.as_u16(), 401);
});

api_test!(a_job_shows_in_the_job_metrics, |app| {
    let Some(_workers) = app.workers() else {
        return;
    };
    let (inventory, playbook) =
        crate::ansible_jobs::ids(&app, "name: Say hi\ndebug:\n  msg: hi").await;
    let queued = app
        .post(
            "/api/playbooks/execute",
            json!({ "playbookIds": [playbook], "inventoryId": inventory }),
        )
        .await;
    queued.assert_status(202);
    let job = queued.body["data"]["jobId"].as_str().unwrap().to_owned();
    let done = app
        .wait_job(&job, 120, |j| {
            j["status"] == "completed" || j["status"] == "failed"
        })
        .await;
    assert_eq!(done["status"], "completed", "{done}");
    let samples = scrape(&app).await;
    assert!(value(&samples, "hub_jobs", &[("status", "completed")]) >= 1.0);
    let completed = [("status", "completed")];
    assert!(value(&samples, "hub_job_duration_seconds_count", &completed) >= 1.0);
    assert!(
        label_values(&samples).iter().all(|v| !v.contains(&job)),
        "a job id became a label"
    );
});
