//! The assistant's own threads (`HUB_LLM_CONCURRENCY`): a model that never answers holds at
//! most those threads and their line; the next message is 503 busy at once with nothing
//! stored, and store requests, which run on the blocking pool, stay fast.

use crate::ai_support::{AiSetup, Backend, FakeLlm, Reply};
use crate::ai_test;
use crate::support::{TestApp, state};
use actix_web::rt::task::JoinHandle;
use ai_assist::AssistSettings;
use control_hub::ai::ModelPool;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};
use store_diesel::{DatabaseUrl, DieselStore};

/// The test apps' `HUB_LLM_CONCURRENCY`.
const THREADS: usize = 2;
/// More messages than the blocking pool has threads (512): were the turns waiting on that
/// pool, the flood would hold every thread the store's calls need.
const FLOOD: usize = 600;
/// How long the model is waited for: the hanging calls end after this.
const MODEL_TIMEOUT: Duration = Duration::from_secs(3);
/// What "at once" means here, on a loaded machine.
const PROMPT: Duration = Duration::from_secs(1);

/// The app on a fresh store of `backend`, asking `llm` through a pool of [`THREADS`].
async fn pooled_app(backend: Backend, llm: &FakeLlm) -> Option<TestApp> {
    let (url, guard): (String, Box<dyn std::any::Any>) = match backend {
        Backend::Sqlite => {
            let file = hub_testkit::SqliteFile::create();
            (file.url.clone(), Box::new(file))
        }
        Backend::Postgres => {
            let db = hub_testkit::PgDatabase::create()?;
            (db.url.clone(), Box::new(db))
        }
    };
    let store = DieselStore::open(&DatabaseUrl::parse(&url).unwrap(), Some(8)).unwrap();
    let setup = AiSetup {
        timeout: MODEL_TIMEOUT,
        ..AiSetup::at(llm.base_url())
    };
    let mut state = state(&store);
    state.ai.assistant = control_hub::assistant_service(
        store.clone(),
        setup.model(),
        control_hub::syntax_check("ansible-playbook".into(), Duration::from_secs(60)),
        AssistSettings::default(),
    );
    state.ai.model_pool = Arc::new(ModelPool::new(THREADS));
    Some(TestApp::with_state(store, guard, state).await)
}

/// Asserts the 503 of a full pool.
#[track_caller]
fn assert_busy(reply: &crate::support::Reply) {
    reply.assert_failure(503, "AI_SERVICE_UNAVAILABLE");
    assert!(
        reply.failure_message().contains("busy") && reply.failure_message().contains("try again"),
        "{:?}",
        reply.body
    );
}

/// Waits until `done` holds, failing after `within`.
async fn eventually(within: Duration, what: &str, done: impl Fn() -> bool) {
    let until = Instant::now() + within;
    while !done() {
        assert!(Instant::now() < until, "{what}: not within {within:?}");
        actix_web::rt::time::sleep(Duration::from_millis(10)).await;
    }
}

ai_test!(a_hanging_model_holds_only_its_own_threads, |backend| {
    let llm = FakeLlm::start(Reply::Hang);
    let Some(app) = pooled_app(backend, &llm).await else {
        return;
    };
    let app = Rc::new(app);
    let in_line = THREADS * control_hub::ai::model_pool::QUEUE_PER_THREAD;
    let admitted = THREADS + in_line;

    // The hostile run: every message at once, against a model that never answers.
    let sent = Rc::new(std::cell::Cell::new(0));
    let flood: Vec<JoinHandle<crate::support::Reply>> = (0..FLOOD)
        .map(|n| {
            let (app, sent) = (Rc::clone(&app), Rc::clone(&sent));
            actix_web::rt::spawn(async move {
                sent.set(sent.get() + 1);
                app.ask(&format!("question {n}"), None).await
            })
        })
        .collect();
    eventually(Duration::from_secs(10), "the flood sent", || {
        sent.get() == FLOOD && llm.received().len() >= THREADS
    })
    .await;
    // Time for every message to reach its handler: on a server whose turns waited on the
    // blocking pool, its 512 threads would now all be waiting on the model.
    actix_web::rt::time::sleep(Duration::from_millis(200)).await;

    // A store read (on the blocking pool) is not held up by the model.
    let started = Instant::now();
    app.get("/api/hosts").await.assert_status(200);
    let took = started.elapsed();
    assert!(took < PROMPT, "GET /api/hosts took {took:?}");
    // Every message of the flood but those the pool took in was refused.
    eventually(PROMPT, "the refusals", || {
        flood.iter().filter(|h| h.is_finished()).count() >= FLOOD - admitted
    })
    .await;
    // The next message is refused at once.
    let started = Instant::now();
    assert_busy(&app.ask("one more", None).await);
    let took = started.elapsed();
    assert!(took < PROMPT, "the refusal took {took:?}");
    // Only the pool's threads asked the model; nothing is stored.
    assert_eq!(llm.received().len(), THREADS);
    assert_eq!(app.conversation_count().await, 0);

    // The turns in line are answered once the hanging calls time out.
    for _ in 0..in_line {
        llm.then(Reply::Answer("after the wait".into()));
    }
    let (mut busy, mut timed_out, mut answered) = (0, 0, 0);
    for handle in flood {
        let reply = handle.await.unwrap();
        match reply.status.as_u16() {
            200 => {
                assert_eq!(reply.body["data"]["aiResponse"]["text"], "after the wait");
                answered += 1;
            }
            _ if reply.failure_message().contains("busy") => {
                assert_busy(&reply);
                busy += 1;
            }
            _ => {
                reply.assert_failure(503, "AI_SERVICE_UNAVAILABLE");
                assert!(
                    reply.failure_message().contains("did not answer in time"),
                    "{:?}",
                    reply.body
                );
                timed_out += 1;
            }
        }
    }
    assert_eq!(
        (busy, timed_out, answered),
        (FLOOD - admitted, THREADS, in_line)
    );
    assert_eq!(app.conversation_count().await, in_line as u64);

    // The pool is free again: a new message is answered.
    llm.then(Reply::Answer("back to normal".into()));
    let reply = app.ask("and now?", None).await;
    reply.assert_status(200);
    assert_eq!(reply.body["data"]["aiResponse"]["text"], "back to normal");
    assert_eq!(llm.received().len(), admitted + 1);
    assert_eq!(app.conversation_count().await, in_line as u64 + 1);
    // Calls made from the pool's threads are counted as before.
    let scrape = app.get("/metrics").await;
    scrape.assert_status(200);
    for outcome in ["ok", "timeout"] {
        let series = format!("hub_llm_calls_total{{outcome=\"{outcome}\"}} ");
        assert!(
            scrape.text.lines().any(|l| l.starts_with(&series)),
            "{series} in {}",
            scrape.text
        );
    }
});

ai_test!(a_refused_message_leaves_its_conversation_alone, |backend| {
    let llm = FakeLlm::start(Reply::Hang);
    let Some(app) = pooled_app(backend, &llm).await else {
        return;
    };
    let app = Rc::new(app);
    let started = app
        .create("/api/ai/conversations", serde_json::json!({}))
        .await;
    let id = started["data"]["conversationId"]
        .as_str()
        .unwrap()
        .to_owned();
    let admitted = THREADS * (1 + control_hub::ai::model_pool::QUEUE_PER_THREAD);
    let held: Vec<JoinHandle<crate::support::Reply>> = (0..admitted)
        .map(|n| {
            let (app, id) = (Rc::clone(&app), id.clone());
            actix_web::rt::spawn(async move { app.ask(&format!("q{n}"), Some(&id)).await })
        })
        .collect();
    eventually(Duration::from_secs(10), "the model asked", || {
        llm.received().len() >= THREADS
    })
    .await;
    // Let every held message reach the pool.
    actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    let before = Instant::now();
    assert_busy(&app.ask("and this?", Some(&id)).await);
    assert!(before.elapsed() < PROMPT, "{:?}", before.elapsed());
    assert_eq!(
        app.stored_messages(&id).await,
        Vec::<serde_json::Value>::new()
    );
    // The held messages in line are answered once the hanging calls time out; the refused
    // one is not among the stored.
    let in_line = admitted - THREADS;
    for _ in 0..in_line {
        llm.then(Reply::Answer("answered".into()));
    }
    let mut answered = 0;
    for handle in held {
        let reply = handle.await.unwrap();
        if reply.status.as_u16() == 200 {
            answered += 1;
        } else {
            reply.assert_failure(503, "AI_SERVICE_UNAVAILABLE");
        }
    }
    assert_eq!(answered, in_line);
    let stored = app.stored_messages(&id).await;
    assert_eq!(stored.len(), 2 * in_line);
    assert!(
        stored.iter().all(|m| m["text"] != "and this?"),
        "{stored:?}"
    );
    assert_eq!(llm.received().len(), admitted);
});
