#!/usr/bin/env python3
"""Oppvekstgraf benchmark harness: Oppvekstgraf, PostGraphile and the raw SQL floor side by side.

Run it through `bench/run.sh` (which installs wrk, nginx, PostGraphile and builds the release binary first).
Standard library only. Settings come from the environment (see bench/README.md); results go to
bench/results/latest.json and bench/RESULTS.md.
"""

import argparse
import base64
import datetime
import json
import os
import platform
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid as uuidlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import queries  # noqa: E402
import report  # noqa: E402

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
WORK = os.path.join(BENCH, "work")
CLK_TCK = os.sysconf("SC_CLK_TCK")
PG_LOG = "/var/log/postgresql/postgresql-15-main.log"
# Tells this run's marker selects in the PostgreSQL log from earlier runs'.
RUN = f"{os.getpid()}-{int(time.time())}"


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


class Settings:
    def __init__(self, args):
        quick = args.quick
        self.quick = quick
        self.duration = env_int("DURATION", 2 if quick else 20)
        self.warmup = env_int("WARMUP", 1 if quick else 3)
        self.concurrency = env_int("CONCURRENCY", 16)
        self.threads = env_int("THREADS", 2)
        self.pool = env_int("POOL", 10)
        self.pg_workers = env_int("POSTGRAPHILE_WORKERS", os.cpu_count() or 1)
        self.municipalities = env_int("MUNICIPALITIES", 12 if quick else 357)
        self.plans = env_int("PLANS_PER_MUNICIPALITY", 4 if quick else 20)
        self.measures = env_int("MEASURES_PER_PLAN", 8 if quick else 25)
        self.units = env_int("UNITS_PER_MUNICIPALITY", 10 if quick else 30)
        self.rng_seed = env_int("RNG_SEED", 1)
        self.sqlite = os.environ.get("SQLITE", "1") != "0"
        self.postgres = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
        self.db = os.environ.get("BENCH_DB", "oppvekstgraf_bench")
        self.our_port = env_int("OUR_PORT", 18080)
        self.pg_port = env_int("POSTGRAPHILE_PORT", 15000)
        self.nginx_port = env_int("NGINX_PORT", 18081)
        self.binary = os.environ.get("BINARY", os.path.join(ROOT, "target", "release", "oppvekstgraf"))
        self.capture_requests = env_int("CAPTURE_REQUESTS", 10)
        self.startup_runs = env_int("STARTUP_RUNS", 5)
        self.only = set(filter(None, os.environ.get("ONLY", "").split(",")))

    @property
    def pg_url(self):
        # Every client of the bench database (our server, PostGraphile, pgbench) connects without TLS: it is
        # loopback, PostGraphile's driver does not use TLS unless told to, and libpq and sqlx would otherwise
        # negotiate it with Debian's default server certificate and spend CPU on both ends encrypting rows.
        return f"{self.postgres}/{self.db}?sslmode=disable"

    def scale(self):
        return {
            "municipalities": self.municipalities,
            "plans_per_municipality": self.plans,
            "measures_per_plan": self.measures,
            "units_per_municipality": self.units,
            "rng_seed": self.rng_seed,
        }

    def scale_key(self, synthetic):
        if not synthetic:
            return "builtin-seed"
        s = self.scale()
        return "synthetic " + " ".join(f"{k}={v}" for k, v in s.items())

    def wants(self, phase):
        return not self.only or phase in self.only


# ---------------------------------------------------------------- processes and /proc


class Processes:
    """Every process the harness starts, stopped on exit whatever happens."""

    def __init__(self):
        self.procs = []

    def start(self, name, argv, env=None, log_path=None, cwd=None):
        out = open(log_path, "ab") if log_path else subprocess.DEVNULL
        proc = subprocess.Popen(
            argv,
            env=env,
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        proc.bench_name = name
        self.procs.append(proc)
        return proc

    def stop(self, proc, grace=10):
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait()
        if proc in self.procs:
            self.procs.remove(proc)

    def stop_all(self):
        for proc in list(reversed(self.procs)):
            self.stop(proc, grace=5)


def descendants(pid):
    """pid and all its descendants (PostGraphile's cluster workers, nginx's workers)."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError):
            continue
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def cpu_ticks(pid):
    """utime + stime of one process, in clock ticks (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError):
        return 0


def tree_cpu(pid):
    return {p: cpu_ticks(p) for p in descendants(pid)}


def status_kb(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def reset_peak_rss(pid):
    for p in descendants(pid):
        try:
            with open(f"/proc/{p}/clear_refs", "w") as f:
                f.write("5")
        except OSError:
            pass


def peak_rss_mb(pid):
    return sum(status_kb(p, "VmHWM") for p in descendants(pid)) / 1024.0


def cpu_delta_seconds(before, after):
    total = 0
    for pid, ticks in after.items():
        total += ticks - before.get(pid, 0)
    return total / CLK_TCK


# ---------------------------------------------------------------- PostgreSQL


def psql(settings, sql, db="postgres", check=True):
    url = f"{settings.postgres}/{db}"
    result = subprocess.run(
        ["psql", url, "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql],
        capture_output=True,
        text=True,
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"psql failed: {sql[:200]}\n{result.stderr}")
    return [line.split("\t") for line in result.stdout.splitlines() if line]


def db_backend_cpu(settings):
    """CPU ticks of every PostgreSQL backend connected to the bench database."""
    rows = psql(
        settings,
        f"SELECT pid FROM pg_stat_activity WHERE datname = '{settings.db}'",
    )
    return {int(r[0]): cpu_ticks(int(r[0])) for r in rows}


def run_binary(settings, args, env_extra, log_path):
    env = dict(os.environ, RUST_LOG="warn", **env_extra)
    with open(log_path, "ab") as out:
        subprocess.run([settings.binary, *args], env=env, stdout=out, stderr=subprocess.STDOUT, check=True)


def has_synthetic(settings):
    out = subprocess.run([settings.binary, "seed", "--help"], capture_output=True, text=True).stdout
    return "--synthetic" in out


def seed_args(settings, synthetic):
    if not synthetic:
        return ["seed"]
    return [
        "seed",
        "--synthetic",
        "--municipalities", str(settings.municipalities),
        "--plans-per-municipality", str(settings.plans),
        "--measures-per-plan", str(settings.measures),
        "--units-per-municipality", str(settings.units),
        "--rng-seed", str(settings.rng_seed),
    ]


def postgraphile_comments(settings):
    """Smart comments PostGraphile needs to build a schema from ours: a column `node_id` would clash with its
    own `nodeId` field, so it is renamed in PostGraphile's schema (idempotent; changes no data)."""
    rows = psql(
        settings,
        "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' "
        "AND column_name = 'node_id'",
        db=settings.db,
    )
    for (table,) in rows:
        psql(settings, f"COMMENT ON COLUMN public.\"{table}\".node_id IS E'@name subjectNodeId'", db=settings.db)


def prepare_postgres(settings, synthetic):
    """Creates and seeds the bench database, or reuses it when it holds the same parameters."""
    key = settings.scale_key(synthetic)
    rows = psql(
        settings,
        f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{settings.db}'",
    )
    if rows and rows[0] and rows[0][0] == key:
        log(f"PostgreSQL: reusing database {settings.db} ({key})")
        return
    if rows:
        log(f"PostgreSQL: database {settings.db} holds other parameters; recreating it")
        psql(settings, f'DROP DATABASE "{settings.db}" WITH (FORCE)')
    psql(settings, f'CREATE DATABASE "{settings.db}"')
    log(f"PostgreSQL: seeding {settings.db} ({key}); national scale takes a few minutes")
    started = time.time()
    env = {"DATABASE_URL": settings.pg_url}
    run_binary(settings, ["migrate", "up"], env, os.path.join(WORK, "seed.log"))
    run_binary(settings, seed_args(settings, synthetic), env, os.path.join(WORK, "seed.log"))
    psql(settings, "VACUUM ANALYZE", db=settings.db)
    psql(settings, f"COMMENT ON DATABASE \"{settings.db}\" IS '{key}'")
    log(f"PostgreSQL: seeded in {time.time() - started:.0f} s")


def prepare_sqlite(settings, synthetic):
    key = settings.scale_key(synthetic)
    path = os.path.join(WORK, "bench.sqlite")
    marker = path + ".params"
    if os.path.exists(path) and os.path.exists(marker) and open(marker).read() == key:
        log(f"SQLite: reusing {path} ({key})")
        return path
    for suffix in ("", "-wal", "-shm", ".params"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    log(f"SQLite: seeding {path} ({key})")
    started = time.time()
    env = {"DATABASE_URL": f"sqlite://{path}?mode=rwc"}
    run_binary(settings, ["migrate", "up"], env, os.path.join(WORK, "seed-sqlite.log"))
    run_binary(settings, seed_args(settings, synthetic), env, os.path.join(WORK, "seed-sqlite.log"))
    con = sqlite3.connect(path)
    con.execute("ANALYZE")
    con.close()
    with open(marker, "w") as f:
        f.write(key)
    log(f"SQLite: seeded in {time.time() - started:.0f} s")
    return path


def counts(settings):
    tables = ["municipality", "plan", "measure", "unit", "law", "legal_reference", "guidance",
              "measure_unit", "measure_legal_reference"]
    sql = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in tables)
    return {r[0]: int(r[1]) for r in psql(settings, sql, db=settings.db)}


# ---------------------------------------------------------------- keys and request files


class Keys:
    """What the requests vary over, picked from the data (the same rows for both APIs)."""

    def __init__(self, numbers, counties, legal_refs, measures):
        self.numbers = numbers
        self.counties = counties
        self.legal_refs = legal_refs
        self.measures = measures


KEY_SQL = {
    "numbers": "SELECT m.number FROM municipality m WHERE m.status = 'published' AND EXISTS "
               "(SELECT 1 FROM plan_owner po WHERE po.municipality_id = m.id) ORDER BY m.number",
    "counties": "SELECT DISTINCT county FROM municipality WHERE status = 'published' ORDER BY county",
    # The most cited references whose citations are their own (a section with paragraphs would also
    # collect its paragraphs' citations in Oppvekstgraf, which PostGraphile's link table does not).
    "legal_refs": "SELECT r.id FROM legal_reference r JOIN measure_legal_reference ml "
                  "ON ml.legal_reference_id = r.id WHERE r.status = 'published' AND (r.paragraph IS NOT NULL "
                  "OR NOT EXISTS (SELECT 1 FROM legal_reference p WHERE p.law_id = r.law_id "
                  "AND p.section = r.section AND p.id <> r.id)) GROUP BY r.id ORDER BY count(*) DESC, r.id LIMIT 50",
    "measures": "SELECT id FROM measure WHERE status = 'published' ORDER BY id",
}


def as_uuid(value):
    if isinstance(value, (bytes, bytearray)):
        return str(uuidlib.UUID(bytes=bytes(value)))
    return str(uuidlib.UUID(str(value)))


def pick_keys(settings, sqlite_path=None):
    rng = random.Random(settings.rng_seed)
    if sqlite_path:
        con = sqlite3.connect(sqlite_path)
        rows = {k: [list(r) for r in con.execute(sql)] for k, sql in KEY_SQL.items()}
        con.close()
    else:
        rows = {k: psql(settings, sql, db=settings.db) for k, sql in KEY_SQL.items()}
    measures = [as_uuid(r[0]) for r in rows["measures"]]
    measures = rng.sample(measures, min(2000, len(measures)))
    return Keys(
        numbers=[r[0] for r in rows["numbers"]],
        counties=[r[0] for r in rows["counties"]],
        legal_refs=[as_uuid(r[0]) for r in rows["legal_refs"]],
        measures=measures,
    )


def our_id(type_name, uuid):
    return base64.urlsafe_b64encode(f"{type_name}:{uuid}".encode()).decode().rstrip("=")


def pg_node_id(table, uuid):
    return base64.b64encode(json.dumps([table, uuid], separators=(",", ":")).encode()).decode()


def variables_for(api, scenario, keys, i):
    if scenario == "small_list":
        return {"county": keys.counties[i % len(keys.counties)]}
    if scenario == "nested_tree":
        return {"number": keys.numbers[i % len(keys.numbers)]}
    if scenario == "backlink":
        ref = keys.legal_refs[i % len(keys.legal_refs)]
        return {"id": our_id("LegalReference", ref) if api == "ours" else ref}
    if scenario == "node":
        m = keys.measures[i % len(keys.measures)]
        return {"id": our_id("Measure", m) if api == "ours" else pg_node_id("measures", m)}
    raise ValueError(scenario)


def body_for(api, scenario, keys, i):
    query = (queries.OURS if api == "ours" else queries.POSTGRAPHILE)[scenario]
    return {"query": query, "variables": variables_for(api, scenario, keys, i)}


def write_requests(api, keys, seed, tag=None, count=4096):
    """One shuffled request file per scenario: `POST\\t/graphql\\t<json>` lines."""
    rng = random.Random(seed)
    files = {}
    mix = [s for s, share in queries.MIX.items() for _ in range(share)]
    for scenario in queries.SCENARIOS:
        lines = []
        for i in range(count):
            s = scenario if scenario != "mixed" else mix[i % len(mix)]
            body = json.dumps(body_for(api, s, keys, rng.randrange(1 << 30)), separators=(",", ":"))
            lines.append(f"POST\t/graphql\t{body}")
        rng.shuffle(lines)
        path = os.path.join(WORK, "requests", f"{tag or api}-{scenario}.txt")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        files[scenario] = path
    return files


# ---------------------------------------------------------------- HTTP


def http(url, body=None, headers=None, timeout=30):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method="POST" if data else "GET")
    req.add_header("Accept", "application/json")
    if data:
        req.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except (urllib.error.URLError, ConnectionError, OSError):
        return None, b""


def wait_ready(check, proc, timeout=120, interval=0.005):
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.bench_name} exited with {proc.returncode} before it was ready")
        if check():
            return time.monotonic() - started
        time.sleep(interval)
    raise RuntimeError(f"{proc.bench_name} not ready after {timeout} s")


def scalars(value):
    """The number of scalar leaves in a JSON value (the same fields of the same rows give the same count)."""
    if isinstance(value, dict):
        return sum(scalars(v) for v in value.values())
    if isinstance(value, list):
        return sum(scalars(v) for v in value)
    return 1


def check_responses(name, url, files, samples=3):
    """Sends a few requests of each scenario; fails on an error, returns sizes and scalar counts."""
    out = {}
    for scenario, path in files.items():
        if scenario == "mixed":
            continue
        with open(path) as f:
            lines = [next(f) for _ in range(samples)]
        sizes, leaves = [], []
        for line in lines:
            body = json.loads(line.rstrip("\n").split("\t", 2)[2])
            status, raw = http(url, body)
            doc = json.loads(raw or b"{}")
            if status != 200 or doc.get("errors") or not doc.get("data") or None in doc["data"].values():
                raise RuntimeError(f"{name} {scenario}: HTTP {status}: {raw[:500]!r}")
            data = dict(doc["data"])
            sizes.append(len(raw))
            leaves.append(scalars(data))
        out[scenario] = {"bytes": statistics.mean(sizes), "scalars": statistics.mean(leaves)}
    return out


# ---------------------------------------------------------------- load


def wrk(settings, url, requests_file, duration, out_path):
    env = dict(os.environ, BENCH_REQUESTS=requests_file, BENCH_OUT=out_path or os.devnull)
    argv = [
        "wrk", "-t", str(settings.threads), "-c", str(settings.concurrency), "-d", f"{duration}s",
        "--timeout", "10s", "--latency", "-s", os.path.join(BENCH, "wrk", "replay.lua"), url,
    ]
    result = subprocess.run(argv, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed: {result.stderr}")
    if out_path:
        with open(out_path) as f:
            return json.load(f)
    return None


def metrics(url):
    """The server's Prometheus counters (name → value), or None without /metrics."""
    status, raw = http(url)
    if status != 200:
        return None
    out = {}
    for line in raw.decode(errors="replace").splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            try:
                out[name] = float(value)
            except ValueError:
                pass
    return out


METRICS = {
    "statements": "oppvekstgraf_sql_statements_total",
    "graphql_requests": "oppvekstgraf_graphql_requests_total",
    "cache_hits": "oppvekstgraf_response_cache_hits_total",
    "cache_misses": "oppvekstgraf_response_cache_misses_total",
}


def settled_metrics(url, timeout=30):
    """The server's counters once no execution is running: when wrk stops, the requests it was waiting for
    still run to their end (their statements are counted, their responses dropped), so counters read at once
    would charge a run with the statements of requests it did not count."""
    deadline = time.time() + timeout
    while True:
        out = metrics(url)
        if out is None or out.get("oppvekstgraf_graphql_executions_running", 0) == 0 or time.time() > deadline:
            return out
        time.sleep(0.02)


def measure(settings, label, server_pid, url, requests_file, metrics_url=None, db=True):
    """Warm-up, then one timed wrk run with CPU, peak RSS and statement counters read around it."""
    log(f"  {label}")
    if settings.warmup > 0:
        wrk(settings, url, requests_file, settings.warmup, None)
    if metrics_url:
        metrics_before = settled_metrics(metrics_url)
    else:
        # A server without /metrics gets the same pause for the warm-up's last requests to end.
        metrics_before = None
        time.sleep(1.0)
    reset_peak_rss(server_pid)
    db_before = db_backend_cpu(settings) if db else {}
    cpu_before = tree_cpu(server_pid)
    out_path = os.path.join(WORK, "wrk", f"{label}.json")
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    res = wrk(settings, url, requests_file, settings.duration, out_path)
    cpu_after = tree_cpu(server_pid)
    db_after = db_backend_cpu(settings) if db else {}
    metrics_after = settled_metrics(metrics_url) if metrics_url else None
    seconds = res["duration_us"] / 1e6
    errors = sum(res["errors"].values())
    row = {
        "requests": res["requests"],
        "seconds": seconds,
        "rps": res["requests"] / seconds,
        "p50_ms": res["latency_us"]["p50"] / 1000,
        "p99_ms": res["latency_us"]["p99"] / 1000,
        "errors": errors,
        "bytes_per_request": res["bytes"] / max(res["requests"], 1),
        "server_cpu_s": cpu_delta_seconds(cpu_before, cpu_after),
        "db_cpu_s": cpu_delta_seconds(db_before, db_after) if db else None,
        "peak_rss_mb": peak_rss_mb(server_pid),
    }
    if metrics_before is not None and metrics_after is not None:
        for key, name in METRICS.items():
            if name in metrics_after:
                row[f"{key}_delta"] = metrics_after[name] - metrics_before.get(name, 0)
        if "statements_delta" in row:
            # Per request the server started in the window (every one of them finished before the counters
            # were read); wrk's count leaves out those still running when it stopped.
            started = row.get("graphql_requests_delta") or res["requests"]
            row["statements_per_request_metrics"] = row["statements_delta"] / max(started, 1)
    if errors:
        log(f"    {errors} errors ({res['errors']})")
    log(f"    {row['rps']:.0f} req/s, p50 {row['p50_ms']:.2f} ms, p99 {row['p99_ms']:.2f} ms, "
        f"server CPU {row['server_cpu_s']:.1f} s, peak RSS {row['peak_rss_mb']:.0f} MB")
    return row


# ---------------------------------------------------------------- servers


def our_env(settings, database_url, cache):
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        BIND=f"127.0.0.1:{settings.our_port}",
        DATABASE_MAX_CONNECTIONS=str(settings.pool),
        RATE_LIMIT_COST_PER_MINUTE="0",
        QUERY_MAX_COST="1000000",
        NO_SEED="true",
        RUST_LOG=os.environ.get("BENCH_RUST_LOG", "warn"),
    )
    if not cache:
        env["RESPONSE_CACHE_MAX_BYTES"] = "0"
    return env


def start_ours(settings, procs, database_url, cache=False, env_extra=None, tag="ours"):
    env = our_env(settings, database_url, cache)
    env.update(env_extra or {})
    proc = procs.start(tag, [settings.binary, "serve"], env=env, log_path=os.path.join(WORK, f"{tag}.log"))
    base = f"http://127.0.0.1:{settings.our_port}"
    wait_ready(lambda: http(base + "/readyz")[0] == 200, proc)
    return proc, base


def start_postgraphile(settings, procs, env_extra=None):
    pool = max(1, -(-settings.pool // settings.pg_workers))
    argv = [
        os.path.join(BENCH, "node_modules", ".bin", "postgraphile"),
        "--connection", settings.pg_url,
        "--schema", "public",
        "--host", "127.0.0.1",
        "--port", str(settings.pg_port),
        "--max-pool-size", str(pool),
        "--disable-query-log",
        "--disable-graphiql",
    ]
    if settings.pg_workers > 1:
        argv += ["--cluster-workers", str(settings.pg_workers)]
    env = dict(os.environ, NODE_ENV="production", **(env_extra or {}))
    proc = procs.start("postgraphile", argv, env=env, log_path=os.path.join(WORK, "postgraphile.log"), cwd=BENCH)
    base = f"http://127.0.0.1:{settings.pg_port}"

    def ready():
        status, raw = http(base + "/graphql", {"query": "{__typename}"})
        return status == 200

    wait_ready(ready, proc, interval=0.1)
    return proc, base, pool


def startup_times(settings, procs, database_url, runs):
    """Spawn to the first 200 from /readyz on an already-migrated database, polling every 5 ms."""
    times = []
    for _ in range(runs):
        env = our_env(settings, database_url, cache=False)
        started = time.monotonic()
        proc = procs.start("startup", [settings.binary, "serve"], env=env,
                           log_path=os.path.join(WORK, "startup.log"))
        url = f"http://127.0.0.1:{settings.our_port}/readyz"
        while True:
            if proc.poll() is not None:
                raise RuntimeError("server exited during start-up")
            if http(url, timeout=1)[0] == 200:
                break
            if time.monotonic() - started > 60:
                raise RuntimeError("server not ready after 60 s")
            time.sleep(0.005)
        times.append(time.monotonic() - started)
        procs.stop(proc)
    return {"runs_s": times, "median_s": statistics.median(times)}


# ---------------------------------------------------------------- statement capture (PostgreSQL log)

ENTRY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] (\S*)@(\S*) (\w+):  (.*)$")


def log_size():
    try:
        return os.path.getsize(PG_LOG)
    except OSError:
        return None


def read_log_entries(offset, db):
    """Entries of the PostgreSQL log from offset on, for database db: (pid, level, message) with
    continuation lines joined."""
    entries = []
    with open(PG_LOG, encoding="utf-8", errors="replace") as f:
        f.seek(offset)
        current = None
        for line in f:
            line = line.rstrip("\n")
            m = ENTRY.match(line)
            if m:
                if current:
                    entries.append(current)
                current = None
                if m.group(3) == db:
                    current = [int(m.group(1)), m.group(4), m.group(5)]
            elif current is not None:
                current[2] += "\n" + line.lstrip("\t")
        if current:
            entries.append(current)
    return entries


STATEMENT = re.compile(r"^(?:statement|execute [^:]+): ([\s\S]*)$")
PARAMS = re.compile(r"^parameters: ([\s\S]*)$")
PARAM = re.compile(r"\$(\d+) = (NULL|'(?:[^']|'')*')")


def parse_statements(entries):
    """Statements in log order: {"sql": text, "params": {n: literal}}; marker selects split them."""
    out = []
    for pid, level, message in entries:
        if level == "LOG":
            m = STATEMENT.match(message)
            if m:
                out.append({"pid": pid, "sql": m.group(1).strip(), "params": {}})
        elif level == "DETAIL":
            m = PARAMS.match(message)
            if m and out:
                out[-1]["params"] = {int(n): v for n, v in PARAM.findall(m.group(1))}
    return out


def marker(settings, text):
    psql(settings, f"SELECT 'bench-marker:{text}'", db=settings.db)


# The server's own background work (the change feed's back-up poll) is not part of any request.
BACKGROUND = re.compile(r"^SELECT MAX\(seq\) AS max FROM change_event")


def split_by_markers(statements):
    groups, current, name = {}, None, None
    for st in statements:
        m = re.match(r"^SELECT 'bench-marker:([^']*)'$", st["sql"])
        if m:
            name = m.group(1)
            current = groups.setdefault(name, []) if not name.endswith(":end") else None
            continue
        if current is not None and not BACKGROUND.match(st["sql"]):
            current.append(st)
    return groups


def capture(settings, procs, api, files, start):
    """Sends capture_requests sequential requests per scenario with log_statement = all on the bench
    database and returns the statements of each request, split by marker selects."""
    proc, base = start()
    try:
        offset = log_size()
        for scenario in queries.SCENARIOS:
            if scenario == "mixed":
                continue
            with open(files[scenario]) as f:
                lines = [next(f) for _ in range(settings.capture_requests)]
            for i, line in enumerate(lines):
                body = json.loads(line.rstrip("\n").split("\t", 2)[2])
                marker(settings, f"{RUN}:{api}:{scenario}:{i}")
                status, _ = http(base + "/graphql", body)
                marker(settings, f"{RUN}:{api}:{scenario}:{i}:end")
                if status != 200:
                    raise RuntimeError(f"capture {api} {scenario}: HTTP {status}")
        time.sleep(0.5)
        groups = split_by_markers(parse_statements(read_log_entries(offset, settings.db)))
    finally:
        procs.stop(proc)
    per = {}
    for scenario in queries.SCENARIOS:
        if scenario == "mixed":
            continue
        reqs = [groups.get(f"{RUN}:{api}:{scenario}:{i}", []) for i in range(settings.capture_requests)]
        per[scenario] = {
            # The median: a background statement of the server (the change-feed poll) may fall inside one
            # request's window.
            "statements_per_request": statistics.median(len(r) for r in reqs),
            "statements_per_request_mean": statistics.mean(len(r) for r in reqs),
            "kinds": sorted({r2["sql"].split()[0].upper() for r in reqs for r2 in r}),
            "requests": reqs,
        }
    return per


def inline(statement):
    sql = statement["sql"]
    for n in sorted(statement["params"], reverse=True):
        sql = re.sub(r"\$" + str(n) + r"(?!\d)", lambda _m, v=statement["params"][n]: v, sql)
    return sql


def write_floor_scripts(requests):
    """One pgbench script per captured nested-tree request: its statements with their values inlined."""
    folder = os.path.join(WORK, "floor")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    paths = []
    for i, statements in enumerate(requests):
        if not statements:
            continue
        path = os.path.join(folder, f"nested-{i}.sql")
        with open(path, "w") as f:
            for st in statements:
                f.write(inline(st).replace("\n", " ") + ";\n")
        paths.append(path)
    return paths


def pgbench(settings, scripts):
    folder = os.path.join(WORK, "floor")
    for old in os.listdir(folder):
        if old.startswith("pgbench_log"):
            os.remove(os.path.join(folder, old))
    argv = ["pgbench", "-n", "-M", "prepared", "-c", str(settings.concurrency), "-j", str(settings.threads)]
    for s in scripts:
        argv += ["-f", f"{s}@1"]
    warm = argv + ["-T", str(max(settings.warmup, 1)), settings.pg_url]
    subprocess.run(warm, capture_output=True, text=True, check=True)
    run = argv + ["-T", str(settings.duration), "-l", "--log-prefix", os.path.join(folder, "pgbench_log"),
                  settings.pg_url]
    proc = subprocess.Popen(run, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # pgbench's backends exist once it has connected and exit with it: sample their CPU right after the
    # start and just before the end, and scale to the whole run.
    time.sleep(0.5)
    db_before, t0 = db_backend_cpu(settings), time.monotonic()
    time.sleep(max(settings.duration - 1.0, 0.5))
    db_after, t1 = {pid: cpu_ticks(pid) for pid in db_before}, time.monotonic()
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"pgbench failed: {err}")
    tps = float(re.search(r"tps = ([\d.]+) \(without initial connection time\)", out).group(1))
    latencies = []
    for name in os.listdir(folder):
        if name.startswith("pgbench_log"):
            with open(os.path.join(folder, name)) as f:
                latencies += [int(line.split()[2]) for line in f if line.strip()]
    latencies.sort()

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] / 1000 if latencies else None

    return {
        "rps": tps,
        "requests": len(latencies),
        "p50_ms": pct(50),
        "p99_ms": pct(99),
        "db_cpu_s": cpu_delta_seconds(db_before, db_after) * settings.duration / max(t1 - t0, 0.1),
        "scripts": len(scripts),
        "statements_per_request": None,
    }


# ---------------------------------------------------------------- nginx


def start_nginx(settings, procs, files):
    """nginx on a loopback port with its own minimal config in a temp dir, serving `files` (name → bytes)."""
    root = tempfile.mkdtemp(prefix="oppvekstgraf-bench-nginx-")
    os.chmod(root, 0o755)
    html = os.path.join(root, "html")
    os.makedirs(html)
    for name, data in files.items():
        with open(os.path.join(html, name), "wb") as f:
            f.write(data)
    conf = os.path.join(root, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""daemon off;
master_process on;
user root;
worker_processes auto;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path {root}/body;
  proxy_temp_path {root}/proxy;
  fastcgi_temp_path {root}/fastcgi;
  uwsgi_temp_path {root}/uwsgi;
  scgi_temp_path {root}/scgi;
  types {{ application/graphql-response+json json; }}
  default_type application/graphql-response+json;
  server {{
    listen 127.0.0.1:{settings.nginx_port};
    root {html};
  }}
}}
""")
    proc = procs.start("nginx", ["nginx", "-c", conf, "-p", root], log_path=os.path.join(WORK, "nginx.log"))
    base = f"http://127.0.0.1:{settings.nginx_port}"
    first = next(iter(files))
    wait_ready(lambda: http(f"{base}/{first}")[0] == 200, proc, timeout=20, interval=0.05)
    return proc, base, root


# ---------------------------------------------------------------- machine


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


def version(argv):
    try:
        r = subprocess.run(argv, capture_output=True, text=True)
        return (r.stdout or r.stderr).strip().splitlines()[0]
    except (OSError, IndexError):
        return None


def machine(settings):
    cpu = re.search(r"model name\s*:\s*(.*)", read("/proc/cpuinfo"))
    mem = re.search(r"MemTotal:\s*(\d+)", read("/proc/meminfo"))
    pg = psql(settings, "SHOW server_version")[0][0]
    pg_settings = {
        name: psql(settings, f"SHOW {name}")[0][0]
        for name in ("shared_buffers", "max_connections", "work_mem", "synchronous_commit")
    }
    pkg = json.load(open(os.path.join(BENCH, "node_modules", "postgraphile", "package.json")))
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu.group(1).strip() if cpu else platform.processor(),
        "ram_gib": round(int(mem.group(1)) / 1024 / 1024, 1) if mem else None,
        "kernel": platform.release(),
        "postgresql": pg,
        "postgresql_settings": pg_settings,
        "wrk": version(["wrk", "-v"]),
        "nginx": version(["nginx", "-v"]),
        "pgbench": version(["pgbench", "--version"]),
        "node": version(["node", "--version"]),
        "postgraphile": pkg["version"],
        "rustc": version(["rustc", "--version"]),
        "git": version(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]),
        "loadavg_at_start": read("/proc/loadavg").split()[:3],
    }


# ---------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny scale, 2 s runs: checks the harness end to end")
    args = parser.parse_args()
    settings = Settings(args)
    os.makedirs(WORK, exist_ok=True)
    procs = Processes()

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    try:
        run(settings, procs)
    finally:
        procs.stop_all()
        try:
            psql(settings, f'ALTER DATABASE "{settings.db}" RESET log_statement', check=False)
        except Exception:  # noqa: BLE001 - best effort on the way out
            pass


def run(settings, procs):
    synthetic = has_synthetic(settings)
    if not synthetic:
        log("this binary has no `seed --synthetic`: benchmarking the built-in seed content")
    results = {
        "settings": {
            "duration_s": settings.duration,
            "warmup_s": settings.warmup,
            "concurrency": settings.concurrency,
            "wrk_threads": settings.threads,
            "pool": settings.pool,
            "postgraphile_workers": settings.pg_workers,
            "quick": settings.quick,
            "scale": settings.scale() if synthetic else "built-in seed",
        },
        "machine": machine(settings),
        "postgres": {},
        "postgraphile": {},
        "cached": {},
        "sqlite": {},
    }
    prepare_postgres(settings, synthetic)
    postgraphile_comments(settings)
    results["data"] = counts(settings)
    log(f"data: {results['data']}")
    keys = pick_keys(settings)
    log(f"keys: {len(keys.numbers)} municipalities, {len(keys.counties)} counties, "
        f"{len(keys.legal_refs)} legal references, {len(keys.measures)} measures")
    ours_files = write_requests("ours", keys, settings.rng_seed)
    pg_files = write_requests("postgraphile", keys, settings.rng_seed)

    # Statement capture: statements per request of both APIs, and the nested tree's statements for the floor.
    floor_scripts = []
    if log_size() is not None and settings.wants("capture"):
        log("capturing statements (log_statement = all on the bench database)")
        psql(settings, f'ALTER DATABASE "{settings.db}" SET log_statement = \'all\'')
        try:
            ours_cap = capture(settings, procs, "ours", ours_files,
                               lambda: start_ours(settings, procs, settings.pg_url))
            pg_cap = capture(settings, procs, "postgraphile", pg_files,
                             lambda: start_postgraphile(settings, procs)[:2])
        finally:
            psql(settings, f'ALTER DATABASE "{settings.db}" RESET log_statement')
        results["captured"] = {
            api: {s: {k: v for k, v in c.items() if k != "requests"} for s, c in cap.items()}
            for api, cap in (("ours", ours_cap), ("postgraphile", pg_cap))
        }
        floor_scripts = write_floor_scripts(ours_cap["nested_tree"]["requests"])
        with open(os.path.join(WORK, "captured.json"), "w") as f:
            json.dump({"ours": ours_cap, "postgraphile": pg_cap}, f, indent=1)
        for api, cap in (("ours", ours_cap), ("postgraphile", pg_cap)):
            for s, c in cap.items():
                log(f"  {api} {s}: {c['statements_per_request']:.2f} statements/request {c['kinds']}")
    else:
        log(f"no readable PostgreSQL log at {PG_LOG}: statements per request from /metrics only, no SQL floor")

    # Oppvekstgraf on PostgreSQL, response cache off.
    if settings.wants("ours"):
        log("Oppvekstgraf on PostgreSQL (response cache off)")
        results["startup_postgres"] = startup_times(settings, procs, settings.pg_url, settings.startup_runs)
        log(f"  start-up to ready: {results['startup_postgres']['median_s'] * 1000:.0f} ms (median)")
        proc, base = start_ours(settings, procs, settings.pg_url)
        results["checks_ours"] = check_responses("ours", base + "/graphql", ours_files)
        for scenario in queries.SCENARIOS:
            if scenario == "mixed":
                # A fresh process, so the peak RSS is the mixed load's own.
                procs.stop(proc)
                proc, base = start_ours(settings, procs, settings.pg_url)
            results["postgres"][scenario] = measure(settings, f"ours-pg-{scenario}", proc.pid, base + "/graphql",
                                                    ours_files[scenario], metrics_url=base + "/metrics")
        procs.stop(proc)

    # PostGraphile over the same database.
    if settings.wants("postgraphile"):
        log(f"PostGraphile {results['machine']['postgraphile']} ({settings.pg_workers} workers)")
        proc, base, pool = start_postgraphile(settings, procs)
        results["settings"]["postgraphile_pool_per_worker"] = pool
        results["checks_postgraphile"] = check_responses("postgraphile", base + "/graphql", pg_files)
        for scenario in queries.SCENARIOS:
            if scenario == "mixed":
                procs.stop(proc)
                proc, base, pool = start_postgraphile(settings, procs)
            results["postgraphile"][scenario] = measure(settings, f"postgraphile-{scenario}", proc.pid,
                                                        base + "/graphql", pg_files[scenario])
        procs.stop(proc)

    # The raw SQL floor.
    if floor_scripts and settings.wants("floor"):
        log(f"SQL floor: pgbench replaying the nested tree's statements ({len(floor_scripts)} captured requests)")
        results["floor"] = pgbench(settings, floor_scripts)
        results["floor"]["statements_per_request"] = results["captured"]["ours"]["nested_tree"][
            "statements_per_request"]
        log(f"    {results['floor']['rps']:.0f} transactions/s, p99 {results['floor']['p99_ms']:.2f} ms")

    # Cached GETs against nginx serving the same bytes.
    if settings.wants("cached"):
        log("cached GET (response cache on) against nginx serving the same bytes")
        proc, base = start_ours(settings, procs, settings.pg_url, cache=True, tag="ours-cached")
        statics = {}
        for scenario in ("small_list", "nested_tree"):
            # The last municipality number and county: synthetic ones at any scale, with a full tree.
            body = body_for("ours", scenario, keys, -1)
            qs = urllib.parse.urlencode({"query": body["query"], "variables": json.dumps(body["variables"])})
            path = f"/graphql?{qs}"
            headers = {"Accept": "application/graphql-response+json"}
            http(base + path, headers=headers)
            status, raw = http(base + path, headers=headers)
            if status != 200:
                raise RuntimeError(f"cached GET {scenario}: HTTP {status} {raw[:300]!r}")
            statics[f"{scenario}.json"] = raw
            req_file = os.path.join(WORK, "requests", f"cached-{scenario}.txt")
            with open(req_file, "w") as f:
                f.write(f"GET\t{path}\n")
            row = measure(settings, f"ours-cached-{scenario}", proc.pid, base, req_file,
                          metrics_url=base + "/metrics")
            row["response_bytes"] = len(raw)
            results["cached"][f"ours_{scenario}"] = row
        # The same varied requests as the uncached runs, now with the cache on, as a server is deployed: the
        # warm-up fills the cache, and what is measured is the mix of hits and misses the keys give.
        results["cached_varied"] = {}
        for scenario in ("small_list", "node", "nested_tree", "mixed"):
            results["cached_varied"][scenario] = measure(
                settings, f"ours-cached-varied-{scenario}", proc.pid, base + "/graphql", ours_files[scenario],
                metrics_url=base + "/metrics")
        procs.stop(proc)
        nginx, nbase, root = start_nginx(settings, procs, statics)
        try:
            for name in statics:
                scenario = name[:-5]
                req_file = os.path.join(WORK, "requests", f"nginx-{scenario}.txt")
                with open(req_file, "w") as f:
                    f.write(f"GET\t/{name}\n")
                row = measure(settings, f"nginx-{scenario}", nginx.pid, nbase, req_file, db=False)
                row["response_bytes"] = len(statics[name])
                results["cached"][f"nginx_{scenario}"] = row
        finally:
            procs.stop(nginx)
            shutil.rmtree(root, ignore_errors=True)

    # The embedded SQLite default.
    if settings.sqlite and settings.wants("sqlite"):
        path = prepare_sqlite(settings, synthetic)
        url = f"sqlite://{path}?mode=rwc"
        skeys = pick_keys(settings, sqlite_path=path)
        sfiles = write_requests("ours", skeys, settings.rng_seed, tag="ours-sqlite")
        log("Oppvekstgraf on SQLite (response cache off)")
        results["startup_sqlite"] = startup_times(settings, procs, url, settings.startup_runs)
        log(f"  start-up to ready: {results['startup_sqlite']['median_s'] * 1000:.0f} ms (median)")
        proc, base = start_ours(settings, procs, url, tag="ours-sqlite")
        check_responses("sqlite", base + "/graphql", sfiles)
        for scenario in queries.SCENARIOS:
            if scenario == "mixed":
                procs.stop(proc)
                proc, base = start_ours(settings, procs, url, tag="ours-sqlite")
            results["sqlite"][scenario] = measure(settings, f"ours-sqlite-{scenario}", proc.pid, base + "/graphql",
                                                  sfiles[scenario], metrics_url=base + "/metrics", db=False)
        procs.stop(proc)

    results["finished"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    results_dir = os.path.join(BENCH, "results")
    os.makedirs(results_dir, exist_ok=True)
    name = "quick.json" if settings.quick else "latest.json"
    with open(os.path.join(results_dir, name), "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)
    md = report.render(results)
    md_path = os.path.join(BENCH, "RESULTS-quick.md" if settings.quick else "RESULTS.md")
    with open(md_path, "w") as f:
        f.write(md)
    log(f"wrote {md_path} and bench/results/{name}")
    print(md)


if __name__ == "__main__":
    main()
