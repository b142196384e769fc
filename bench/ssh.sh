#!/usr/bin/env bash
# Benchmark (not a test): the hub's SSH test of N hosts on loopback against `ansible all -m
# ping` (default forks) on the same inventory, and against one host alone.
#
#   bash bench/ssh.sh [HOSTS] [SERVERS]      (defaults 100 and 4; run as root)
#
# Starts SERVERS throwaway sshd instances on loopback ports (generated host keys, key auth for
# the `hubtest` user, which it creates if missing), a control-hub server on a fresh SQLite
# directory, and prints wall times. Needs: /usr/sbin/sshd, ssh-keygen, curl, ansible on PATH
# (e.g. the CI venv: PATH=$HOME/.cache/control-hub/ansible-venv/bin:$PATH), and a built
# control-hub (HUB_BIN, default target/debug/control-hub, or $CARGO_TARGET_DIR/debug/…).
set -euo pipefail
HOSTS=${1:-100}
SERVERS=${2:-4}
cd "$(dirname "$0")/.."
BIN=${HUB_BIN:-${CARGO_TARGET_DIR:-target}/debug/control-hub}
[ -x "$BIN" ] || { echo "no control-hub at $BIN (cargo build -p control-hub)" >&2; exit 1; }
command -v ansible >/dev/null || { echo "ansible is not on PATH" >&2; exit 1; }

WORK=$(mktemp -d)
# sshd reads authorized_keys as the user it logs in.
chmod 755 "$WORK"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

id -u hubtest >/dev/null 2>&1 || useradd -M -s /bin/sh hubtest
mkdir -p /run/sshd
ssh-keygen -q -t ed25519 -N '' -C bench -f "$WORK/id_ed25519"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ms_now() { date +%s%3N; }

PORTS=()
for i in $(seq 1 "$SERVERS"); do
    dir="$WORK/sshd$i"; mkdir -p "$dir"
    port=$(free_port)
    ssh-keygen -q -t ed25519 -N '' -f "$dir/host_ed25519"
    cp "$WORK/id_ed25519.pub" "$dir/authorized_keys"
    cat > "$dir/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $dir/host_ed25519
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
AllowUsers hubtest
MaxStartups 1000
MaxSessions 100
UseDNS no
LogLevel ERROR
CONF
    /usr/sbin/sshd ${SSHD_FLAGS:-} -D -e -f "$dir/sshd_config" 2>/dev/null &
    PIDS+=($!)
    PORTS+=("$port")
done

INVENTORY="$WORK/inventory.ini"
: > "$INVENTORY"
for n in $(seq 0 $((HOSTS - 1))); do
    port=${PORTS[$((n % SERVERS))]}
    echo "h$n ansible_host=127.0.0.1 ansible_port=$port ansible_user=hubtest ansible_ssh_private_key_file=$WORK/id_ed25519" >> "$INVENTORY"
done
head -1 "$INVENTORY" > "$WORK/one.ini"

HUB_PORT=$(free_port)
TOKEN=bench-token-0123456789
HUB_DATA_DIR="$WORK/data" HUB_BIND="127.0.0.1:$HUB_PORT" HUB_API_TOKEN=$TOKEN RUST_LOG=warn \
    "$BIN" serve &
HUB_PID=$!
PIDS+=($HUB_PID)
API="http://127.0.0.1:$HUB_PORT/api"
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$HUB_PORT/healthz" >/dev/null && break; sleep 0.1; done
sleep 0.5

call() { curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }
create() {
    python3 -c 'import json,sys; print(json.dumps({"name": sys.argv[1], "config": open(sys.argv[2]).read()}))' "$1" "$2" \
        | call -X POST "$API/inventories" -d @- | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["id"])'
}
ALL=$(create fleet "$INVENTORY")
ONE=$(create one "$WORK/one.ini")

hub_test() { # id -> "wall_ms connected/total"
    local start end out
    start=$(ms_now)
    out=$(call -X POST "$API/ssh/test" -d "{\"inventoryIds\": [$1]}")
    end=$(ms_now)
    echo "$((end - start)) $(echo "$out" | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["results"][0]; print(r["message"].split(";")[0])')"
}

# Warm-up (first sight stores the host keys; the probe threads start).
hub_test "$ONE" >/dev/null
hub_test "$ALL" >/dev/null

echo "hosts=$HOSTS sshd=$SERVERS cores=$(nproc) $(/usr/sbin/sshd -V 2>&1 | head -1)"
for run in 1 2 3; do echo "hub one host, run $run: $(hub_test "$ONE") ms"; done
cpu_ms() { awk -v t="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / t) }' "/proc/$HUB_PID/stat"; }
for run in 1 2 3; do
    before=$(cpu_ms)
    result=$(hub_test "$ALL")
    echo "hub $HOSTS hosts, run $run: $result ms (hub CPU $(( $(cpu_ms) - before )) ms)"
done

# hubtest has no home directory: ansible's remote temp files go to /tmp. The interpreter is
# named, as discovery picks none on this image.
[ -n "${SKIP_ANSIBLE:-}" ] && exit 0
export ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_REMOTE_TMP=/tmp/.ansible-hubtest
PY=(-e ansible_python_interpreter=/usr/bin/python3)
start=$(ms_now)
ok=$(ansible -i "$WORK/one.ini" all -m ping "${PY[@]}" 2>&1 | grep -c SUCCESS || true)
echo "ansible ping one host: $(( $(ms_now) - start )) ms ($ok ok)"
start=$(ms_now)
ok=$(ansible -i "$INVENTORY" all -m ping "${PY[@]}" 2>&1 | grep -c SUCCESS || true)
echo "ansible ping $HOSTS hosts (default forks): $(( $(ms_now) - start )) ms ($ok ok)"
