#!/usr/bin/env bash
# Benchmark (not a test): the API's hot reads and writes against the database doing the same
# work alone. For each backend and table size it starts the release binary, seeds the hosts
# straight into the database, and prints one table row per endpoint and client count:
#
#   API requests/s (wrk) | pgbench transactions/s of the equivalent SQL | ratio | p50/p99 |
#   context switches per request and per pgbench transaction | RSS
#
# Two rows measure HTTP alone, with no store call: GET /healthz, and a 404 of the
# authenticated /api chain.
#
# and, for the single host on PostgreSQL, one more row: pgbench running the very statement the
# API sent (read back from pg_stat_activity), which tells the statement's cost from the rest.
#
#   cargo build --release -p control-hub
#   bash bench/read-path.sh [BIN] [SIZES] [CONNECTIONS] [SECONDS]
#
# Defaults: target/release/control-hub, "10000 100000", "1 8 32", 5 s per cell. Needs wrk,
# curl, pgbench, psql and python3; PostgreSQL on $BENCH_PG (default
# postgres://postgres@127.0.0.1:5432), where it creates and drops database hub_bench.
# pgbench's equivalents: the primary-key select of one host row; the page query and its
# count; the filtered page query and its count; one INSERT in a transaction. SQLite has no
# pgbench: its rows show the API alone.
set -euo pipefail
BIN=${1:-target/release/control-hub}
SIZES=${2:-10000 100000}
CONNS=${3:-1 8 32}
SECS=${4:-5}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
TOKEN=bench-token-0123456789abcdef
PORT=18741
BASE=http://127.0.0.1:$PORT
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
AUTH="Authorization: Bearer $TOKEN"
TARGET=0190f0aa-0000-7000-8000-00000000b0b0

# The hosts, half of them in group 1 and running: the filtered page's rows.
seed_sql() {
  local n=$1 id=$2
  cat <<SQL
INSERT INTO host_groups (id, name, description, status, created_at, updated_at)
  VALUES (1, 'bench', 'bench', 'active', now(), now());
INSERT INTO hosts (id, name, status, total_cpu, total_memory, total_storage, reserved_cpu,
  reserved_memory, reserved_storage, group_id, created_at, updated_at)
SELECT CASE WHEN g = $n / 2 THEN '$id' ELSE gen_random_uuid()::text END, 'host-' || g,
  CASE WHEN g % 4 = 0 THEN 'maintenance' ELSE 'running' END, 64, 262144, 4096, 0, 0, 0,
  CASE WHEN g % 2 = 0 THEN 1 ELSE NULL END, now(), now()
FROM generate_series(1, $n) AS g;
ANALYZE;
SQL
}

seed_sqlite() {
  python3 - "$1" "$2" "$3" <<'PY'
import sqlite3, sys, uuid
path, n, target = sys.argv[1], int(sys.argv[2]), sys.argv[3]
db = sqlite3.connect(path)
db.execute("INSERT INTO host_groups (id, name, description, status, created_at, updated_at) "
           "VALUES (1, 'bench', 'bench', 'active', datetime('now'), datetime('now'))")
rows = ((target if g == n // 2 else str(uuid.uuid4()), f"host-{g}",
         "maintenance" if g % 4 == 0 else "running", 1 if g % 2 == 0 else None)
        for g in range(1, n + 1))
db.executemany("INSERT INTO hosts (id, name, status, total_cpu, total_memory, total_storage, "
               "reserved_cpu, reserved_memory, reserved_storage, group_id, created_at, updated_at) "
               "VALUES (?, ?, ?, 64, 262144, 4096, 0, 0, 0, ?, datetime('now'), datetime('now'))", rows)
db.commit()
db.execute("ANALYZE")
PY
}

start_server() {
  local dir=$1 url=$2
  HUB_BIND=127.0.0.1:$PORT HUB_DATA_DIR=$dir HUB_API_TOKEN=$TOKEN HUB_DATABASE_URL=$url \
    HUB_JOB_WORKERS=1 RUST_LOG=warn "$BIN" serve >"$dir/log" 2>&1 &
  SERVER=$!
  for _ in $(seq 200); do curl -sf "$BASE/readyz" >/dev/null && return; sleep 0.1; done
  echo "the server did not start:" >&2; cat "$dir/log" >&2; exit 1
}

stop_server() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; }

rss_mb() { awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER/status"; }

# wrk against $2 (GET, or POST with a host body when $3 is "post"): "req/s p50 p99".
api() {
  local conns=$1 url=$2 method=${3:-get} script=()
  if [ "$method" = post ]; then
    cat >"$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name":"bench","status":"running","total_cpu":8,"total_memory":1024,"total_storage":100}'
LUA
    script=(-s "$WORK/post.lua")
  fi
  local before; before=$(switches)
  wrk -t"$(( conns < 2 ? 1 : 2 ))" -c"$conns" -d"${SECS}s" --latency "${script[@]}" -H "$AUTH" "$url" >"$WORK/wrk.out"
  awk -v cs=$(( $(switches) - before )) '/requests in/ {n=$1} /Requests\/sec/ {r=$2} /^ +50%/ {p50=$2}
       /^ +99%/ {p99=$2} /Non-2xx/ {e=$NF}
       END {if (e) r = r "(" e "-non-2xx)"; printf "%s %s %s %.1f\n", r, p50, p99, cs / n}' "$WORK/wrk.out"
}

# The machine's context switches so far: a thread that sleeps and one that wakes, each time a
# request or a reply crosses from one process or thread to another.
switches() { awk '/^ctxt/ {print $2}' /proc/stat; }

# pgbench of script file $2 at $1 clients: "transactions/s switches-per-transaction".
raw() {
  local before; before=$(switches)
  pgbench -n -M prepared -c "$1" -j "$(( $1 < 2 ? 1 : 2 ))" -T "$SECS" -f "$2" "$PG/hub_bench" >"$WORK/pgbench.out" 2>/dev/null
  awk -v cs=$(( $(switches) - before )) '/^number of transactions actually processed/ {split($NF, n, "/")}
       /^tps/ {t=$3} END {printf "%.0f %.1f\n", t, cs / n[1]}' "$WORK/pgbench.out"
}

row() { # backend size endpoint conns api-line raw-line
  local api_rps p50 p99 api_cs tps raw_cs ratio
  read -r api_rps p50 p99 api_cs <<<"$5"
  read -r tps raw_cs <<<"$6"
  ratio=-
  [ "$tps" != - ] && ratio=$(awk -v a="${api_rps%%(*}" -v b="$tps" 'BEGIN {printf "%.2f", a / b}')
  printf '| %s | %s | %s | %s | %s | %s | %s | %s / %s | %s / %s | %s |\n' "$1" "$2" "$3" "$4" "$api_rps" "$tps" "$ratio" "$p50" "$p99" "$api_cs" "${raw_cs:--}" "$(rss_mb)"
}

# The single-host statement, as inventory/host_read.rs builds it, with the id in $1 and $2
# (default: the target's id, quoted).
host_statement() {
  local first=${1:-"'$TARGET'"} second=${2:-"'$TARGET'"} sums="" reads="" r
  for r in cpu memory storage; do
    sums+="${sums:+, }CAST(COALESCE(SUM(s.required_$r >> 32), 0) AS BIGINT) AS ${r}_high, "
    sums+="CAST(COALESCE(SUM(s.required_$r & 4294967295), 0) AS BIGINT) AS ${r}_low"
    reads+="${reads:+, }COALESCE(a.${r}_high, 0), COALESCE(a.${r}_low, 0)"
  done
  printf '%s' "SELECT hosts.id, hosts.name, hosts.status, hosts.total_cpu, hosts.total_memory, \
hosts.total_storage, hosts.reserved_cpu, hosts.reserved_memory, hosts.reserved_storage, \
hosts.group_id, hosts.region, hosts.dc, hosts.room, hosts.rack, hosts.external_system_id, \
hosts.created_at, hosts.updated_at, $reads FROM hosts LEFT JOIN (SELECT v.host_id, $sums \
FROM virtual_machines v JOIN vm_specifications s ON s.id = v.specification_id WHERE v.host_id = \
$first GROUP BY v.host_id) a ON a.host_id = hosts.id WHERE hosts.id = $second LIMIT 1"
  [ -n "${1:-}" ] || echo ";"
}

echo "| backend | hosts | endpoint | conns | API req/s | pgbench tps | ratio | p50 / p99 | switches per request / per tx | RSS MiB |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for backend in postgres sqlite; do
  for size in $SIZES; do
    dir="$WORK/$backend-$size"; mkdir -p "$dir"; chmod 700 "$dir"
    if [ "$backend" = postgres ]; then
      psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS hub_bench" -c "CREATE DATABASE hub_bench"
      url="$PG/hub_bench"
      start_server "$dir" "$url"
      seed_sql "$size" "$TARGET" | psql -q "$url" >/dev/null
    else
      url="sqlite://$dir/hub.db"
      start_server "$dir" "$url"
      seed_sqlite "$dir/hub.db" "$size" "$TARGET"
    fi
    printf "SELECT * FROM hosts WHERE id = '%s';\n" "$TARGET" >"$WORK/get.sql"
    printf 'SELECT * FROM hosts ORDER BY id LIMIT 100;\nSELECT count(*) FROM hosts;\n' >"$WORK/list.sql"
    printf "SELECT * FROM hosts WHERE group_id = 1 AND status = 'running' ORDER BY id LIMIT 100;\nSELECT count(*) FROM hosts WHERE group_id = 1 AND status = 'running';\n" >"$WORK/filtered.sql"
    printf "BEGIN;\nINSERT INTO hosts (id, name, status, total_cpu, total_memory, total_storage, reserved_cpu, reserved_memory, reserved_storage, created_at, updated_at) VALUES (gen_random_uuid()::text, 'raw', 'running', 8, 1024, 100, 0, 0, 0, now(), now());\nEND;\n" >"$WORK/insert.sql"
    curl -sf -H "$AUTH" "$BASE/api/hosts/$TARGET" >/dev/null
    if [ "$backend" = postgres ]; then
      # The statement the API runs for that read (inventory/host_read.rs), written out here;
      # pg_stat_activity keeps the first 1 KiB of what a connection ran last, and that must be
      # this text's start, or the copy has drifted from the code.
      host_statement >"$WORK/statement.sql"
      for _ in $(seq 50); do
        curl -sf -H "$AUTH" "$BASE/api/hosts/$TARGET" >/dev/null
        seen=$(psql -Atq "$url" -c "SELECT query FROM pg_stat_activity WHERE datname = 'hub_bench' \
          AND query LIKE 'SELECT hosts.id%' LIMIT 1")
        [ -n "$seen" ] && break
      done
      ours=$(host_statement '$1' '$2')
      [ -n "$seen" ] && [ "${ours:0:${#seen}}" = "$seen" ] ||
        { echo "the API's host statement is not the one this script runs:" >&2; echo "$seen" >&2; exit 1; }
    fi
    # Inserts last: they grow the table the reads are measured on.
    for endpoint in healthz chain get list filtered insert; do
      # HTTP alone is the same whatever the backend and size: measured once.
      case $endpoint in healthz | chain)
        [ "$backend" = postgres ] && [ "$size" = "${SIZES%% *}" ] || continue ;;
      esac
      for conns in $CONNS; do
        case $endpoint in
          # What HTTP costs without the store: the bare probe, then the whole /api chain
          # (log, metrics, errors, CORS, token, routing) up to a 404 of no route.
          healthz) line=$(api "$conns" "$BASE/healthz"); label='GET /healthz (no store)' ;;
          chain) line=$(api "$conns" "$BASE/api/no-such-route"); label='GET /api/no-such-route (no store)' ;;
          get) line=$(api "$conns" "$BASE/api/hosts/$TARGET"); label='GET /api/hosts/{id}' ;;
          list) line=$(api "$conns" "$BASE/api/hosts"); label='GET /api/hosts' ;;
          filtered) line=$(api "$conns" "$BASE/api/hosts?group_id=1&status=running"); label='GET /api/hosts?group_id&status' ;;
          insert) line=$(api "$conns" "$BASE/api/hosts" post); label='POST /api/hosts' ;;
        esac
        tps=-
        [ "$backend" = postgres ] && [ -f "$WORK/$endpoint.sql" ] && tps=$(raw "$conns" "$WORK/$endpoint.sql")
        row "$backend" "$size" "$label" "$conns" "$line" "$tps"
        if [ "$endpoint" = get ] && [ "$backend" = postgres ]; then
          row "$backend" "$size" "(the API's own statement)" "$conns" "$line" "$(raw "$conns" "$WORK/statement.sql")"
        fi
      done
    done
    stop_server
  done
done
psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS hub_bench"
