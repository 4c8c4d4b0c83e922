#!/usr/bin/env bash
# The whole test suite: formatting and lints, every Rust test on SQLite and PostgreSQL, and against a real
# server the graphql-http audit suite (GraphQL over HTTP), the GraphiQL console in headless Chromium and a
# schema-driven fuzzer (tests/fuzz). Run from anywhere: `bash tests/run.sh`.
#
# PostgreSQL: tests create and drop their own databases on OPPVEKSTGRAF_TEST_POSTGRES
# (default postgres://postgres@127.0.0.1:5432). Outside CI a missing server skips those tests loudly;
# with CI set it is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo test (SQLite and PostgreSQL)"
cargo test --workspace --all-targets

step "schema.graphql is current"
cargo run --quiet -- schema --check

step "GraphQL over HTTP audit and the GraphiQL console in headless Chromium"
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is missing: install it (apt-get install chromium) to run the console test." >&2
    exit 1
  fi
fi
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
npm ci --prefix tests/http-audit --no-audit --no-fund --loglevel=error
workdir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DATABASE_URL="sqlite://$workdir/console.db?mode=rwc" BIND="127.0.0.1:$port" target/debug/oppvekstgraf serve \
  >"$workdir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$workdir"' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$workdir/server.log"; exit 1; }
# An editor token for Rauma on the server's own database (SQLite WAL: the CLI may write while it runs).
token=$(DATABASE_URL="sqlite://$workdir/console.db?mode=rwc" target/debug/oppvekstgraf token create \
  --municipality 1539 --role editor --name "Konsolltest" 2>"$workdir/token.log") || { cat "$workdir/token.log"; exit 1; }
# Every MUST of the GraphQL-over-HTTP audit passes (SHOULD and MAY misses are printed as warnings).
OPPVEKSTGRAF_URL="http://127.0.0.1:$port" node tests/http-audit/audit.mjs
OPPVEKSTGRAF_URL="http://127.0.0.1:$port" OPPVEKSTGRAF_TOKEN="$token" node --test tests/browser/console.test.mjs

step "Schema-driven fuzzing (hypothesis-graphql) against a real server"
venv=target/fuzz-venv
if ! cmp -s tests/fuzz/requirements.txt "$venv/requirements.txt"; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/fuzz/requirements.txt
  cp tests/fuzz/requirements.txt "$venv/requirements.txt"
fi
# After the browser test, which must see the seed content as it is: the fuzzer writes through mutations with
# the editor token. Same database (and token), restarted with a rate budget large enough that every generated
# case runs instead of being refused with 429.
kill "$server" && wait "$server" 2>/dev/null || true
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RATE_LIMIT_COST_PER_MINUTE=1000000000 RATE_LIMIT_BURST=1000000000 \
  DATABASE_URL="sqlite://$workdir/console.db?mode=rwc" BIND="127.0.0.1:$port" target/debug/oppvekstgraf serve \
  >"$workdir/fuzz-server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$workdir/fuzz-server.log"; exit 1; }
OPPVEKSTGRAF_URL="http://127.0.0.1:$port" OPPVEKSTGRAF_TOKEN="$token" "$venv/bin/python" tests/fuzz/fuzz.py
# The server is still up, and logged no error and no panic while fuzzed.
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { echo "the server is down after fuzzing" >&2; exit 1; }
if sed 's/\x1b\[[0-9;]*m//g' "$workdir/fuzz-server.log" | grep -n -E '^\S+\s+ERROR\b|panicked'; then
  echo "the server logged errors while fuzzed (above)" >&2
  exit 1
fi
