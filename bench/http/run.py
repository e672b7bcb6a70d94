#!/usr/bin/env python3
"""bench/http/run.py — qyzmet serve under load on loopback, beside its references in one run.

  make bench, or: python3 bench/http/run.py BUILD/qyzmet [SECONDS]

1. Reads: wrk (Debian's) against `qyzmet serve` for a citizen's and a staff member's
   GET /api/v1/applications/ID, alternated A/B with nginx-light serving a static file of
   the same bytes (started here on a free port with its own config in a temp dir); the
   median of three rounds each; ratio qyzmet/nginx.
2. Durable submissions: wrk POSTing applications with a fresh Idempotency-Key each (64
   connections), beside the floor in the same run: bare SQLite (Python's sqlite3, WAL,
   synchronous=FULL, one thread) inserting the same rows a submission writes (the case, its
   step, its event, its outbox rows, its idempotency row, copied from the server's
   database) at 1 and 16 submissions per transaction.
3. Open-loop latency: build/bench/openloop offers a fixed rate of citizen reads over 1,000
   connections and measures each request from when it was due (no coordinated omission);
   p50 and p99.

Every figure is printed with what produced it; docs/performance.md records a run.
"""
import json
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

QZ = sys.argv[1] if len(sys.argv) > 1 else "build/qyzmet"
SECONDS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
OPENLOOP = os.path.join(os.path.dirname(QZ), "bench", "openloop")
ROUNDS = 3
CASES = 20  # filed before the bench; the reads pick a random case (a history grows with reads)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_port(port):
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listens on {port}")


def call(base, method, path, body=None, token=None, key=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if key:
        req.add_header("Idempotency-Key", key)
    with urllib.request.urlopen(req) as r:
        return r.read()


def wrk(url, headers, connections=64, threads=2, script=None, seconds=SECONDS):
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    for h in headers:
        cmd += ["-H", h]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, float(p99.group(1)) * scale[p99.group(2)], int(non2xx.group(1)) if non2xx else 0


NGINX_CONF = """daemon off; worker_processes 2; pid {dir}/nginx.pid; error_log {dir}/error.log;
user root;
events {{ worker_connections 4096; }}
http {{ access_log off; types {{ application/json json; }} default_type application/json;
  client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy; fastcgi_temp_path {dir}/fcgi;
  uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
  server {{ listen 127.0.0.1:{port}; root {dir}/www; location / {{ }} }} }}
"""


def main():
    tmp = tempfile.mkdtemp(prefix="qz_bench_http_")
    procs = []
    try:
        db = os.path.join(tmp, "b.db")
        init = subprocess.run([QZ, "init", "--db", db, "--demo"], capture_output=True,
                              text=True, check=True).stdout
        users = {u["login"]: u for u in map(json.loads, init.splitlines()) if "login" in u}
        port = free_port()
        serve = [QZ, "serve", "--db", db, "--port", str(port)]
        procs.append(subprocess.Popen(serve, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_port(port)
        base = f"http://127.0.0.1:{port}"
        op = json.loads(call(base, "POST", "/api/v1/sessions",
                             {"login": "operator.astana",
                              "password": users["operator.astana"]["password"]}))["token"]
        cit = json.loads(call(base, "POST", "/api/v1/sessions",
                              {"iin": "921029350851",
                               "password": users["921029350851"]["password"]}))["token"]
        svc = json.loads(call(base, "GET", "/api/v1/services/apostille"))
        docs = [d["kind"] for d in svc["documents"]["psc"] if d["required"]]
        body = {"service": "apostille", "channel": "psc", "branch": "psc-astana-1",
                "applicant": "921029350851", "documents": docs, "payload": {}}
        for i in range(CASES):
            case = json.loads(call(base, "POST", "/api/v1/applications", body, op, f"bench-{i}"))
        path = f"/api/v1/applications/{case['id']}"
        reads = os.path.join(tmp, "reads.lua")
        with open(reads, "w") as f:
            f.write("request = function()\n  return wrk.format('GET', '/api/v1/applications/' .."
                    f" math.random({case['id'] - CASES + 1}, {case['id']}))\nend\n")
        citizen_bytes = call(base, "GET", path, token=cit)
        staff_bytes = call(base, "GET", path, token=op)

        # nginx-light serving files of the same sizes
        nport = free_port()
        os.makedirs(os.path.join(tmp, "www"))
        for name, b in (("citizen.json", citizen_bytes), ("staff.json", staff_bytes)):
            with open(os.path.join(tmp, "www", name), "wb") as f:
                f.write(b)
        conf = os.path.join(tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(dir=tmp, port=nport))
        procs.append(subprocess.Popen(["nginx", "-c", conf, "-p", tmp],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_port(nport)
        nbase = f"http://127.0.0.1:{nport}"

        # durable submissions, and the floor
        script = os.path.join(tmp, "post.lua")
        with open(script, "w") as f:
            f.write("local n = 0\nlocal body = [[%s]]\n"
                    "request = function()\n  n = n + 1\n"
                    "  return wrk.format('POST', nil, {['Content-Type'] = 'application/json',"
                    " ['Authorization'] = 'Bearer %s', ['Idempotency-Key'] = 'b-' .. tostring(n)"
                    " .. '-' .. tostring(math.random(1e9))}, body)\nend\n"
                    % (json.dumps(body), op))
        rps, p99, bad = wrk(base + "/api/v1/applications", [], 64, 2, script)
        print(f"  durable submissions (64 conns)  qyzmet {rps:9.0f} /s   p99 {p99:.1f} ms"
              f"   non-2xx {bad}")
        # the reads pick a random one of every case filed so far
        last = json.loads(call(base, "POST", "/api/v1/applications", body, op, "bench-last"))["id"]
        with open(reads, "w") as f:
            f.write("request = function()\n  return wrk.format('GET', '/api/v1/applications/' .."
                    f" math.random(1, {last}))\nend\n")
        print(f"http: wrk -t2 -c64 -d{SECONDS}s on loopback, {ROUNDS} rounds alternated, median;"
              f" qyzmet serve (default threads; a random one of every case filed) vs nginx-light"
              f" (2 workers, a file of the same size)")
        for who, token, size, name in (("citizen", cit, len(citizen_bytes), "citizen.json"),
                                       ("staff", op, len(staff_bytes), "staff.json")):
            q, n = [], []
            for _ in range(ROUNDS):
                q.append(wrk(base + path, [f"Authorization: Bearer {token}"], script=reads)[0])
                n.append(wrk(f"{nbase}/{name}", [])[0])
            mq, mn = statistics.median(q), statistics.median(n)
            print(f"  {who} case read ({size} B)   qyzmet {mq:9.0f} req/s   nginx {mn:9.0f} req/s"
                  f"   ratio {mq / mn:.2f}")

        # open-loop reads
        if os.path.exists(OPENLOOP):
            for rate in (2000, 10000):
                out = subprocess.run([OPENLOOP, "127.0.0.1", str(port), path, cit, str(rate),
                                      "1000", str(SECONDS)], capture_output=True, text=True)
                print("  open loop, citizen reads: " + out.stdout.strip())
        procs[0].terminate()
        procs[0].wait()
        floor(db, tmp, rps)
    finally:
        for p in procs:
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def floor(db, tmp, qyzmet_rps):
    """Bare SQLite writing the rows of one submission again and again."""
    src = sqlite3.connect(db)
    case_id = src.execute("SELECT max(id) FROM cases").fetchone()[0]
    where = {"cases": ("id = ?", case_id), "case_steps": ("case_id = ?", case_id),
             "events": ("case_id = ?", case_id), "idempotency": ("case_id = ?", case_id),
             "outbox": ("id > (SELECT max(id) FROM outbox) - 2", None)}
    rows, schema = {}, []
    for t, (cond, arg) in where.items():
        # the stored columns (a generated one is left to SQLite)
        cols = [c[1] for c in src.execute(f"PRAGMA table_xinfo({t})") if c[6] == 0]
        got = src.execute(f"SELECT {','.join(cols)} FROM {t} WHERE {cond}",
                          () if arg is None else (arg,)).fetchall()
        rows[t] = (cols, [list(r) for r in got])
        schema.append(src.execute("SELECT sql FROM sqlite_master WHERE name = ?", (t,)).fetchone()[0])
    src.close()
    for per_txn in (1, 16):
        path = os.path.join(tmp, f"floor{per_txn}.db")
        dst = sqlite3.connect(path, isolation_level=None)
        dst.execute("PRAGMA journal_mode=WAL")
        dst.execute("PRAGMA synchronous=FULL")
        for sql in schema:
            dst.execute(sql)
        n_total = 1000 if per_txn == 1 else 8000
        start = time.perf_counter()
        k = 0
        while k < n_total:
            dst.execute("BEGIN")
            for _ in range(per_txn):
                k += 1
                for t, (cols, list_rows) in rows.items():
                    for row in list_rows:
                        v = dict(zip(cols, row))
                        if t == "cases":
                            v["id"], v["number"] = k, f"F-{k}"
                        elif t == "idempotency":
                            v["key"], v["case_id"] = f"floor-{k}", k
                        elif t in ("events", "case_steps"):
                            v["case_id"] = k
                            if t == "events":
                                v["id"] = None
                        elif t == "outbox":
                            v["id"] = None
                        dst.execute(f"INSERT INTO {t}({','.join(v)}) VALUES"
                                    f" ({','.join('?' * len(v))})", list(v.values()))
            dst.execute("COMMIT")
        secs = time.perf_counter() - start
        dst.close()
        rate = n_total / secs
        print(f"  floor: bare SQLite, {per_txn:2d} per txn  {rate:9.0f} /s   (same rows, WAL,"
              f" synchronous=FULL, one thread)   ratio qyzmet/floor {qyzmet_rps / rate:.2f}")


if __name__ == "__main__":
    main()
