"""A/B of whole `vertoog` processes: two (or more) binaries in turn, run by run, so that both
see the same moment of a shared machine (bench/README.md, round four).

    python3 bench/ab.py --runs 21 --store STORE --map s BASE_BIN NEW_BIN
        times `BIN --store STORE analyse --map s --json` (the map must be in STORE)
    python3 bench/ab.py --runs 5 --import BUNDLE BASE_BIN NEW_BIN
        times `BIN --store FRESH import --map m --create --on-duplicate keep
        --ignore-unknown-files BUNDLE`, a fresh temporary store each run

Prints each binary's median, first quartile and minimum, and the 1-minute load average.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--store")
    ap.add_argument("--map", default="s")
    ap.add_argument("--import", dest="bundle")
    ap.add_argument("bins", nargs="+")
    args = ap.parse_args()
    if not args.bundle and not args.store:
        ap.error("give --store (analyse) or --import BUNDLE")
    times = {b: [] for b in args.bins}
    tmp = tempfile.mkdtemp(prefix="vertoog-ab-")
    try:
        for _ in range(args.runs):
            for b in args.bins:
                if args.bundle:
                    store = os.path.join(tmp, "store")
                    shutil.rmtree(store, ignore_errors=True)
                    cmd = [b, "--store", store, "import", "--map", "m", "--create",
                           "--on-duplicate", "keep", "--ignore-unknown-files", args.bundle]
                else:
                    cmd = [b, "--store", args.store, "analyse", "--map", args.map, "--json"]
                t = time.perf_counter()
                subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
                times[b].append(time.perf_counter() - t)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for b, xs in times.items():
        xs.sort()
        print(f"{b}: median {statistics.median(xs) * 1000:.1f} ms, q1 {xs[len(xs) // 4] * 1000:.1f} ms, "
              f"min {xs[0] * 1000:.1f} ms ({len(xs)} runs)")
    print("load average (1, 5, 15 min):", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
