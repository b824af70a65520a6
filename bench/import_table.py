"""Import throughput per bundle (bench/README.md, round five: import).

    python3 bench/import_table.py --runs 5 BIN BUNDLE...

For each bundle, `BIN --store FRESH import --map m --create --on-duplicate keep
--ignore-unknown-files BUNDLE` runs RUNS times (a fresh temporary store each run, under
/usr/bin/time for the peak RSS). Prints per bundle the median wall time, stances/s (the
stance rows of BUNDLE/stances.csv over the median), the peak RSS over the runs, and the
1-minute load average before and after.
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
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("bin")
    ap.add_argument("bundles", nargs="+")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="vertoog-imp-")
    try:
        for bundle in args.bundles:
            with open(os.path.join(bundle, "stances.csv"), "rb") as f:
                stances = sum(1 for _ in f) - 1
            load0 = os.getloadavg()[0]
            times, rss = [], []
            for _ in range(args.runs):
                store = os.path.join(tmp, "store")
                shutil.rmtree(store, ignore_errors=True)
                stat = os.path.join(tmp, "time")
                cmd = ["/usr/bin/time", "-f", "%M", "-o", stat, args.bin, "--store", store,
                       "import", "--map", "m", "--create", "--on-duplicate", "keep",
                       "--ignore-unknown-files", bundle]
                t = time.perf_counter()
                subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
                times.append(time.perf_counter() - t)
                with open(stat) as f:
                    rss.append(int(f.read().split()[-1]))
            shutil.rmtree(os.path.join(tmp, "store"), ignore_errors=True)
            med = statistics.median(times)
            print(f"{bundle}: {stances} stances, median {med:.3f} s ({stances / med:,.0f} stances/s), "
                  f"runs {' '.join(f'{x:.2f}' for x in times)}, peak RSS {max(rss) / 1024:.0f} MB, "
                  f"load {load0:.2f} -> {os.getloadavg()[0]:.2f}", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
