#!/usr/bin/env bash
# dynamics.md "Performance": `vertoog dynamics --period quarter` of an M map (5,000 actors,
# 200,000 stances dated over 2015-2026) should finish in under 10 s on 2 cores.
# Usage: bench/dynamics.sh [--no-build] [runs]   (default 3 runs; prints each wall time)
set -euo pipefail
cd "$(dirname "$0")/.."
build=1
if [ "${1:-}" = "--no-build" ]; then build=0; shift; fi
runs="${1:-3}"
target="${CARGO_TARGET_DIR:-target}"
[ "$build" = 1 ] && cargo build --release -p vertoog-cli
bin="$target/release/vertoog"
work="bench/work/dynamics-m"
mkdir -p "$work"
if [ ! -f "$work/bundle/stances.csv" ]; then
  "$bin" generate --class M --seed 1 --out "$work/bundle"
fi
rm -rf "$work/store"
"$bin" --store "$work/store" import --map m --create --on-duplicate keep --ignore-unknown-files "$work/bundle" >/dev/null
for i in $(seq "$runs"); do
  start=$(date +%s.%N)
  "$bin" --store "$work/store" dynamics --map m --period quarter --json >"$work/dynamics.json"
  end=$(date +%s.%N)
  printf 'run %d: %.2f s\n' "$i" "$(echo "$end - $start" | bc)"
done
python3 -c "
import json; d = json.load(open('$work/dynamics.json'))
print(len(d['windows']), 'windows,', len(d['lineages']), 'lineages,', len(d['events']), 'events')"
