# Common tasks. `just --list` shows them.

# Serve the API on the embedded SQLite default (./data).
run:
    cargo run -p control-hub

# The one test command (README); PostgreSQL tests skip loudly when no server answers.
test:
    cargo test --workspace

# Lints as CI runs them.
lint:
    cargo fmt --all --check
    cargo clippy --workspace --all-targets -- -D warnings

fmt:
    cargo fmt --all

# Serve on a local PostgreSQL (database control_hub, created when missing).
pg:
    psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname = 'control_hub'" | grep -q 1 || psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE control_hub"
    HUB_DATABASE_URL=postgres://postgres@127.0.0.1:5432/control_hub cargo run -p control-hub

# What CI runs: installs test dependencies, requires every real backend.
ci:
    bash .ci/run
