//! The `control-hub` binary: `serve` (default), `migrate`, `openapi`, `doctor`,
//! `token create|list|revoke`, `secrets rotate`.

use clap::Parser;
use control_hub::auth::{TokenStore, generate_token, hash_token};
use control_hub::config::{Cli, Command, DoctorArgs, SecretsAction, Settings, TokenAction};
use control_hub::serve::{open_store, serve};
use std::process::ExitCode;

/// jemalloc rather than glibc's malloc: after a burst of buffers on many threads (followers
/// of a job's events, job details read in parallel) glibc's arenas kept the memory, and
/// jemalloc's background thread returns freed pages to the system after its decay time
/// (docs/security.md has the measurements, mimalloc's too).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[actix_web::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logs(&cli.settings.log_format);
    let result = match cli.settings.resolved() {
        Ok(settings) => run(settings, cli.command.unwrap_or(Command::Serve)).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// One command, with its settings resolved (every path absolute).
async fn run(settings: Settings, command: Command) -> Result<(), String> {
    match command {
        Command::Serve => serve(settings).await,
        Command::Migrate => open_store(&settings).map(|_| tracing::info!("migrations applied")),
        Command::Openapi => print_openapi(),
        Command::Doctor(args) => doctor(settings, args).await,
        Command::Secrets {
            action: SecretsAction::Rotate,
        } => rotate(&settings),
        Command::Token { action } => open_store(&settings).and_then(|store| token(&store, action)),
    }
}

/// Logs on stderr, `info` unless `RUST_LOG` says otherwise: text, or one JSON object per
/// line whose fields (request id, route, status, latency, job) sit at the top level.
fn init_logs(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if format == "json" {
        logs.json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .init();
    } else {
        logs.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init();
    }
}

/// Re-seals every stored secret with a new key. With a key file: the new key is written
/// beside it first and replaces it after the commit. With HUB_SECRET_KEY: the new key is
/// printed once, for the operator to set before the next start.
#[allow(clippy::print_stdout)]
fn rotate(settings: &Settings) -> Result<(), String> {
    use control_hub::secret_key::{self, KeySource};
    let store = open_store(settings)?;
    let (_, source) = secret_key::load_or_create(settings)?;
    let new = store_diesel::secrets::SecretKey::generate();
    if let KeySource::File(_) = source {
        secret_key::write_pending(settings, &new)?;
    }
    let rows = store.rotate_secret_key(&new).map_err(|e| e.to_string())?;
    match source {
        KeySource::File(path) => {
            secret_key::promote_pending(settings)?;
            println!(
                "re-sealed {rows} inventory config(s); the new key is in {}",
                path.display()
            );
        }
        KeySource::Environment => println!(
            "re-sealed {rows} inventory config(s). Set HUB_SECRET_KEY to this key before the next start:\n{}",
            new.encode()
        ),
    }
    Ok(())
}

/// The doctor's report on stdout; fails when a required piece does, or the SSH probe
/// asked for.
#[allow(clippy::print_stdout)]
async fn doctor(settings: Settings, args: DoctorArgs) -> Result<(), String> {
    use control_hub::doctor::{Options, SshRequest};
    let options = Options {
        play: true,
        ssh: args
            .ssh_host
            .map(|host| SshRequest::from_env(host, args.ssh_key)),
    };
    let checks =
        actix_web::rt::task::spawn_blocking(move || control_hub::doctor::run(&settings, &options))
            .await
            .map_err(|e| e.to_string())?;
    for check in &checks {
        println!("{}", check.line());
    }
    match checks.iter().filter(|c| c.failed_check()).count() {
        0 => Ok(()),
        n => Err(format!("{n} check(s) failed")),
    }
}

/// The API's description on stdout; it needs no store.
#[allow(clippy::print_stdout)]
fn print_openapi() -> Result<(), String> {
    let spec = control_hub::openapi_document::<store_diesel::DieselStore>();
    println!("{}", spec.to_pretty_json().map_err(|e| e.to_string())?);
    Ok(())
}

/// Token administration. Output goes to stdout: the new token is shown exactly once.
#[allow(clippy::print_stdout)]
fn token(store: &dyn TokenStore, action: TokenAction) -> Result<(), String> {
    match action {
        TokenAction::Create { name } => {
            let secret = generate_token();
            let info = store
                .insert(&name, &hash_token(&secret))
                .map_err(|e| e.to_string())?;
            println!(
                "id:    {}\nname:  {}\ntoken: {secret}\n(store the token now; it is not shown again)",
                info.id, info.name
            );
        }
        TokenAction::List => {
            for t in store.list().map_err(|e| e.to_string())? {
                println!("{}\t{}\t{}", t.id, t.name, t.created_at.to_rfc3339());
            }
        }
        TokenAction::Revoke { id } => {
            if !store.revoke(&id).map_err(|e| e.to_string())? {
                return Err(format!("no token with id {id}"));
            }
            println!("revoked {id}");
        }
    }
    Ok(())
}
