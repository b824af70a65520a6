"""The server's first analysis of a map and the analysis after an edit (issue 22).

    python3 bench/edit.py --bin target/release/vertoog [--class M] [--seed 1] [--shape default]
                          [--runs 3] [--edits 3]

Generates the bundle (bench/work/edit-<class>-<shape>-<seed>/bundle), imports it into a fresh
store, and per run starts `vertoog serve` on that store and measures with a wall clock:
  first:  GET /api/v1/maps/bench/analysis right after the start (load + full analysis);
          `vertoog serve` starts computing it at start (the cache is warmed), so this GET waits
          for the rest of that computation. With --wait-warm the GET is sent only once the
          server has logged "analysed at start" (the time from the start to that line is
          printed as warm_s): the first GET of a user who opens the UI after the start;
  stance: PATCH of one stance with another position, then GET .../analysis (the time of the GET,
          which right after a stance edit is the provisional analysis; how many were
          provisional is printed), then polling until the full analysis is there (`settled`,
          from the first GET);
  tie:    POST of a new tie, then GET .../analysis (provisional: the betweenness is taken from
          before the edit), then polling until the full analysis is there.
Prints the median of each over all runs and edits, and the 1-minute load average.
"""

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request


def call(url, method="GET", body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("x-vertoog-request", "1")
    if body is not None:
        req.add_header("Content-Type", "application/json")
    t = time.perf_counter()
    with urllib.request.urlopen(req, timeout=600) as r:
        payload = r.read()
    return time.perf_counter() - t, payload


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--class", dest="cls", default="M")
    ap.add_argument("--seed", default="1")
    ap.add_argument("--shape", default="default")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--edits", type=int, default=3)
    ap.add_argument("--wait-warm", action="store_true",
                    help="send the first GET after the server's start-up analysis is done")
    args = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    work = os.path.join(here, "work", f"edit-{args.cls}-{args.shape}-{args.seed}")
    bundle = os.path.join(work, "bundle")
    if not os.path.exists(os.path.join(bundle, "planted.csv")):
        shutil.rmtree(bundle, ignore_errors=True)
        subprocess.run([args.bin, "generate", "--class", args.cls.lower(), "--seed", args.seed,
                        "--shape", args.shape, "--out", bundle], check=True, stdout=subprocess.DEVNULL)
    store = os.path.join(work, "store")
    shutil.rmtree(store, ignore_errors=True)
    subprocess.run([args.bin, "--store", store, "import", "--map", "bench", "--create",
                    "--on-duplicate", "keep", "--ignore-unknown-files", bundle],
                   check=True, stdout=subprocess.DEVNULL)
    first, stance, tie, warm, settled, provisional = [], [], [], [], [], []
    tie_settled = []
    for run in range(args.runs):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        url = f"http://127.0.0.1:{port}/api/v1/maps/bench"
        log_path = os.path.join(work, "serve.log")
        log = open(log_path, "w")
        started = time.perf_counter()
        server = subprocess.Popen([args.bin, "--store", store, "serve", "--addr", f"127.0.0.1:{port}"],
                                  stdout=subprocess.DEVNULL, stderr=log,
                                  env={**os.environ, "RUST_LOG": "info", "NO_COLOR": "1"})
        try:
            for _ in range(200):
                try:
                    call(f"http://127.0.0.1:{port}/api/v1/health")
                    break
                except OSError:
                    time.sleep(0.05)
            if args.wait_warm:
                while "analysed at start" not in open(log_path).read():
                    if time.perf_counter() - started > 600:
                        raise SystemExit("the server did not finish its start-up analysis")
                    time.sleep(0.01)
                warm.append(time.perf_counter() - started)
            dt, _ = call(f"{url}/analysis")
            first.append(dt)
            for e in range(args.edits):
                _, body = call(f"{url}/stances/s{10 + 97 * (run * args.edits + e)}")
                st = json.loads(body)
                call(f"{url}/stances/{st['id']}", "PATCH",
                     {"position": -2 if st["position"] > 0 else 2})
                t0 = time.perf_counter()
                dt, body = call(f"{url}/analysis")
                stance.append(dt)
                provisional.append(bool(json.loads(body).get("provisional")))
                # The full analysis follows in the background: poll until it is there.
                while json.loads(body).get("provisional"):
                    time.sleep(0.02)
                    _, body = call(f"{url}/analysis")
                settled.append(time.perf_counter() - t0)
                k = run * args.edits + e
                src, dst = actor_ids(url, k)
                call(f"{url}/ties", "POST", {"source": src, "target": dst, "kind": "collaboration",
                                             "weight": 0.5})
                t0 = time.perf_counter()
                dt, body = call(f"{url}/analysis")
                tie.append(dt)
                while json.loads(body).get("provisional"):
                    time.sleep(0.02)
                    _, body = call(f"{url}/analysis")
                tie_settled.append(time.perf_counter() - t0)
        finally:
            server.terminate()
            server.wait()
            log.close()
        print(f"run {run + 1}/{args.runs}: first {first[-1]:.3f} s, after a stance edit "
              f"{stance[-args.edits:]}, after a tie edit {tie[-args.edits:]}", file=sys.stderr)
    med = statistics.median
    print(json.dumps({
        "class": args.cls, "shape": args.shape, "seed": args.seed, "runs": args.runs,
        "load_average_1min": os.getloadavg()[0],
        "wait_warm": args.wait_warm,
        "warm_s_median": med(warm) if warm else None,
        "first_analysis_median_s": med(first),
        "after_stance_edit_median_s": med(stance),
        "after_stance_edit_provisional": sum(provisional),
        "after_stance_edit_settled_median_s": med(settled),
        "after_tie_edit_median_s": med(tie),
        "after_tie_edit_settled_median_s": med(tie_settled),
    }, indent=2))


_ACTORS = {}


def actor_ids(url, k):
    """Two actor ids of the map for the k-th added tie (from the first page of actors)."""
    if url not in _ACTORS:
        _, body = call(f"{url}/actors?limit=500")
        data = json.loads(body)
        items = data.get("items", data) if isinstance(data, dict) else data
        _ACTORS[url] = [a["id"] for a in items]
    ids = _ACTORS[url]
    return ids[(2 * k) % len(ids)], ids[(2 * k + 251) % len(ids)]


if __name__ == "__main__":
    main()
