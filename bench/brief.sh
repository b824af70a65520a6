#!/usr/bin/env bash
# briefs.md "Performance": the coalition brief of the demo map in under 2 s, of an M map
# (5,000 actors, 200,000 stances, 50,000 ties) in under 10 s, as PDF (the slowest format:
# fonts subset and embedded, drawings converted), through the whole `vertoog brief` process.
# Usage: bench/brief.sh [--no-build] [runs]   (default 3 runs per map; prints each wall time)
set -euo pipefail
cd "$(dirname "$0")/.."
build=1
if [ "${1:-}" = "--no-build" ]; then build=0; shift; fi
runs="${1:-3}"
target="${CARGO_TARGET_DIR:-target}"
[ "$build" = 1 ] && cargo build --release -p vertoog-cli
bin="$target/release/vertoog"
work="bench/work/brief"
mkdir -p "$work"
if [ ! -f "$work/m/stances.csv" ]; then
  "$bin" generate --class M --seed 1 --out "$work/m"
fi
rm -rf "$work/store"
"$bin" --store "$work/store" map create demo --name "Samen Digitaal Loket" >/dev/null
"$bin" --store "$work/store" import --map demo data/demo >/dev/null
"$bin" --store "$work/store" import --map m --create --on-duplicate keep --ignore-unknown-files "$work/m" >/dev/null 2>&1
for map in demo m; do
  for format in pdf docx html; do
    for i in $(seq "$runs"); do
      start=$(date +%s.%N)
      "$bin" --store "$work/store" brief --map "$map" --format "$format" --out "$work/$map.$format"
      end=$(date +%s.%N)
      printf '%s %s run %d: %.2f s\n' "$map" "$format" "$i" "$(echo "$end - $start" | bc)"
    done
  done
done
pdfinfo "$work/m.pdf" 2>/dev/null | grep Pages || true
