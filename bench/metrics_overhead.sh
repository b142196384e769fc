#!/usr/bin/env bash
# Benchmark (not a test): requests per second of `GET /api/hosts/{id}` on two release binaries,
# the same code with and without recording metrics, in alternating rounds:
#
#   cargo build --release -p control-hub --no-default-features \
#     && cp target/release/control-hub /tmp/hub-no-metrics
#   cargo build --release -p control-hub
#   bash bench/metrics_overhead.sh /tmp/hub-no-metrics target/release/control-hub [ROUNDS] [SECONDS]
#
# Each round starts the binary on a fresh SQLite directory, creates one host and runs
# `wrk -t2 -c16` against it. Needs wrk and curl.
set -euo pipefail
BASE=$1
WITH=$2
ROUNDS=${3:-3}
SECS=${4:-10}
TOKEN=bench-token-0123456789abcdef
PORT=18731

run() {
  local bin=$1 dir
  dir=$(mktemp -d)
  HUB_BIND=127.0.0.1:$PORT HUB_DATA_DIR=$dir HUB_API_TOKEN=$TOKEN HUB_JOB_WORKERS=1 RUST_LOG=warn \
    "$bin" serve >"$dir/log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.1; done
  local auth="Authorization: Bearer $TOKEN" json="Content-Type: application/json"
  local group host
  group=$(curl -sf -H "$auth" -H "$json" "http://127.0.0.1:$PORT/api/host-groups" \
    -d '{"name":"g","description":"d","status":"active"}' | sed -E 's/.*"id":("[^"]*"|[0-9]+).*/\1/')
  host=$(curl -sf -H "$auth" -H "$json" "http://127.0.0.1:$PORT/api/hosts" -d "{\"name\":\"h\",\"status\":\"running\",\"total_cpu\":1,\"total_memory\":1,\"total_storage\":1,\"available_cpu\":1,\"available_memory\":1,\"available_storage\":1,\"group_id\":$group}" | sed -E 's/.*"id":"?([^",}]*).*/\1/')
  curl -sf -H "$auth" "http://127.0.0.1:$PORT/api/hosts/$host" >/dev/null
  wrk -t2 -c16 -d"${SECS}s" -H "$auth" "http://127.0.0.1:$PORT/api/hosts/$host" | awk '/Requests\/sec/ {r=$2} /Non-2xx/ {e=$NF} END {print r (e ? " (NON-2XX: " e ")" : "")}'
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}

for round in $(seq "$ROUNDS"); do
  echo "round $round baseline $(run "$BASE") req/s"
  echo "round $round metrics  $(run "$WITH") req/s"
done
