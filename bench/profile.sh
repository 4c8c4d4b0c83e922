#!/usr/bin/env bash
# Where the server's CPU goes per request: a sampled profile of one benchmark scenario, split into stages.
#
#   bash bench/profile.sh                          # the nested tree, national scale, 20 s
#   bash bench/profile.sh --scenario backlink      # another scenario of bench/queries.py
#   bash bench/profile.sh --compare /path/to/other/oppvekstgraf
#                                                  # first this build against another, side by side
#   python3 bench/profile.py --render bench/results/profile.json   # PROFILE.md again from the saved run
#
# Builds the release binary with frame pointers and line tables into target/profile (the release profile
# otherwise, so the code is what deployments run), reuses the benchmark's database (bench/README.md) and
# writes bench/PROFILE.md. Needs perf and wrk (installed from Debian when missing; perf needs
# kernel.perf_event_paranoid <= 1 or root).
set -euo pipefail

cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v perf >/dev/null || missing+=(linux-perf)
command -v psql >/dev/null || missing+=(postgresql-client)
if [ ${#missing[@]} -gt 0 ]; then
  echo "[profile] installing ${missing[*]} from Debian"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

echo "[profile] cargo build --release (frame pointers, line tables) into target/profile"
CARGO_PROFILE_RELEASE_DEBUG=line-tables-only RUSTFLAGS="-C force-frame-pointers=yes" \
  cargo build --release --quiet --target-dir target/profile

export BINARY="$(pwd)/target/profile/release/oppvekstgraf"
exec python3 bench/profile.py "$@"
