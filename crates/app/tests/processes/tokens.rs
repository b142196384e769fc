//! The token cache of a running server, with tokens made and revoked by `control-hub token`
//! as an operator would: a revoked token keeps working at most `HUB_TOKEN_CACHE_SECS` on
//! SQLite (no server hears of it), and stops at once on PostgreSQL, where the revocation is
//! announced to every server.

use crate::server::{Server, Setup};
use std::process::Command;
use std::time::{Duration, Instant};

/// `control-hub token ARGS…` on the server's data, its stdout.
fn token_command(setup: &Setup, args: &[&str]) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_control-hub"));
    cmd.arg("token")
        .args(args)
        .env("HUB_DATA_DIR", &setup.data_dir)
        .env_remove("HUB_DATABASE_URL")
        .env_remove("DATABASE_URL")
        .env_remove("HUB_API_TOKEN");
    if let Some(url) = &setup.database_url {
        cmd.env("HUB_DATABASE_URL", url);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The value of `field:` in `token create`'s output.
fn field(output: &str, name: &str) -> String {
    output
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")))
        .map(|v| v.trim().to_owned())
        .unwrap_or_else(|| panic!("no {name} in {output}"))
}

fn status_with(server: &Server, token: &str) -> u16 {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    agent
        .get(format!("{}/api/tenants", server.base))
        .header("Authorization", format!("Bearer {token}"))
        .call()
        .unwrap()
        .status()
        .as_u16()
}

/// Makes a token, uses it (so the server caches it), revokes it; returns the status of the
/// first request after the revocation, and how long after it the server first refused the
/// token (`None`: not within `within`).
fn refused_after_revocation(setup: &Setup, within: Duration) -> (u16, Option<Duration>) {
    let server = Server::start(setup, "tokens");
    let made = token_command(setup, &["create", "ci"]);
    let (id, secret) = (field(&made, "id"), field(&made, "token"));
    assert_eq!(status_with(&server, &secret), 200);
    token_command(setup, &["revoke", &id]);
    let revoked = Instant::now();
    // The first answer right after the revocation, then when the refusals began.
    let first = status_with(&server, &secret);
    let mut refused = (first == 401).then(|| revoked.elapsed());
    while refused.is_none() && revoked.elapsed() < within {
        std::thread::sleep(Duration::from_millis(50));
        if status_with(&server, &secret) == 401 {
            refused = Some(revoked.elapsed());
        }
    }
    (first, refused)
}

#[test]
fn on_sqlite_a_revoked_token_works_until_the_cache_expires() {
    let dir = tempfile::tempdir().unwrap();
    let setup = Setup::new(&dir.path().join("data"), None).with("HUB_TOKEN_CACHE_SECS", "5");
    let (first, refused) = refused_after_revocation(&setup, Duration::from_secs(15));
    // Cached: still accepted right after the revocation, refused within the bound.
    assert_eq!(first, 200, "the confirmed token was asked about again");
    let refused = refused.expect("refused once the cache expired");
    assert!(
        refused <= Duration::from_secs(6),
        "refused after {refused:?}"
    );
}

#[test]
fn on_postgres_a_revoked_token_stops_working_at_once() {
    let Some(db) = hub_testkit::PgDatabase::create() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // A cache far longer than the test: only the revocation notice can end it.
    let setup = Setup::new(&dir.path().join("data"), Some(db.url.clone()))
        .with("HUB_TOKEN_CACHE_SECS", "600");
    let (_, refused) = refused_after_revocation(&setup, Duration::from_secs(10));
    let refused = refused.expect("refused after the notice, long before the cache expires");
    assert!(
        refused < Duration::from_secs(2),
        "refused after {refused:?}"
    );
}

/// A one-shot command on PostgreSQL exits cleanly: its pool once kept a connect going in the
/// background, and a command exiting meanwhile crashed in OpenSSL's exit handlers (SIGSEGV,
/// about one run in twenty after its work was done). A hundred runs catch that nearly always.
#[test]
fn on_postgres_token_commands_exit_cleanly() {
    let Some(db) = hub_testkit::PgDatabase::create() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::set_permissions(&data, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    let setup = Setup::new(&data, Some(db.url.clone()));
    for n in 0..100 {
        let made = token_command(&setup, &["create", &format!("t{n}")]);
        assert!(made.contains("token: hub_"), "{made}");
    }
}
