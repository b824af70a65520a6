#!/usr/bin/env bash
# HTTP benchmark of the server (quality.md "Server"; issue 7 "Measure").
#
# Builds the release binary, starts `vertoog serve --demo` on a free loopback port with a
# temporary store, and measures with wrk (Debian package `wrk`; installed with apt-get when
# missing and we are root) at 64 connections:
#   1. GET /api/v1/maps/demo/analysis   (cached analysis reads)   target >= 5,000 req/s, p99 < 50 ms
#   2. POST /api/v1/maps/demo/stances   (durable writes)          target >= 500 req/s
# Prints requests per second and p99 latency of each, and fails when a request got a non-2xx
# answer. Options through the environment: DURATION (seconds, default 10), CONNECTIONS
# (default 64), THREADS (wrk threads, default 2), SKIP_BUILD=1 to reuse target/release.
#
# Usage: bench/http.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"

# Installs wrk, builds, starts the server: BIN, STORE, WORK, URL, SERVER_PID.
# shellcheck source=bench/server.sh
. bench/server.sh
# Warm the cache (the first request computes the analysis).
curl -fsS "$URL/api/v1/maps/demo/analysis" >/dev/null

cat >"$WORK/post.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"actor": "utrecht", "narrative": "digital-by-default", "position": 1, "source": "bench"}'
EOF

# Prints "<req/s> <p99 in ms> <non-2xx count>" from wrk's --latency output.
summarise() {
  awk '
    /Requests\/sec:/ { rps = $2 }
    /^ +99%/ { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); p99 = v / 1000 }
               else if (v ~ /ms$/) { sub(/ms$/, "", v); p99 = v }
               else if (v ~ /s$/) { sub(/s$/, "", v); p99 = v * 1000 } }
    /Non-2xx or 3xx responses:/ { bad = $5 }
    END { printf "%s %s %d\n", rps, p99, bad + 0 }' "$1"
}

run() { # name, wrk args...
  local name="$1"; shift
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" >"$WORK/$name.txt"
  read -r rps p99 bad < <(summarise "$WORK/$name.txt")
  printf '%-28s %10s req/s   p99 %8s ms   non-2xx %s\n' "$name" "$rps" "$p99" "$bad"
  if [ "$bad" != 0 ]; then cat "$WORK/$name.txt" >&2; return 1; fi
}

echo "vertoog serve --demo on $URL, $CONNECTIONS connections, ${DURATION}s each"
run "GET analysis (cached)" "$URL/api/v1/maps/demo/analysis"
run "POST stance (durable)" -s "$WORK/post.lua" "$URL/api/v1/maps/demo/stances"
echo "targets (quality.md): analysis >= 5000 req/s with p99 < 50 ms; writes >= 500 req/s"
