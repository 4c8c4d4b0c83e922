#!/usr/bin/env python3
"""Where the server's CPU goes per request of one scenario: a sampled profile with call graphs, split into
the stages of a read (HTTP, parsing and validation, the executor, our resolvers, loader glue, SQL driver,
row decoding, serialisation, runtime, kernel), with the database's CPU per request beside it.

Run it through `bench/profile.sh`, which builds a release binary with frame pointers and line tables (so
`perf` can walk the stacks) and installs `perf` and `wrk` when missing. It reuses the benchmark's data,
keys and request files (`bench.py`), so the profile is of the same requests the benchmark measures.
Writes bench/PROFILE.md and bench/results/profile.json.
"""

import argparse
import collections
import datetime
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

# A sample is charged to the innermost frame that names a stage; frames that match none (the standard
# library, the allocator, generic collections) say nothing of the stage and are passed over. The first
# match of a frame wins, so the more specific patterns come first.
STAGES = [
    ("row decoding", ["sea_orm::executor::query", "FromQueryResult", "sqlx_core::row", "sqlx_postgres::row",
                      "sqlx_postgres::value", "sqlx_core::decode", "sqlx_postgres::types", "uuid::",
                      "chrono::", "TryGetable", "sea_orm::query::json"]),
    ("SQL driver", ["sqlx_postgres", "sqlx_core", "sqlx_sqlite", "libsqlite3", "sqlite3", "sea_orm"]),
    ("loader glue", ["async_graphql::dataloader", "oppvekstgraf_api::loader", "oppvekstgraf_api::sql",
                     "oppvekstgraf_api::page"]),
    ("serialisation", ["serde_json", "async_graphql_value::serializer", "serialize", "Serialize"]),
    ("parse, validate, price", ["async_graphql_parser", "async_graphql::validation",
                                "oppvekstgraf_api::limits", "async_graphql::registry"]),
    ("our resolvers and types", ["oppvekstgraf_api::graphql", "oppvekstgraf_api::id"]),
    ("executor", ["async_graphql"]),
    ("HTTP", ["hyper", "axum", "tower", "http::", "oppvekstgraf_api::http", "oppvekstgraf_api::server"]),
    ("runtime", ["tokio", "futures_util", "futures_core"]),
]
ALLOCATOR = ["mi_", "_mi_", "mimalloc", "malloc", "free", "realloc", "__rust_alloc", "__rust_dealloc"]


def stage_of(stack):
    """The stage of a sample, from its frames listed innermost first."""
    if stack and stack[0].startswith("[k]"):
        return "kernel (sockets, scheduling)"
    for frame in stack:
        for stage, patterns in STAGES:
            if any(p in frame for p in patterns):
                return stage
    return "other"


def samples(perf_data):
    """(stack, innermost first) per sample, from `perf script`."""
    out = subprocess.run(["perf", "script", "-i", perf_data, "-F", "ip,sym,dso"],
                         capture_output=True, text=True, check=True).stdout
    stack = []
    for line in out.splitlines():
        line = line.strip()
        if not line:
            if stack:
                yield stack
            stack = []
            continue
        parts = line.split(None, 1)
        rest = parts[1] if len(parts) > 1 else ""
        sym, _, dso = rest.rpartition(" (")
        kernel = "kernel" in dso
        stack.append(("[k]" if kernel else "") + (sym or rest))
    if stack:
        yield stack


def split(perf_data):
    stages = collections.Counter()
    alloc = collections.Counter()
    total = 0
    for stack in samples(perf_data):
        total += 1
        stage = stage_of(stack)
        stages[stage] += 1
        if any(a in stack[0] for a in ALLOCATOR):
            alloc[stage] += 1
    return total, stages, alloc


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", default="nested_tree", choices=bench.queries.SCENARIOS)
    parser.add_argument("--seconds", type=int, default=20, help="length of the profiled run")
    parser.add_argument("--frequency", type=int, default=499, help="samples per second and CPU")
    parser.add_argument("--quick", action="store_true", help="tiny scale (checks the harness)")
    parser.add_argument("--render", metavar="JSON", help="only write PROFILE.md again from a saved result")
    parser.add_argument("--compare", metavar="BINARY",
                        help="first measure this other build against the profiled one, side by side: three "
                             "alternating unprofiled runs of each, medians and their ratio")
    args = parser.parse_args()
    settings = bench.Settings(args)
    if args.render:
        with open(args.render) as f:
            write_report(json.load(f), settings)
        return
    load_before = os.getloadavg()
    procs = bench.Processes()
    os.makedirs(bench.WORK, exist_ok=True)
    try:
        bench.prepare_postgres(settings, synthetic=True)
        keys = bench.pick_keys(settings)
        files = bench.write_requests("ours", keys, settings.rng_seed, tag="profile")
        requests_file = files[args.scenario]
        comparison = compare(settings, procs, args, requests_file) if args.compare else None
        proc, url = bench.start_ours(settings, procs, settings.pg_url)
        bench.log(f"warm-up {settings.warmup} s")
        bench.wrk(settings, url, requests_file, settings.warmup, None)
        perf_data = os.path.join(bench.WORK, "perf.data")
        server_before = bench.tree_cpu(proc.pid)
        db_before = bench.db_backend_cpu(settings)
        recorder = subprocess.Popen(
            ["perf", "record", "-q", "-g", "-F", str(args.frequency), "-p", str(proc.pid), "-o", perf_data,
             "--", "sleep", str(args.seconds)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        bench.log(f"profiling {args.scenario} for {args.seconds} s")
        run = bench.wrk(settings, url, requests_file, args.seconds, os.path.join(bench.WORK, "profile-wrk.json"))
        recorder.wait()
        server_cpu = bench.cpu_delta_seconds(server_before, bench.tree_cpu(proc.pid))
        db_cpu = bench.cpu_delta_seconds(db_before, bench.db_backend_cpu(settings))
        procs.stop_all()
        total, stages, alloc = split(perf_data)
        requests = run["requests"]
        result = {
            "scenario": args.scenario,
            "started": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "load_average": load_before,
            "requests": requests,
            "seconds": args.seconds,
            "frequency": args.frequency,
            "server_cpu_ms_per_request": 1000 * server_cpu / max(requests, 1),
            "database_cpu_ms_per_request": 1000 * db_cpu / max(requests, 1),
            "samples": total,
            "stages": dict(stages),
            "allocator": dict(alloc),
            "comparison": comparison,
            "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                     text=True, cwd=bench.ROOT).stdout.strip(),
        }
        with open(os.path.join(bench.BENCH, "results", "profile.json"), "w") as f:
            json.dump(result, f, indent=2)
        write_report(result, settings)
    finally:
        procs.stop_all()


def write_report(result, settings):
    text = render(result, settings)
    with open(os.path.join(bench.BENCH, "PROFILE.md"), "w") as f:
        f.write(text)
    print(text)


def measured_run(settings, procs, binary, args, requests_file):
    """One unprofiled run of `binary`: requests/s and server CPU per request."""
    settings.binary = binary
    proc, url = bench.start_ours(settings, procs, settings.pg_url)
    bench.wrk(settings, url, requests_file, settings.warmup, None)
    before = bench.tree_cpu(proc.pid)
    run = bench.wrk(settings, url, requests_file, args.seconds, os.path.join(bench.WORK, "compare-wrk.json"))
    cpu = bench.cpu_delta_seconds(before, bench.tree_cpu(proc.pid))
    procs.stop(proc)
    return {"rps": run["requests"] / args.seconds, "cpu_ms": 1000 * cpu / max(run["requests"], 1),
            "p99_ms": run["latency_us"]["p99"] / 1000}


def compare(settings, procs, args, requests_file):
    """The other build against this one, alternating, three runs each; medians."""
    this = settings.binary
    load_before = os.getloadavg()
    runs = {"other": [], "this": []}
    for round_ in range(3):
        for name, binary in (("other", args.compare), ("this", this)):
            bench.log(f"comparison round {round_ + 1}: {name} ({binary})")
            runs[name].append(measured_run(settings, procs, binary, args, requests_file))
    settings.binary = this
    med = {name: {k: statistics.median(r[k] for r in rs) for k in rs[0]} for name, rs in runs.items()}
    return {"other_binary": args.compare, "runs": runs, "median": med, "load_before": load_before}


def render_comparison(c):
    if not c:
        return []
    o, t = c["median"]["other"], c["median"]["this"]
    return [
        "## Side by side",
        "",
        f"The profiled build against `{c['other_binary']}`, unprofiled, alternating, three runs of each "
        f"(medians; load average before the runs {' '.join(f'{x:.2f}' for x in c['load_before'])}, on a machine "
        "with nothing else running):",
        "",
        "| build | requests/s | server CPU ms/request | p99 ms |",
        "|---|---|---|---|",
        f"| other | {o['rps']:.1f} | {o['cpu_ms']:.2f} | {o['p99_ms']:.0f} |",
        f"| this | {t['rps']:.1f} | {t['cpu_ms']:.2f} | {t['p99_ms']:.0f} |",
        f"| this ÷ other | {t['rps'] / o['rps']:.2f}× | {t['cpu_ms'] / o['cpu_ms']:.2f}× | "
        f"{t['p99_ms'] / o['p99_ms']:.2f}× |",
        "",
    ]


def render(r, settings):
    per = r["server_cpu_ms_per_request"]
    lines = [
        "# Where the server's CPU goes",
        "",
        f"Produced by `bash bench/profile.sh` ({r['started']}, commit {r['commit']}, load average before it "
        f"{' '.join(f'{x:.2f}' for x in r['load_average'])}): the `{r['scenario']}` requests of the benchmark "
        f"(`bench/queries.py`) against the uncached server on PostgreSQL at the benchmark's scale, "
        f"{settings.concurrency} connections, {r['seconds']} s, sampled by `perf record -g -F "
        f"{r.get('frequency', 499)}` (per second and CPU) with frame-pointer call graphs.",
        "",
        f"{r['requests']:,} requests; server CPU {per:.2f} ms per request, PostgreSQL backends "
        f"{r['database_cpu_ms_per_request']:.2f} ms per request. {r['samples']:,} samples of the server.",
        "",
        "A sample is charged to the innermost frame that names a stage (see `STAGES` in `bench/profile.py`); the "
        "allocator column is the part of a stage's samples that were inside malloc/free.",
        "",
        "| stage | share of server CPU | ms per request | of which allocator |",
        "|---|---|---|---|",
    ]
    total = max(r["samples"], 1)
    for stage, n in sorted(r["stages"].items(), key=lambda kv: -kv[1]):
        a = r["allocator"].get(stage, 0)
        lines.append(f"| {stage} | {100 * n / total:.1f}% | {per * n / total:.2f} | {100 * a / total:.1f}% |")
    lines.append("")
    lines.extend(render_comparison(r.get("comparison")))
    return "\n".join(lines)


if __name__ == "__main__":
    main()
