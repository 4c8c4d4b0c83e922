"""Renders bench/RESULTS.md from one run's results (bench/results/latest.json).

`python3 bench/report.py bench/results/latest.json` re-renders it without running anything.
"""

import json
import sys

import queries

LABELS = {"ours": "Oppvekstgraf", "postgraphile": "PostGraphile", "floor": "SQL floor (pgbench)",
          "sqlite": "Oppvekstgraf (SQLite)"}

# Relation fields of the nested tree, each batched across its whole level by one loader: municipality,
# plans, measures, units, legalReferences.
NESTED_LEVELS = 5


def fmt(value, digits=1):
    if value is None:
        return "–"
    if isinstance(value, float):
        if abs(value) >= 100:
            return f"{value:,.0f}"
        return f"{value:.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def ratio(a, b):
    if a is None or b in (None, 0):
        return None
    return a / b


def verdict(ok):
    if ok is None:
        return "not measured"
    return "**met**" if ok else "**missed**"


def statements(results, api, scenario, row):
    """Sequential requests (PostgreSQL log) and, for our server, under load (/metrics): "5 / 5.39"."""
    captured = results.get("captured", {}).get(api, {}).get(scenario)
    under_load = row.get("statements_per_request_metrics") if row else None
    parts = [fmt(v, 2) for v in (captured and captured["statements_per_request"], under_load) if v is not None]
    return " / ".join(parts) if parts else None


def row_line(name, row, stmts):
    cpu_ms = None
    if row.get("server_cpu_s") is not None and row.get("requests"):
        cpu_ms = row["server_cpu_s"] * 1000 / row["requests"]
    return (f"| {name} | {fmt(row.get('rps'))} | {fmt(row.get('p50_ms'), 2)} | {fmt(row.get('p99_ms'), 2)} | "
            f"{fmt(row.get('server_cpu_s'))} | {fmt(cpu_ms, 3)} | {fmt(row.get('db_cpu_s'))} | "
            f"{fmt(row.get('peak_rss_mb'))} | {stmts if isinstance(stmts, str) else fmt(stmts, 2)} | "
            f"{fmt(row.get('errors', 0))} |")


HEADER = ("| API | requests/s | p50 ms | p99 ms | server CPU s | server CPU ms/request | database CPU s | "
          "server peak RSS MB | SQL statements/request (sequential / under load) | errors |\n|---|---|---|---|---|---|---|---|---|---|")


def render(results):
    s = results["settings"]
    m = results["machine"]
    out = []
    w = out.append
    quick = " (quick check, tiny scale: not a measurement)" if s.get("quick") else ""
    w(f"# Benchmark results{quick}\n")
    w("Produced by `bash bench/run.sh` (see [bench/README.md](README.md)); every figure and ratio below comes "
      f"from the same run, started {m['date']} and finished {results.get('finished', '?')}.\n")
    w("Where the server's CPU goes per nested tree (executor, row decoding, resolvers, loader glue, SQL driver, "
      "serialisation, …) is measured by `bash bench/profile.sh` in a run of its own: see "
      "[PROFILE.md](PROFILE.md).\n")
    w("## Machine and settings\n")
    w(f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gib']} GiB RAM, Linux {m['kernel']}; load average "
      f"at start {' '.join(m.get('loadavg_at_start', []))} (the machine is shared: other work may add noise).")
    w(f"- PostgreSQL {m['postgresql']} on 127.0.0.1 ({', '.join(f'{k} {v}' for k, v in m['postgresql_settings'].items())}); "
      f"{m['rustc']}; Node.js {m['node']}; PostGraphile {m['postgraphile']}; {m['wrk']}; {m['nginx']}; "
      f"{m['pgbench']}; commit {m['git']}.")
    w(f"- Load: wrk, {s['concurrency']} connections over {s['wrk_threads']} threads, {s['warmup_s']} s warm-up then "
      f"{s['duration_s']} s measured per scenario, on loopback; every request varies its key (prepared request "
      "files replayed round-robin from a per-thread offset). Servers run one at a time.")
    pg_pool = s.get("postgraphile_pool_per_worker")
    w(f"- Oppvekstgraf: release build, `DATABASE_MAX_CONNECTIONS={s['pool']}`, rate limiting off "
      "(`RATE_LIMIT_COST_PER_MINUTE=0`), `QUERY_MAX_COST=1000000`, `RUST_LOG=warn`, response cache off "
      "(`RESPONSE_CACHE_MAX_BYTES=0`) except in the cached rows.")
    w(f"- PostGraphile: CLI, `--cluster-workers {s['postgraphile_workers']}` (one Node.js process per CPU, as our "
      f"server uses every CPU), `--max-pool-size {fmt(pg_pool)}` per worker, `--disable-query-log`, "
      "`NODE_ENV=production`, over the same database and schema.")
    scale = s["scale"]
    if isinstance(scale, dict):
        scale = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in scale.items())
    w(f"- Data: {scale}. Rows: {', '.join(f'{k} {v:,}' for k, v in results.get('data', {}).items())}.\n")

    w("## Scenarios\n")
    for name in queries.SCENARIOS:
        w(f"- **{name}**: {queries.DESCRIPTIONS[name]}")
    w("\nThe queries are in [queries.py](queries.py): the same fields and page sizes of the same rows on both APIs "
      "(checked: the responses of sampled requests hold the same number of scalar values, listed below).\n")

    w("## PostgreSQL: Oppvekstgraf, PostGraphile and the SQL floor\n")
    for scenario in queries.SCENARIOS:
        w(f"### {scenario}\n")
        w(HEADER)
        for api in ("ours", "postgraphile"):
            row = results.get("postgres" if api == "ours" else "postgraphile", {}).get(scenario)
            if row:
                w(row_line(LABELS[api], row, statements(results, api, scenario, row)))
        if scenario == "nested_tree" and results.get("floor"):
            f = results["floor"]
            w(f"| {LABELS['floor']} | {fmt(f['rps'])} | {fmt(f['p50_ms'], 2)} | {fmt(f['p99_ms'], 2)} | – | – | "
              f"{fmt(f['db_cpu_s'])} | – | {fmt(f['statements_per_request'], 2)} | 0 |")
        w("")

    ours = results.get("postgres", {})
    pg = results.get("postgraphile", {})
    floor = results.get("floor", {})
    w("## Ratios and targets\n")
    w("| comparison | value | target | |\n|---|---|---|---|")
    targets = []

    def target(name, value, goal, ok, unit="×"):
        targets.append(ok)
        w(f"| {name} | {fmt(value, 2)}{unit if value is not None else ''} | {goal} | {verdict(ok)} |")

    def rps_ratio(scenario):
        return ratio(ours.get(scenario, {}).get("rps"), pg.get(scenario, {}).get("rps"))

    r = rps_ratio("nested_tree")
    target("nested tree: Oppvekstgraf / PostGraphile requests/s", r, "≥ 3×", None if r is None else r >= 3)
    p = ratio(ours.get("nested_tree", {}).get("p99_ms"), pg.get("nested_tree", {}).get("p99_ms"))
    target("nested tree: Oppvekstgraf p99 / PostGraphile p99", p, "≤ 0.33×", None if p is None else p <= 1 / 3)
    f = ratio(ours.get("nested_tree", {}).get("rps"), floor.get("rps"))
    target("nested tree: Oppvekstgraf requests/s / SQL floor transactions/s", f, "≥ 0.5×",
           None if f is None else f >= 0.5)
    for scenario in ("small_list", "node"):
        r = rps_ratio(scenario)
        target(f"{scenario}: Oppvekstgraf / PostGraphile requests/s", r, "≥ 5×", None if r is None else r >= 5)
    for scenario in ("backlink", "mixed"):
        r = rps_ratio(scenario)
        w(f"| {scenario}: Oppvekstgraf / PostGraphile requests/s | {fmt(r, 2)}× | (no target) | |")
    rss = ours.get("mixed", {}).get("peak_rss_mb")
    target("server peak RSS under the mixed load", rss, "< 100 MB", None if rss is None else rss < 100, " MB")
    st = results.get("startup_postgres", {}).get("median_s")
    target("start-up to ready, migrated PostgreSQL database (median)", st * 1000 if st else None, "< 1000 ms",
           None if st is None else st < 1, " ms")
    nested = results.get("captured", {}).get("ours", {}).get("nested_tree", {}).get("statements_per_request")
    target("SQL statements per nested-tree request, sequential requests (median)", nested,
           f"= {NESTED_LEVELS} (one per relation level)",
           None if nested is None else abs(nested - NESTED_LEVELS) < 1e-9, "")
    loaded = ours.get("nested_tree", {}).get("statements_per_request_metrics")
    target("SQL statements per nested-tree request under load (mean, /metrics)", loaded,
           f"= {NESTED_LEVELS}", None if loaded is None else loaded < NESTED_LEVELS + 0.05, "")
    varied = results.get("cached_varied", {})
    for scenario in ("nested_tree", "small_list", "node"):
        r = ratio(varied.get(scenario, {}).get("rps"), pg.get(scenario, {}).get("rps"))
        if r is not None:
            w(f"| {scenario}, response cache on (varied keys): Oppvekstgraf / PostGraphile requests/s | "
              f"{fmt(r, 2)}× | (for reference: the targets above are for the uncached server) | |")
    rss_c = varied.get("mixed", {}).get("peak_rss_mb")
    if rss_c is not None:
        w(f"| server peak RSS under the mixed load, response cache on | {fmt(rss_c)} MB | (for reference) | |")
    cached = results.get("cached", {})
    for scenario in ("small_list", "nested_tree"):
        c = ratio(cached.get(f"ours_{scenario}", {}).get("rps"), cached.get(f"nginx_{scenario}", {}).get("rps"))
        target(f"cached GET ({scenario}) / nginx static file of the same bytes", c, "≥ 0.5×",
               None if c is None else c >= 0.5)
    w("")

    if cached:
        w("## Cached GET against nginx\n")
        w("The same anonymous GET repeated with the response cache on (every request after the first is a hit), "
          "against nginx serving a static file with the same bytes (its own minimal config, loopback port, "
          "`worker_processes auto`, `access_log off`, `sendfile on`).\n")
        w(HEADER.replace("| API |", "| server |"))
        for key, row in cached.items():
            who, scenario = key.split("_", 1)
            name = f"{'Oppvekstgraf' if who == 'ours' else 'nginx'} {scenario} ({fmt(row.get('response_bytes'))} bytes)"
            if who == "ours" and row.get("graphql_requests_delta"):
                hits = row.get("cache_hits_delta", 0) / row["graphql_requests_delta"]
                name += f", {hits:.1%} cache hits"
            w(row_line(name, row, row.get("statements_per_request_metrics")))
        w("")

    if varied:
        w("## With the response cache on, varied keys\n")
        w("The uncached runs' request files again (every request varies its key), against a server with the "
          "response cache on, as it is deployed: the warm-up fills the cache, and the measured run gets the "
          "mix of hits and misses the keys give (18 counties, 361 municipalities, 2000 measures, 50 legal "
          "references). PostGraphile has no response cache; its rows above are the comparison.\n")
        w(HEADER.replace("| API |", "| scenario |"))
        for scenario, row in varied.items():
            name = scenario
            if row.get("graphql_requests_delta"):
                hits = row.get("cache_hits_delta", 0) / row["graphql_requests_delta"]
                name += f", {hits:.1%} cache hits"
            w(row_line(name, row, row.get("statements_per_request_metrics")))
        w("")

    sqlite = results.get("sqlite", {})
    if sqlite:
        w("## The embedded SQLite default (Oppvekstgraf only)\n")
        w("The same scenarios against the server on a SQLite file seeded with the same parameters (PostGraphile "
          "does not serve SQLite). Database CPU is inside the server process.\n")
        w(HEADER.replace("| API |", "| scenario |"))
        for scenario in queries.SCENARIOS:
            row = sqlite.get(scenario)
            if row:
                w(row_line(scenario, row, row.get("statements_per_request_metrics")))
        st = results.get("startup_sqlite", {}).get("median_s")
        if st:
            w(f"\nStart-up to ready on the migrated SQLite file: {st * 1000:.0f} ms (median of "
              f"{len(results['startup_sqlite']['runs_s'])}).")
        w("")

    checks_o = results.get("checks_ours", {})
    checks_p = results.get("checks_postgraphile", {})
    if checks_o and checks_p:
        w("## Same answers\n")
        w("Mean response size and scalar values per response over sampled requests of each scenario:\n")
        w("| scenario | Oppvekstgraf bytes | PostGraphile bytes | Oppvekstgraf scalars | PostGraphile scalars |")
        w("|---|---|---|---|---|")
        for scenario in checks_o:
            a, b = checks_o[scenario], checks_p.get(scenario, {})
            w(f"| {scenario} | {fmt(a['bytes'])} | {fmt(b.get('bytes'))} | {fmt(a['scalars'])} | "
              f"{fmt(b.get('scalars'))} |")
        w("")

    captured = results.get("captured")
    if captured:
        w("## SQL statements per request\n")
        w("Counted in PostgreSQL's own log: `log_statement = all` is set on the bench database only, each API "
          "answers a few sequential requests per scenario, and the statements between marker selects are "
          "counted (every statement PostgreSQL executed for the request, whatever the client). "
          "The SQL floor replays the statements Oppvekstgraf issued for captured nested-tree requests with "
          "`pgbench -n -M prepared` at the same concurrency, one pgbench transaction per request, values inlined "
          "(one script per captured municipality, picked at random).\n")
        w("| scenario | Oppvekstgraf | PostGraphile |\n|---|---|---|")
        for scenario, c in captured.get("ours", {}).items():
            p = captured.get("postgraphile", {}).get(scenario, {})
            w(f"| {scenario} | {fmt(c['statements_per_request'], 2)} ({', '.join(c['kinds'])}) | "
              f"{fmt(p.get('statements_per_request'), 2)} ({', '.join(p.get('kinds', []))}) |")
        w("")

    w("## How the columns are measured\n")
    w("- requests/s, p50, p99: wrk's count over the measured duration and its latency percentiles (`--latency`, "
      "via the Lua `done` hook); the SQL floor's from pgbench's per-transaction log.")
    w("- server CPU: utime + stime of the server process and its children (PostGraphile's cluster workers, "
      "nginx's workers) from `/proc/<pid>/stat`, before and after the measured run.")
    w("- database CPU: utime + stime of the PostgreSQL backends connected to the bench database "
      "(`pg_stat_activity`), before and after.")
    w("- peak RSS: `VmHWM` of the server process (summed over PostGraphile's or nginx's processes), reset through "
      "`/proc/<pid>/clear_refs` before each measured run, so it is the peak of that scenario.")
    w("- SQL statements/request: see above; for SQLite and the cached rows, the server's "
      "`oppvekstgraf_sql_statements_total` delta over the measured run divided by its requests.")
    w("- start-up: spawn of `oppvekstgraf serve` to the first 200 from `/readyz` (polled every 5 ms) on the "
      "already-migrated, seeded database; median of several starts.")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        print(render(json.load(f)), end="")
