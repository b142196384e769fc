//! Settings from flags or the environment (DESIGN.md §2), and the command line.

mod resolve;

use crate::ai::Timezone;
use ai_assist::{AssistSettings, ChatModel};
use ansible_cli::AnsibleCliConfig;
use ansible_core::connectivity::ProbeDefaults;
use ansible_core::jobs::JobSettings;
use chrono::TimeDelta;
use clap::{Args, Parser, Subcommand};
use llm_http::{ApiKey, LlmHttpConfig, OpenAiChatModel, UnconfiguredChatModel};
use std::path::PathBuf;
use std::sync::Arc;
use store_diesel::DatabaseUrl;

#[derive(Debug, Parser)]
#[command(
    name = "control-hub",
    version,
    about = "Private-cloud inventory and Ansible control hub"
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI 3.1 description of the API (JSON) and exit.
    Openapi,
    /// Check every piece the server needs, one line each; non-zero exit when one fails.
    Doctor(DoctorArgs),
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Manage the key that seals inventory secrets at rest.
    Secrets {
        #[command(subcommand)]
        action: SecretsAction,
    },
}

/// What `doctor` checks beyond the server's own pieces.
#[derive(Debug, Clone, Default, Args)]
pub struct DoctorArgs {
    /// Also log in to this host over SSH as a connectivity test does (user default
    /// HUB_SSH_DEFAULT_USER, port 22). A password is read from HUB_DOCTOR_SSH_PASSWORD,
    /// never from the command line; the host key seen is shown, never stored or trusted.
    #[arg(long, value_name = "[USER@]HOST[:PORT]")]
    pub ssh_host: Option<String>,
    /// The private key file to log in with (its passphrase, if any, from
    /// HUB_DOCTOR_SSH_KEY_PASSPHRASE).
    #[arg(long, value_name = "FILE", requires = "ssh_host")]
    pub ssh_key: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum SecretsAction {
    /// Re-seal every stored secret with a new key, in one transaction (stop every server
    /// on the database first, start them after).
    Rotate,
}

#[derive(Debug, Subcommand)]
pub enum TokenAction {
    /// Create a token and print it once.
    Create { name: String },
    /// List tokens (ids and names, never secrets).
    List,
    /// Revoke a token by id.
    Revoke { id: String },
}

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Listen address: HOST:PORT, with an IP address or a host name.
    #[arg(
        long,
        env = "HUB_BIND",
        default_value = "127.0.0.1:8000",
        value_parser = resolve::parse_bind,
        global = true
    )]
    pub bind: String,
    /// Directory of the SQLite file and the first-run token file.
    #[arg(long, env = "HUB_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,
    /// postgres://… selects PostgreSQL; default sqlite://$HUB_DATA_DIR/control-hub.db.
    #[arg(long, env = "HUB_DATABASE_URL", hide_env_values = true, global = true)]
    pub database_url: Option<String>,
    /// The key inventory secrets are sealed with (64 hex digits or base64 of 32 bytes);
    /// default: $HUB_DATA_DIR/secret-key, created on first start.
    #[arg(long, env = "HUB_SECRET_KEY", hide_env_values = true, global = true)]
    pub secret_key: Option<String>,
    /// One more accepted bearer token.
    #[arg(long, env = "HUB_API_TOKEN", hide_env_values = true, global = true)]
    pub api_token: Option<String>,
    /// Comma-separated origins allowed by CORS.
    #[arg(
        long,
        env = "HUB_CORS_ORIGINS",
        default_value = "http://localhost:5173",
        global = true
    )]
    pub cors_origins: String,
    /// The server's public origin (e.g. https://hub.example.com), for absolute links.
    #[arg(long, env = "HUB_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// Comma-separated proxy addresses or CIDRs whose X-Forwarded-Proto/-Host are trusted.
    #[arg(long, env = "HUB_TRUSTED_PROXIES", global = true)]
    pub trusted_proxies: Option<String>,
    /// Seconds a call waits for a database connection before answering 503.
    #[arg(
        long,
        env = "HUB_DB_CONNECT_TIMEOUT_SECS",
        default_value_t = 2,
        global = true
    )]
    pub db_connect_timeout_secs: u64,
    /// Connections in the database pool; default four per core, within 4..=32.
    #[arg(long, env = "HUB_DB_POOL_SIZE", global = true)]
    pub db_pool_size: Option<u32>,
    /// Seconds a confirmed API token is trusted without asking the database; a token revoked
    /// on another server stops working within this (at once on PostgreSQL); 0: always ask.
    #[arg(
        long,
        env = "HUB_TOKEN_CACHE_SECS",
        default_value_t = 30,
        global = true
    )]
    pub token_cache_secs: u64,
    /// Seconds a request's headers and body may take to arrive (then 408).
    #[arg(
        long,
        env = "HUB_REQUEST_TIMEOUT_SECS",
        default_value_t = 30,
        global = true
    )]
    pub request_timeout_secs: u64,
    /// The ansible-playbook jobs run: a path, or a name looked up on PATH.
    #[arg(
        long,
        env = "HUB_ANSIBLE_PLAYBOOK",
        default_value = "ansible-playbook",
        global = true
    )]
    pub ansible_playbook: PathBuf,
    /// How many jobs this server runs at once.
    #[arg(long, env = "HUB_JOB_WORKERS", default_value_t = 2, global = true)]
    pub job_workers: usize,
    /// The longest a job may run, all its playbooks together, in seconds.
    #[arg(
        long,
        env = "HUB_JOB_TIMEOUT_SECS",
        default_value_t = 3600,
        global = true
    )]
    pub job_timeout_secs: u64,
    /// The most output kept per playbook of a job, in bytes.
    #[arg(
        long,
        env = "HUB_JOB_OUTPUT_MAX_BYTES",
        default_value_t = 8 * 1024 * 1024,
        global = true
    )]
    pub job_output_max_bytes: u64,
    /// How long a worker's claim on a running job holds without renewal, in seconds.
    #[arg(long, env = "HUB_JOB_LEASE_SECS", default_value_t = 30, global = true)]
    pub job_lease_secs: u64,
    /// Keep each run's directory (it holds the inventory's passwords) for debugging.
    #[arg(
        long,
        env = "HUB_KEEP_JOB_DIRS",
        default_value_t = false,
        global = true
    )]
    pub keep_job_dirs: bool,
    /// The OpenAI-compatible API of the AI assistant's model, before `/chat/completions`
    /// (e.g. http://127.0.0.1:11434/v1); unset: the assistant answers 503.
    #[arg(long, env = "HUB_LLM_BASE_URL", global = true)]
    pub llm_base_url: Option<String>,
    /// The model to ask (the request's `model`).
    #[arg(long, env = "HUB_LLM_MODEL", global = true)]
    pub llm_model: Option<String>,
    /// Sent as `Authorization: Bearer`; never logged.
    #[arg(long, env = "HUB_LLM_API_KEY", hide_env_values = true, global = true)]
    pub llm_api_key: Option<String>,
    /// The longest one model call may take, its one retry included, in seconds.
    #[arg(
        long,
        env = "HUB_LLM_TIMEOUT_SECS",
        default_value_t = 60,
        global = true
    )]
    pub llm_timeout_secs: u64,
    /// The most tokens one model answer may have (the request's `max_tokens`), so that no
    /// call makes the model generate until its context is full.
    #[arg(
        long,
        env = "HUB_LLM_MAX_TOKENS",
        default_value_t = llm_http::DEFAULT_MAX_TOKENS,
        value_parser = clap::value_parser!(u32).range(1..=1_000_000),
        global = true
    )]
    pub llm_max_tokens: u32,
    /// How many messages wait on the model at once (threads apart from the store's); twice
    /// as many more wait in line, and past that a message is refused at once (503).
    #[arg(
        long,
        env = "HUB_LLM_CONCURRENCY",
        default_value_t = 4,
        value_parser = clap::value_parser!(u8).range(1..=64),
        global = true
    )]
    pub llm_concurrency: u8,
    /// What the prompt may hold, in characters; older turns are left out to fit.
    #[arg(
        long,
        env = "HUB_LLM_CONTEXT_CHARS",
        default_value_t = ai_assist::DEFAULT_CONTEXT_CHARS,
        global = true
    )]
    pub llm_context_chars: usize,
    /// The zone of each AI message's `time`: UTC or an offset such as +08:00.
    #[arg(long, env = "HUB_TIMEZONE", default_value = "UTC", global = true)]
    pub timezone: String,
    /// The most an SSH connectivity test may spend on one host (connect, handshake and
    /// authentication), in seconds.
    #[arg(long, env = "HUB_SSH_TIMEOUT_SECS", default_value_t = 5, global = true)]
    pub ssh_timeout_secs: u64,
    /// How many hosts SSH tests probe at once, across all requests (threads of their own).
    #[arg(long, env = "HUB_SSH_CONCURRENCY", default_value_t = 64, global = true)]
    pub ssh_concurrency: usize,
    /// The SSH user for hosts whose inventory names none (`ansible_user`).
    #[arg(
        long,
        env = "HUB_SSH_DEFAULT_USER",
        default_value = "root",
        global = true
    )]
    pub ssh_default_user: String,
    #[command(flatten)]
    pub ssh_test: crate::ssh_pool::SshTestSettings,
    /// Serve `GET /metrics` without a token on this address of its own (e.g.
    /// 127.0.0.1:9100); unset: only on the API's address, behind the token.
    #[arg(long, env = "HUB_METRICS_BIND", global = true)]
    pub metrics_bind: Option<String>,
    /// Log lines as `text` (for people) or `json` (one object per line, for collectors).
    #[arg(
        long,
        env = "HUB_LOG_FORMAT",
        default_value = "text",
        value_parser = ["text", "json"],
        global = true
    )]
    pub log_format: String,
}

impl Settings {
    /// `HUB_DATABASE_URL`, else `DATABASE_URL`, else the SQLite file in the data directory.
    pub fn database_url(&self) -> Result<DatabaseUrl, String> {
        let url = self
            .database_url
            .clone()
            .or_else(|| std::env::var("DATABASE_URL").ok())
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| {
                format!(
                    "sqlite://{}",
                    self.data_dir.join("control-hub.db").display()
                )
            });
        DatabaseUrl::parse(&url)
    }

    pub fn links(&self) -> Result<crate::http::public_url::LinkBase, String> {
        crate::http::public_url::LinkBase::parse(
            self.public_url.as_deref(),
            self.trusted_proxies.as_deref(),
        )
    }

    /// How long a confirmed token is trusted: at most an hour.
    pub fn token_cache_lifetime(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.token_cache_secs.min(3600))
    }

    /// `HUB_DB_POOL_SIZE`: 1 to 256 connections; unset sizes the pool from the cores.
    pub fn db_pool_size(&self) -> Option<u32> {
        self.db_pool_size.map(|n| n.clamp(1, 256))
    }

    pub fn request_timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.request_timeout_secs.max(1))
    }

    /// How jobs run: lease, timeout and output cap from the settings.
    pub fn job_settings(&self) -> JobSettings {
        // At most ten years: past that a limit means none.
        let secs = |s: u64| TimeDelta::seconds(i64::try_from(s.clamp(1, 315_360_000)).unwrap_or(1));
        let lease = secs(self.job_lease_secs);
        let defaults = JobSettings::default();
        JobSettings {
            lease,
            // At least three renewals per lease.
            renew_every: defaults.renew_every.min(lease / 3),
            timeout: secs(self.job_timeout_secs),
            output_cap: self.job_output_max_bytes.max(1024),
        }
    }

    /// The runner's settings: the program, and directories under the data directory.
    pub fn ansible_cli(&self) -> AnsibleCliConfig {
        AnsibleCliConfig {
            program: self.ansible_playbook.clone(),
            keep_job_dirs: self.keep_job_dirs,
            ..AnsibleCliConfig::under(&self.data_dir)
        }
    }

    /// The assistant's model: the HTTP adapter when `HUB_LLM_BASE_URL` and `HUB_LLM_MODEL`
    /// are set, else one that answers every call with what is missing (503 to clients).
    /// Every answer is capped at `HUB_LLM_MAX_TOKENS`.
    pub fn chat_model(&self) -> Arc<dyn ChatModel> {
        self.chat_model_with_max_tokens(self.llm_max_tokens)
    }

    /// The same model with answers capped at `max_tokens` (the doctor asks for one).
    pub fn chat_model_with_max_tokens(&self, max_tokens: u32) -> Arc<dyn ChatModel> {
        let set = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        match (set(&self.llm_base_url), set(&self.llm_model)) {
            (Some(base_url), Some(model)) => {
                let config = LlmHttpConfig {
                    api_key: set(&self.llm_api_key).map(ApiKey::new),
                    timeout: std::time::Duration::from_secs(self.llm_timeout_secs.clamp(1, 3600)),
                    max_tokens,
                    ..LlmHttpConfig::new(base_url, model)
                };
                Arc::new(OpenAiChatModel::new(config))
            }
            (None, None) => Arc::new(UnconfiguredChatModel::new(
                "HUB_LLM_BASE_URL and HUB_LLM_MODEL",
            )),
            (None, Some(_)) => Arc::new(UnconfiguredChatModel::new("HUB_LLM_BASE_URL")),
            (Some(_), None) => Arc::new(UnconfiguredChatModel::new("HUB_LLM_MODEL")),
        }
    }

    /// The assistant's tuning: at least 1,000 characters of context.
    pub fn assist_settings(&self) -> AssistSettings {
        AssistSettings {
            context_chars: self.llm_context_chars.max(1000),
        }
    }

    /// `HUB_TIMEZONE`; a value that is not UTC or an offset stops the start.
    pub fn timezone(&self) -> Result<Timezone, String> {
        Timezone::parse(&self.timezone)
    }

    /// What SSH tests assume for every host: the default user and the per-host timeout
    /// (1 s to 10 min).
    pub fn probe_defaults(&self) -> ProbeDefaults {
        ProbeDefaults {
            user: self.ssh_default_user.trim().to_owned(),
            timeout: std::time::Duration::from_secs(self.ssh_timeout_secs.clamp(1, 600)),
        }
    }

    /// Probe threads: 1 to 1024.
    pub fn ssh_threads(&self) -> usize {
        self.ssh_concurrency.clamp(1, 1024)
    }

    pub fn cors_origins(&self) -> Vec<String> {
        self.cors_origins
            .split(',')
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(str::to_owned)
            .collect()
    }
}
