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

if ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    echo "wrk is not installed: apt-get install wrk" >&2
    exit 2
  fi
fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  cargo build --release -p vertoog-cli >&2
fi
BIN="${CARGO_TARGET_DIR:-target}/release/vertoog"

STORE="$(mktemp -d)"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$STORE" "$WORK"
}
trap cleanup EXIT

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
URL="http://127.0.0.1:$PORT"
RUST_LOG=warn "$BIN" --store "$STORE" serve --addr "127.0.0.1:$PORT" --demo >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  if curl -fsS "$URL/api/v1/health" >/dev/null 2>&1; then break; fi
  sleep 0.1
done
curl -fsS "$URL/api/v1/health" >/dev/null || { echo "the server did not start:" >&2; cat "$WORK/server.log" >&2; exit 1; }
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
