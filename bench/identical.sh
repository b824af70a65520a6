#!/usr/bin/env bash
# Byte-identity check for refactors of vertoog-analysis (issue 17).
#
#   bench/identical.sh ref   # build, write reference outputs to $REF (default /tmp/h4-ref)
#   bench/identical.sh       # build, write the same outputs to $NEW and cmp them with $REF
#   BIN=path/to/vertoog bench/identical.sh ref   # use that binary instead of building (e.g. the
#                                                # release binary of an earlier commit)
#   DEMO=folder ...          # the demo bundle to use (default data/demo)
#
# Outputs: for the demo map, an S map and an M map (generated, seed 1): `analyse --json`, the
# text report in en and nl, `timeline --json` and `--csv`; for the demo map and S also
# `polarization --json` (M's local search takes minutes), every export (json, csv, dot, graphml, gexf) of every view and the DNA
# networks (`network`, both modes). Stores and outputs live outside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
REF=${REF:-/tmp/h4-ref}
NEW=${NEW:-/tmp/h4-new}
mode=${1:-check}
out=$NEW
[ "$mode" = ref ] && out=$REF
if [ -n "${BIN:-}" ]; then
  bin=$BIN
else
  cargo build --release -q -p vertoog-cli
  bin=${CARGO_TARGET_DIR:-target}/release/vertoog
fi
demo=${DEMO:-data/demo}
work=$out.work
rm -rf "$out" "$work"
mkdir -p "$out" "$work"
export VERTOOG_STORE=$work/store

"$bin" generate --class s --seed 1 --out "$work/s" >/dev/null
"$bin" generate --class m --seed 1 --out "$work/m" >/dev/null
"$bin" import --map demo --create "$demo" >/dev/null
"$bin" import --map s --create --on-duplicate keep --ignore-unknown-files "$work/s" >/dev/null
"$bin" import --map m --create --on-duplicate keep --ignore-unknown-files "$work/m" >/dev/null

for map in demo s m; do
  "$bin" analyse --map $map --json >"$out/$map.analyse.json"
  "$bin" analyse --map $map --lang en >"$out/$map.analyse.en.txt"
  "$bin" analyse --map $map --lang nl >"$out/$map.analyse.nl.txt"
  for p in month quarter year; do
    "$bin" timeline --map $map --period $p --json >"$out/$map.timeline.$p.json"
  done
  "$bin" timeline --map $map --csv >"$out/$map.timeline.csv"
done
for map in demo s; do
  "$bin" polarization --map $map --json >"$out/$map.polarization.json"
done
for map in demo s; do
  for view in structure discourse coalitions; do
    for f in json dot graphml gexf; do
      "$bin" export --map $map --format $f --view $view --out "$out/$map.$view.$f" >/dev/null
    done
    # The JSON bundle carries the map's store timestamps (created, updated): blank them.
    sed -i -E 's/"(created|updated)": "[^"]*"/"\1": ""/' "$out/$map.$view.json"
    "$bin" export --map $map --format csv --view $view --out "$out/$map.$view.csv" >/dev/null
  done
  for mode2 in twomode onemode; do
    "$bin" network --map $map --mode $mode2 --format csv >"$out/$map.network.$mode2.csv"
  done
done
cat >"$work/changes.json" <<'JSON'
{"changes": [{"op": "add_tie", "source": "dgdoo", "target": "min-fin", "kind": "collaboration", "weight": 0.5},
 {"op": "set_stance", "actor": "staatssecretaris", "narrative": "central-facilities", "position": 1}]}
JSON
"$bin" whatif --map demo --json "$work/changes.json" >"$out/demo.whatif.json"
"$bin" whatif --map demo --lang nl "$work/changes.json" >"$out/demo.whatif.nl.txt"

if [ "$mode" = ref ]; then
  echo "reference written to $REF ($(ls "$REF" | wc -l) outputs)"
  exit 0
fi
fail=0
for f in $(cd "$REF" && find . -type f | sort); do
  if ! cmp -s "$REF/$f" "$NEW/$f"; then echo "DIFFERS: $f"; fail=1; fi
done
n=$(cd "$REF" && find . -type f | wc -l)
m=$(cd "$NEW" && find . -type f | wc -l)
[ "$n" = "$m" ] || { echo "file count differs: $n vs $m"; fail=1; }
[ $fail = 0 ] && echo "identical: $n outputs"
exit $fail
