#!/usr/bin/env bash
# Load test of the server (quality.md "Reliability": "60 s of mixed reads and writes at 64
# connections: no 5xx, no deadlock, memory flat"; issue 9).
#
# Builds the release binary, starts `vertoog serve --demo` on a free loopback port with a
# temporary store, and runs wrk (Debian package `wrk`; installed with apt-get when missing and
# we are root) with a Lua script that mixes, per request at random:
#   45%  GET  /api/v1/maps/demo/analysis   (recomputed after every write, else cached)
#   45%  GET  /api/v1/maps/demo/actors
#   10%  POST /api/v1/maps/demo/stances    (a durable write: random actor, narrative, position)
# While it runs, the server's resident memory (VmRSS from /proc/PID/status) is sampled every
# 5 s. Prints requests/s, latency percentiles, the answers by status class, socket errors and
# the RSS series; exits 1 when any answer was a 5xx, a request failed at the socket level, or
# the server died.
#
# Environment: DURATION (seconds, default 60), CONNECTIONS (default 64), THREADS (wrk
# threads, default 2), WRITE_PERCENT (default 10), SKIP_BUILD=1 to reuse the release build
# ($CARGO_TARGET_DIR or target/).
#
# Usage: bench/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-60}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
WRITE_PERCENT="${WRITE_PERCENT:-10}"

# Installs wrk, builds, starts the server: BIN, STORE, WORK, URL, SERVER_PID.
# shellcheck source=bench/server.sh
. bench/server.sh

# The demo map's actor and narrative ids, as Lua tables.
lua_ids() { # kind
  curl -fsS "$URL/api/v1/maps/demo/$1?limit=100000" |
    python3 -c 'import json,sys; print(", ".join(json.dumps(i["id"]) for i in json.load(sys.stdin)["items"]))'
}
ACTORS="$(lua_ids actors)"
NARRATIVES="$(lua_ids narratives)"
START_STANCES="$(curl -fsS "$URL/api/v1/maps/demo/stances?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"
curl -fsS "$URL/api/v1/maps/demo/analysis" >/dev/null

cat >"$WORK/mixed.lua" <<EOF
local actors = { $ACTORS }
local narratives = { $NARRATIVES }
local write_percent = $WRITE_PERCENT
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(1000 + id)
  s2xx, s4xx, s5xx, sother = 0, 0, 0, 0
  reads_analysis, reads_actors, writes = 0, 0, 0
end

function request()
  local r = math.random(100)
  if r <= write_percent then
    writes = writes + 1
    local body = string.format('{"actor": "%s", "narrative": "%s", "position": %d, "source": "load"}',
      actors[math.random(#actors)], narratives[math.random(#narratives)], math.random(5) - 3)
    return wrk.format("POST", "/api/v1/maps/demo/stances", {["Content-Type"] = "application/json"}, body)
  elseif r <= write_percent + (100 - write_percent) / 2 then
    reads_analysis = reads_analysis + 1
    return wrk.format("GET", "/api/v1/maps/demo/analysis")
  else
    reads_actors = reads_actors + 1
    return wrk.format("GET", "/api/v1/maps/demo/actors")
  end
end

function response(status, headers, body)
  if status >= 500 then s5xx = s5xx + 1
  elseif status >= 400 then s4xx = s4xx + 1
  elseif status >= 200 and status < 300 then s2xx = s2xx + 1
  else sother = sother + 1 end
end

function done(summary, latency, requests)
  local t = {s2xx = 0, s4xx = 0, s5xx = 0, sother = 0, reads_analysis = 0, reads_actors = 0, writes = 0}
  for _, th in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + (th:get(k) or 0) end
  end
  local e = summary.errors
  io.write(string.format("STATUS 2xx %d 4xx %d 5xx %d other %d\n", t.s2xx, t.s4xx, t.s5xx, t.sother))
  io.write(string.format("MIX analysis %d actors %d writes %d\n", t.reads_analysis, t.reads_actors, t.writes))
  io.write(string.format("SOCKET connect %d read %d write %d timeout %d status %d\n",
    e.connect, e.read, e.write, e.timeout, e.status))
  io.write(string.format("LATENCY_MS p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
  io.write(string.format("RATE %.1f requests/s over %.1f s, %d requests\n",
    summary.requests / (summary.duration / 1e6), summary.duration / 1e6, summary.requests))
end
EOF

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status" 2>/dev/null || echo 0; }
echo "vertoog serve --demo on $URL: ${DURATION}s, $CONNECTIONS connections, $THREADS wrk threads, ${WRITE_PERCENT}% writes"
(
  t=0
  while [ "$t" -le "$DURATION" ]; do
    echo "$t $(rss_kib)"
    sleep 5
    t=$((t + 5))
  done
) >"$WORK/rss.txt" &
SAMPLER_PID=$!

wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s --latency -s "$WORK/mixed.lua" "$URL" >"$WORK/wrk.txt" 2>&1 || true
wait "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=""

alive=1
kill -0 "$SERVER_PID" 2>/dev/null || alive=0
END_STANCES="$(curl -fsS "$URL/api/v1/maps/demo/stances?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])' 2>/dev/null || echo '?')"

grep -E '^(RATE|LATENCY_MS|STATUS|MIX|SOCKET)' "$WORK/wrk.txt"
echo "stances in the demo map: $START_STANCES before, $END_STANCES after"
echo "server RSS (MiB) every 5 s:"
awk '{ printf "  t=%3ss  %7.1f MiB\n", $1, $2 / 1024 }' "$WORK/rss.txt"
awk 'NR == 2 { first = $2 } { last = $2; if ($2 > max) max = $2 }
     END { if (first > 0) printf "RSS after warm-up (t=5s) %.1f MiB, at the end %.1f MiB, peak %.1f MiB (end/warm-up %.2f)\n", first / 1024, last / 1024, max / 1024, last / first }' "$WORK/rss.txt"

fail=0
read -r _ _ _ _ _ _ five _ < <(grep '^STATUS' "$WORK/wrk.txt" || echo "STATUS 2xx 0 4xx 0 5xx 1 other 0")
read -r _ _ c _ r _ w _ to _ < <(grep '^SOCKET' "$WORK/wrk.txt" || echo "SOCKET connect 1 read 0 write 0 timeout 0")
if [ "$alive" != 1 ]; then echo "FAIL: the server died" >&2; tail -20 "$WORK/server.log" >&2; fail=1; fi
if [ "${five:-1}" != 0 ]; then echo "FAIL: ${five} answers were 5xx" >&2; fail=1; fi
if [ "$((c + r + w + to))" != 0 ]; then echo "FAIL: socket errors (connect $c, read $r, write $w, timeout $to)" >&2; fail=1; fi
if [ "$fail" = 0 ]; then echo "OK: no 5xx, no socket errors"; fi
exit "$fail"
