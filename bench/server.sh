# Shared by bench/http.sh and bench/load.sh (sourced, not run): installs wrk when missing,
# builds the release binary unless SKIP_BUILD=1, and starts `vertoog serve --demo` on a free
# loopback port with a temporary store. Sets BIN, STORE, WORK, URL and SERVER_PID; the EXIT
# trap stops the server (and a sampler in SAMPLER_PID, if set) and removes the temporary
# folders.

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
SAMPLER_PID=""
cleanup() {
  if [ -n "$SAMPLER_PID" ]; then kill "$SAMPLER_PID" 2>/dev/null || true; fi
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$STORE" "$WORK"
}
trap cleanup EXIT

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
URL="http://127.0.0.1:$PORT"
RUST_LOG=warn "$BIN" --store "$STORE" serve --addr "127.0.0.1:$PORT" --demo >"$WORK/server.out" 2>"$WORK/server.log" &
SERVER_PID=$!
for _ in $(seq 1 100); do
  if curl -fsS "$URL/api/v1/health" >/dev/null 2>&1; then break; fi
  sleep 0.1
done
curl -fsS "$URL/api/v1/health" >/dev/null || { echo "the server did not start:" >&2; cat "$WORK/server.log" >&2; exit 1; }
