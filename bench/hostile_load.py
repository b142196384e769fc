#!/usr/bin/env python3
"""Replays issue 19's five hostile request patterns against one control-hub server and
prints, per pattern, the server's peak RSS, its RSS after, and the p99 of /healthz and of an
unrelated GET /api/hosts sent meanwhile. Loopback only; every loop is bounded in count and
time. Standard library only.

    python3 bench/hostile_load.py BINARY sqlite|postgres [--scale small|issue]

`issue` uses the sizes of the issue (100 x extraVars at the limit, 50 playbooks x 9 MiB,
200 stalled SSE clients, 600 AI messages, 1,000 SSH hosts); `small` a tenth of each, for a
quick look. PostgreSQL: HUB_BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/
postgres) is the admin URL; a database of its own is created and dropped.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

TOKEN = "hostile-load-bench-token-0123456789"
SCALES = {
    "issue": dict(jobs=100, playbooks=50, mib=9, sse=200, ai=600, hosts=1000),
    "small": dict(jobs=10, playbooks=5, mib=9, sse=20, ai=60, hosts=100),
}

# Prints 9 MiB (or what LOUD_MIB says) when the playbook holds "loud", else one line.
FAKE_RUNNER = """#!/bin/sh
playbook="$3"
if grep -q loud "$playbook" 2>/dev/null; then
  head -c $(( ${LOUD_MIB:-9} * 1048576 )) /dev/zero | tr '\\0' 'x' | fold -w 99
else
  echo ok
fi
exit 0
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def silent_listener():
    """Accepts connections and never writes: a model or SSH host that never answers."""
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(4096)
    held = []

    def accept():
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            held.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    return srv.getsockname()[1], held


def call(base, method, path, body=None, timeout=120):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Authorization", "Bearer " + TOKEN)
    req.add_header("Content-Type", "application/json")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            payload = r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        payload, status = e.read(), e.code
    except (urllib.error.URLError, OSError, TimeoutError):
        payload, status = b"", 0
    return status, payload, time.monotonic() - started


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Watch:
    """Samples RSS, and probes /healthz and GET /api/hosts, while a pattern runs."""

    def __init__(self, base, pid):
        self.base, self.pid = base, pid
        self.peak, self.health, self.hosts = 0.0, [], []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=f, daemon=True) for f in (self.rss, self.probe)]

    def rss(self):
        while not self.stop.is_set():
            self.peak = max(self.peak, rss_mib(self.pid))
            time.sleep(0.05)

    def probe(self):
        while not self.stop.is_set():
            self.health.append(call(self.base, "GET", "/healthz", timeout=30)[2])
            self.hosts.append(call(self.base, "GET", "/api/hosts?per_page=10", timeout=30)[2])
            time.sleep(0.05)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join()


def p99(samples):
    if not samples:
        return float("nan")
    s = sorted(samples)
    return s[min(len(s) - 1, int(len(s) * 0.99))] * 1000


def parallel(n, fn):
    threads = [threading.Thread(target=fn, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)


def wait_job(base, job, within=900):
    until = time.monotonic() + within
    while time.monotonic() < until:
        status, body, _ = call(base, "GET", f"/api/playbooks/jobs/{job}")
        if status == 200 and json.loads(body)["data"]["status"] not in ("queued", "running"):
            return
        time.sleep(0.5)
    raise SystemExit(f"job {job} did not finish")


def main():
    binary, backend = sys.argv[1], sys.argv[2]
    scale = SCALES[sys.argv[sys.argv.index("--scale") + 1] if "--scale" in sys.argv else "issue"]
    work = tempfile.mkdtemp(prefix="hub-hostile-")
    runner = os.path.join(work, "fake-ansible-playbook")
    with open(runner, "w") as f:
        f.write(FAKE_RUNNER)
    os.chmod(runner, 0o755)
    model_port, _held_model = silent_listener()
    ssh_port, _held_ssh = silent_listener()
    port = free_port()
    env = dict(os.environ, HUB_BIND=f"127.0.0.1:{port}", HUB_DATA_DIR=os.path.join(work, "data"),
               HUB_API_TOKEN=TOKEN, HUB_ANSIBLE_PLAYBOOK=runner, RUST_LOG="warn",
               HUB_LLM_BASE_URL=f"http://127.0.0.1:{model_port}/v1", HUB_LLM_MODEL="silent",
               HUB_LLM_TIMEOUT_SECS="10", LOUD_MIB=str(scale["mib"]))
    admin, dbname = None, None
    if backend == "postgres":
        admin = os.environ.get("HUB_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        dbname = f"hub_hostile_{os.getpid()}"
        subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {dbname}"], check=True)
        env["HUB_DATABASE_URL"] = admin.rsplit("/", 1)[0] + "/" + dbname
    log = open(os.path.join(work, "server.log"), "w")
    server = subprocess.Popen([binary, "serve"], env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if urllib.request.urlopen(base + "/readyz", timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        rows = run_patterns(base, server.pid, scale, ssh_port)
    finally:
        server.terminate()
        server.wait(timeout=60)
        if dbname:
            subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)"])
    print(f"\n| backend | pattern | what it did | peak RSS MiB | RSS after MiB | /healthz p99 ms | GET /api/hosts p99 ms |")
    print("|---|---|---|---|---|---|---|")
    for name, what, peak, after, health, hosts in rows:
        print(f"| {backend} | {name} | {what} | {peak:.0f} | {after:.0f} | {health:.1f} | {hosts:.1f} |")


def measured(base, pid, name, fn):
    with Watch(base, pid) as w:
        what = fn()
    time.sleep(2)
    return name, what, w.peak, rss_mib(pid), p99(w.health), p99(w.hosts)


def run_patterns(base, pid, scale, ssh_port):
    status, inv, _ = call(base, "POST", "/api/inventories",
                          {"name": "local", "config": "localhost ansible_connection=local\n"})
    assert status == 201, inv
    inventory = json.loads(inv)["data"]["id"]

    def playbook(name, loud):
        task = "name: loud\nansible.builtin.ping:\n" if loud else "name: quiet\nansible.builtin.ping:\n"
        status, body, _ = call(base, "POST", "/api/playbooks", {
            "name": name, "type": "Other", "main": {"hosts": "all", "gatherFacts": False},
            "tasks": [{"content": task}]})
        assert status == 201, body
        return json.loads(body)["data"]["id"]

    quiet = playbook("quiet", False)
    rows = [measured(base, pid, "idle", lambda: "nothing")]

    def lists():
        # The largest extraVars the server takes: 1 MB first, as the issue sent.
        size = 1_000_000
        while size >= 1000:
            status, _, _ = call(base, "POST", "/api/playbooks/execute", {
                "playbookIds": [quiet], "inventoryId": inventory, "extraVars": {"blob": "v" * size}})
            if status == 202:
                break
            size //= 2
        for _ in range(scale["jobs"] - 1):
            call(base, "POST", "/api/playbooks/execute", {
                "playbookIds": [quiet], "inventoryId": inventory, "extraVars": {"blob": "v" * size}})
        sizes = []
        deadline = time.monotonic() + 10

        def reader(_):
            while time.monotonic() < deadline:
                sizes.append(len(call(base, "GET", "/api/playbooks/jobs?per_page=100")[1]))

        parallel(8, reader)
        return (f"{scale['jobs']} jobs x {size} B extraVars (the most taken); 8 readers, "
                f"{len(sizes)} lists of at most {max(sizes) / 1e3:.1f} KB")

    rows.append(measured(base, pid, "job lists", lists))

    loud = [playbook(f"loud {i}", True) for i in range(scale["playbooks"])]
    status, body, _ = call(base, "POST", "/api/playbooks/execute",
                           {"playbookIds": loud, "inventoryId": inventory})
    assert status == 202, body
    big_job = json.loads(body)["data"]["jobId"]
    wait_job(base, big_job)

    def details():
        sizes = []
        deadline = time.monotonic() + 10

        def reader(_):
            while time.monotonic() < deadline:
                sizes.append(len(call(base, "GET", f"/api/playbooks/jobs/{big_job}")[1]))

        parallel(2, reader)
        return (f"{scale['playbooks']} playbooks x {scale['mib']} MiB; 2 readers, "
                f"{len(sizes)} details of at most {max(sizes) / 1e3:.1f} KB")

    rows.append(measured(base, pid, "job details", details))

    def sse():
        host, port = base[len("http://"):].split(":")
        socks = []
        for _ in range(scale["sse"]):
            s = socket.create_connection((host, int(port)))
            s.sendall((f"GET /api/playbooks/jobs/{big_job}/events HTTP/1.1\r\nHost: {host}\r\n"
                       f"Authorization: Bearer {TOKEN}\r\n\r\n").encode())
            socks.append(s)
        time.sleep(8)
        for s in socks:
            s.close()
        return f"{scale['sse']} followers that never read, for 8 s, then closed"

    rows.append(measured(base, pid, "SSE", sse))

    def ai():
        statuses = []
        parallel(scale["ai"], lambda _: statuses.append(
            call(base, "POST", "/api/ai/messages", {"message": "hello?"}, timeout=60)[0]))
        counts = {s: statuses.count(s) for s in sorted(set(statuses))}
        return f"{scale['ai']} messages at once to a model that never answers: statuses {counts}"

    rows.append(measured(base, pid, "AI", ai))

    def ssh():
        lines = "\n".join(f"h{i} ansible_host=127.0.0.1 ansible_port={ssh_port} ansible_password=x"
                          for i in range(scale["hosts"]))
        status, body, _ = call(base, "POST", "/api/inventories", {"name": "silent", "config": lines + "\n"})
        assert status == 201, body
        silent = json.loads(body)["data"]["id"]
        result = {}

        def big(_):
            result["big"] = call(base, "POST", "/api/ssh/test", {"inventoryIds": [silent]}, timeout=600)

        # One host on a closed port: refused at once, so its time is all queueing.
        status, body, _ = call(base, "POST", "/api/inventories", {
            "name": "one", "config": f"h ansible_host=127.0.0.1 ansible_port={free_port()} ansible_password=x\n"})
        assert status == 201, body
        one = json.loads(body)["data"]["id"]
        t = threading.Thread(target=big, args=(0,))
        t.start()
        time.sleep(1)
        small = call(base, "POST", "/api/ssh/test", {"inventoryIds": [one]}, timeout=600)
        t.join(timeout=900)
        big_status, _, big_took = result.get("big", (0, b"", float("nan")))
        return (f"{scale['hosts']} silent hosts: {big_status} in {big_took:.1f} s; "
                f"a 1-host test meanwhile: {small[0]} in {small[2] * 1000:.0f} ms")

    rows.append(measured(base, pid, "SSH test", ssh))
    return rows


if __name__ == "__main__":
    main()
