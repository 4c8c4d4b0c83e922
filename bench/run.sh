#!/usr/bin/env bash
# The benchmark harness: Oppvekstgraf, PostGraphile and the raw SQL floor on one machine, in one run.
#
#   bash bench/run.sh            # national scale (357 municipalities, ~180,000 measures), 20 s per scenario
#   bash bench/run.sh --quick    # tiny scale, 2 s per scenario: checks the harness end to end
#
# Knobs (environment): DURATION, WARMUP, CONCURRENCY, THREADS, POOL, POSTGRAPHILE_WORKERS, MUNICIPALITIES,
# PLANS_PER_MUNICIPALITY, MEASURES_PER_PLAN, UNITS_PER_MUNICIPALITY, RNG_SEED, SQLITE=0, BENCH_POSTGRES,
# BENCH_DB, ONLY=capture,ours,postgraphile,floor,cached,sqlite. See bench/README.md.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || missing+=(nginx)
command -v pgbench >/dev/null || missing+=(postgresql-client)
command -v psql >/dev/null || missing+=(postgresql-client)
command -v python3 >/dev/null || missing+=(python3)
command -v node >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "[bench] installing ${missing[*]} from Debian"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -x bench/node_modules/.bin/postgraphile ]; then
  echo "[bench] npm ci (PostGraphile, pinned in bench/package-lock.json)"
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "[bench] cargo build --release"
cargo build --release --quiet

if ! psql "${BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}/postgres" -X -qAtc 'SELECT 1' >/dev/null; then
  echo "[bench] PostgreSQL is not reachable at ${BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}" >&2
  exit 1
fi

exec python3 "$root/bench/bench.py" "$@"
