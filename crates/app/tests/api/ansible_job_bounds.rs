//! What job reads answer stays bounded whatever the jobs hold (issue 19): lists carry no
//! `extraVars` and no output, `extraVars` has a size limit, and a job's detail carries the
//! last 64 KiB of each playbook's output with where it starts, the rest a ranged read away.
//! Output comes from a runner of the test's own, so megabytes take no ansible run.

use crate::api_test;
use crate::support::TestApp;
use ansible_core::catalog::PlaybookId;
use ansible_core::jobs::{
    CancelToken, JobId, JobSettings, JobStatus, OutputSink, PlaybookResult, PlaybookRunner,
    PreparedRun, RunEnd, RunFailure, WorkerId,
};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use super::ansible_jobs::{ids, local_playbook};

const HELLO: &str = "name: Say hi\ndebug:\n  msg: hi";
/// The limit on `extraVars`, as compact JSON.
const VARS_LIMIT: usize = 64 * 1024;
/// How much of each output a job's detail carries.
const TAIL: usize = 64 * 1024;

/// `{"blob":"…"}` of exactly `bytes` bytes of JSON, the string of "é" (two bytes each) and
/// an "x" when the count is odd.
fn vars_of(bytes: usize) -> Value {
    let text = bytes - 11;
    json!({ "blob": "é".repeat(text / 2) + &"x".repeat(text % 2) })
}

async fn total(app: &TestApp) -> u64 {
    let reply = app.get("/api/playbooks/jobs").await;
    reply.assert_status(200);
    reply.body["data"]["pagination"]["total"].as_u64().unwrap()
}

api_test!(lists_are_summaries_whatever_the_extra_vars, |app| {
    let (inventory, playbook) = ids(&app, HELLO).await;
    let vars = json!({ "env": "prod", "blob": "v".repeat(60 * 1024) });
    for _ in 0..100 {
        app.post(
            "/api/playbooks/execute",
            json!({ "playbookIds": [playbook], "inventoryId": inventory, "extraVars": vars }),
        )
        .await
        .assert_status(202);
    }
    let page = app.get("/api/playbooks/jobs?per_page=100").await;
    page.assert_status(200);
    let items = page.body["data"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 100);
    // 100 × 60 KiB of variables stored; the page is about 300 bytes a job.
    assert!(
        page.text.len() < 64 * 1024,
        "a page of 100 summaries takes {} bytes",
        page.text.len()
    );
    for item in items {
        assert!(item.get("extraVars").is_none(), "{item}");
        assert_eq!(item["inventoryId"], inventory);
        assert_eq!(item["status"], "queued");
        assert!(item["createdAt"].is_string());
        assert!(item.get("startedAt").is_some() && item.get("completedAt").is_some());
        let run = &item["playbooks"][0];
        assert_eq!((&run["id"], &run["name"]), (&playbook, &json!("say hi")));
        assert_eq!(run["hostStats"], json!({}));
        for absent in ["output", "outputTruncated", "outputOffset"] {
            assert!(run.get(absent).is_none(), "{absent} in {run}");
        }
    }
    let one = items[0]["jobId"].as_str().unwrap();
    let job = app.get(&format!("/api/playbooks/jobs/{one}")).await;
    job.assert_status(200);
    assert_eq!(
        job.body["data"]["extraVars"], vars,
        "a job's own read has them"
    );
});

api_test!(extra_vars_past_64_kib_store_nothing, |app| {
    let (inventory, playbook) = ids(&app, HELLO).await;
    let execute = |vars: Value| {
        let app = &app;
        let body =
            json!({ "playbookIds": [playbook], "inventoryId": inventory, "extraVars": vars });
        async move { app.post("/api/playbooks/execute", body).await }
    };
    let most = execute(vars_of(VARS_LIMIT)).await;
    most.assert_status(202);
    // Bytes, not characters: one more byte is refused.
    for vars in [
        vars_of(VARS_LIMIT + 1),
        json!({ "blob": "x".repeat(1_000_000) }),
    ] {
        let refused = execute(vars).await;
        refused.assert_failure(422, "VALIDATION_ERROR");
        let message = refused.failure_message();
        assert!(
            message.starts_with("extraVars: must be at most 65536 bytes"),
            "{message}"
        );
    }
    assert_eq!(total(&app).await, 1, "only the job within the limit");
    let id = most.body["data"]["jobId"].as_str().unwrap();
    let job = app.get(&format!("/api/playbooks/jobs/{id}")).await;
    assert_eq!(job.body["data"]["extraVars"], vars_of(VARS_LIMIT));
});

/// Writes `output` in pieces of at most 64 KiB (on characters, as the real runner does)
/// for the playbook `big`, a line for any other, and exits 0.
struct Writer {
    big: PlaybookId,
    output: Arc<String>,
}

impl PlaybookRunner for Writer {
    fn run(
        &self,
        run: &PreparedRun,
        sink: &mut dyn OutputSink,
        _cancel: &dyn CancelToken,
    ) -> Result<PlaybookResult, RunFailure> {
        if run.playbook != self.big {
            sink.write("short\n");
            return Ok(PlaybookResult::default());
        }
        let mut rest = self.output.as_str();
        while !rest.is_empty() {
            let mut cut = rest.len().min(64 * 1024);
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            sink.write(&rest[..cut]);
            rest = &rest[cut..];
        }
        Ok(PlaybookResult::default())
    }

    fn runs_left_here(&self) -> Result<Vec<JobId>, RunFailure> {
        Ok(Vec::new())
    }

    fn end_strays(&self, _job: &JobId) -> Result<usize, RunFailure> {
        Ok(0)
    }
}

/// About 3 MiB of lines of one-, two-, three- and four-byte characters, whose last 64 KiB
/// start inside a character.
fn big_output() -> String {
    let mut out: String = (0..100_000)
        .map(|i| format!("{i:06} ok: [wéb-€-🦀]\n"))
        .collect();
    while out.is_char_boundary(out.len() - TAIL) {
        out.push('x');
    }
    out
}

api_test!(a_detail_carries_the_last_64_kib_of_each_output, |app| {
    let (inventory, big) = ids(&app, HELLO).await;
    let small = app
        .post("/api/playbooks", local_playbook("say more", HELLO))
        .await
        .body["data"]["id"]
        .clone();
    let queued = app
        .post(
            "/api/playbooks/execute",
            json!({ "playbookIds": [big, small], "inventoryId": inventory }),
        )
        .await;
    queued.assert_status(202);
    let id = queued.body["data"]["jobId"].as_str().unwrap().to_owned();
    let full = Arc::new(big_output());
    let runner = Writer {
        big: PlaybookId(big.as_i64().unwrap()),
        output: full.clone(),
    };
    let service =
        control_hub::job_service(app.store.clone(), Arc::new(runner), JobSettings::default());
    let report = service
        .run_one(&WorkerId::new("bounds").unwrap(), &AtomicBool::new(false))
        .unwrap()
        .expect("the queued job");
    assert_eq!(report.end, RunEnd::Ended(JobStatus::Completed));

    let path = format!("/api/playbooks/jobs/{id}");
    let detail = app.get(&path).await;
    detail.assert_status(200);
    // Two tails of at most 64 KiB, a newline each line escaped as two bytes.
    assert!(detail.text.len() < 2 * TAIL, "{} bytes", detail.text.len());
    let runs = detail.body["data"]["playbooks"].as_array().unwrap();
    let tail = runs[0]["output"].as_str().unwrap();
    let offset = runs[0]["outputOffset"].as_u64().unwrap() as usize;
    assert_eq!(runs[0]["outputTruncated"], true);
    // The cut at len − 64 KiB falls inside a character: the tail starts after it.
    assert!(tail.len() < TAIL && tail.len() > TAIL - 4, "{}", tail.len());
    assert_eq!(offset, full.len() - tail.len());
    assert_eq!(&full[offset..], tail);
    assert_eq!(
        (
            &runs[1]["output"],
            &runs[1]["outputTruncated"],
            &runs[1]["outputOffset"]
        ),
        (&json!("short\n"), &json!(false), &json!(0))
    );

    // The ranged read from the tail's offset gives the tail; from 0, what comes before it.
    let output = |from: usize| {
        let app = &app;
        let path = format!("{path}/output?playbookId={big}&offset={from}");
        async move { app.get(&path).await }
    };
    let same = output(offset).await;
    same.assert_status(200);
    assert_eq!(same.text, tail);
    let whole = output(0).await;
    assert_eq!(whole.header("X-Output-Complete"), Some("true"));
    assert_eq!(
        whole.header("X-Output-Offset"),
        Some(&*full.len().to_string())
    );
    assert_eq!(format!("{}{tail}", &whole.text[..offset]), *full);
});

/// Reports one `ok` for each of `hosts` hosts, as a run over a large inventory does.
struct ManyHosts {
    hosts: usize,
}

impl PlaybookRunner for ManyHosts {
    fn run(
        &self,
        _run: &PreparedRun,
        sink: &mut dyn OutputSink,
        _cancel: &dyn CancelToken,
    ) -> Result<PlaybookResult, RunFailure> {
        sink.write("many\n");
        let host_stats = (0..self.hosts)
            .map(|i| {
                let stats = ansible_core::jobs::HostStats {
                    ok: 1,
                    ..Default::default()
                };
                (format!("host-{i:05}"), stats)
            })
            .collect();
        Ok(PlaybookResult {
            exit_code: 0,
            host_stats,
        })
    }

    fn runs_left_here(&self) -> Result<Vec<JobId>, RunFailure> {
        Ok(Vec::new())
    }

    fn end_strays(&self, _job: &JobId) -> Result<usize, RunFailure> {
        Ok(0)
    }
}

api_test!(a_list_item_carries_the_stats_of_at_most_100_hosts, |app| {
    let (inventory, playbook) = ids(&app, HELLO).await;
    let queued = app
        .post(
            "/api/playbooks/execute",
            json!({ "playbookIds": [playbook], "inventoryId": inventory }),
        )
        .await;
    queued.assert_status(202);
    let id = queued.body["data"]["jobId"].as_str().unwrap().to_owned();
    let service = control_hub::job_service(
        app.store.clone(),
        Arc::new(ManyHosts { hosts: 250 }),
        JobSettings::default(),
    );
    service
        .run_one(&WorkerId::new("hosts").unwrap(), &AtomicBool::new(false))
        .unwrap()
        .expect("the queued job");

    let list = app.get("/api/playbooks/jobs").await;
    list.assert_status(200);
    let item = &list.body["data"]["items"][0]["playbooks"][0];
    let listed = item["hostStats"].as_object().unwrap();
    assert_eq!(listed.len(), 100, "{item}");
    assert!(listed.contains_key("host-00000") && listed.contains_key("host-00099"));
    assert_eq!(item["hostStatsTruncated"], true);
    // The job's own answer has them all.
    let detail = app.get(&format!("/api/playbooks/jobs/{id}")).await;
    let all = detail.body["data"]["playbooks"][0]["hostStats"]
        .as_object()
        .unwrap();
    assert_eq!(all.len(), 250);
});
