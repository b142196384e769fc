//! The Swagger UI page, as a person sees it: the real server on a loopback port, headless
//! Chromium renders `/api/docs/`, and the rendered page must list the API's operations.
//! Where Chromium is missing the test skips loudly; `HUB_REQUIRE_BROWSER=1` makes that a failure.

use actix_web::HttpServer;
use control_hub::build_app;
use std::net::TcpListener;
use std::process::Command;
use store_diesel::{DatabaseUrl, DieselStore};

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|bin| {
            Command::new(bin)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// Runs the browser on `url` with `mode` (`--dump-dom`, `--screenshot=…`), off the test's
/// async thread so that the server it talks to keeps serving.
async fn browse(bin: &'static str, mode: String, url: String) -> std::process::Output {
    actix_web::rt::task::spawn_blocking(move || {
        Command::new(bin)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--window-size=1280,2400",
                // Scripts run until the page is idle (at most 20 s of virtual time).
                "--virtual-time-budget=20000",
                &mode,
                &url,
            ])
            .output()
            .expect("chromium runs")
    })
    .await
    .expect("browser thread")
}

#[actix_web::test]
async fn swagger_ui_renders_the_operations() {
    let Some(bin) = chromium() else {
        hub_testkit::unavailable("HUB_REQUIRE_BROWSER", "chromium", "not on PATH");
        return;
    };
    let file = hub_testkit::SqliteFile::create();
    let store = DieselStore::open(&DatabaseUrl::parse(&file.url).unwrap(), Some(4)).unwrap();
    let state = control_hub::AppState {
        cors_origins: Vec::new(),
        ..crate::support::state(&store)
    };
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = HttpServer::new(move || build_app(state.clone()))
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
    let handle = server.handle();
    actix_web::rt::spawn(server);
    let url = format!("http://127.0.0.1:{port}/api/docs/");

    let dom = browse(bin, "--dump-dom".to_owned(), url.clone()).await;
    let html = String::from_utf8_lossy(&dom.stdout);
    let shot = tempfile::Builder::new().suffix(".png").tempfile().unwrap();
    let shot_path = shot.path().display().to_string();
    let picture = browse(bin, format!("--screenshot={shot_path}"), url).await;
    handle.stop(true).await;

    // Swagger UI drew one block per operation from the served description.
    let blocks = html.matches("opblock-summary-path").count();
    assert!(
        blocks >= 60,
        "{blocks} operations rendered; page: {html:.2000}"
    );
    for expected in ["/api/hosts/{id}", "/api/playbooks/{id}/yaml", "control-hub"] {
        assert!(html.contains(expected), "{expected} not on the page");
    }
    let png = std::fs::read(shot.path()).unwrap_or_default();
    assert!(
        picture.status.success() && png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "screenshot: {} bytes, {}",
        png.len(),
        String::from_utf8_lossy(&picture.stderr)
    );
    if let Ok(dir) = std::env::var("HUB_SCREENSHOT_DIR") {
        let _ = std::fs::copy(shot.path(), format!("{dir}/api-docs.png"));
    }
}
