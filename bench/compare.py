"""Driver of `bench/compare` (run it through that script, which builds the binary and the
virtual environment first).

On one generated bundle it times, side by side and alternating, N runs of
  rust:   `vertoog import --map bench --create BUNDLE` + `vertoog analyse --map bench --json`
          (two processes, a fresh store each run: parse, store durably, load, full analysis,
          JSON out), and
  python: `python pipeline.py BUNDLE` (one process: interpreter start, imports, reading the
          CSVs, the numpy discourse network, communities, betweenness, bridges, articulation
          points),
and prints each side's median wall time, the ratio, and each side's NMI against planted.csv.
"""

import argparse
import csv
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter


def nmi(a, b):
    """NMI with the arithmetic-mean normalisation (scikit-learn's default), as
    vertoog_analysis::nmi: 2 I(A;B) / (H(A) + H(B)); 1 when both have one block."""
    n = len(a)
    ca, cb, cab = Counter(a), Counter(b), Counter(zip(a, b))

    def h(c):
        return -sum(x / n * math.log(x / n) for x in c.values())

    ha, hb = h(ca), h(cb)
    if ha == 0 and hb == 0:
        return 1.0
    mi = sum(x / n * math.log(n * x / (ca[i] * cb[j])) for (i, j), x in cab.items())
    return max(0.0, min(1.0, 2 * mi / (ha + hb)))


def labels_against(planted, membership):
    """Labels of the planted actors; an actor outside every community is a group of its own."""
    return [membership.get(a, "alone:" + a) for a in planted]


def reference_versions():
    """The installed versions of the reference pipeline's packages."""
    from importlib import metadata
    out = {}
    for package in ("numpy", "networkx", "python-igraph", "leidenalg"):
        try:
            out[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            pass
    return out


def timed(cmd, stdout=None):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=stdout, stderr=subprocess.PIPE)
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--summary", nargs="+", metavar="RESULT_JSON",
                    help="only summarise the result.json files of earlier runs")
    ap.add_argument("--bin")
    ap.add_argument("--bundle")
    ap.add_argument("--work")
    ap.add_argument("--class", dest="cls")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--engine", choices=["networkx", "igraph", "leiden"])
    ap.add_argument("--shape", default="default")
    ap.add_argument("--seed-label", default="")
    args = ap.parse_args()
    if args.summary:
        summarise(args.summary)
        return
    for flag in ("bin", "bundle", "work", "cls", "engine"):
        if getattr(args, flag) is None:
            ap.error(f"--{'class' if flag == 'cls' else flag} is required")
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(args.bundle, "planted.csv"), newline="") as f:
        planted_rows = list(csv.DictReader(f))
    planted_ids = [r["actor"] for r in planted_rows]
    planted = [r["group"] for r in planted_rows]

    rust_times, py_times = [], []
    rust_json = os.path.join(args.work, "analysis.json")
    py_json = os.path.join(args.work, "pipeline.json")
    py_inner = []
    for run in range(args.runs):
        store = os.path.join(args.work, "store")
        shutil.rmtree(store, ignore_errors=True)
        t_import = timed(
            [args.bin, "--store", store, "import", "--map", "bench", "--create", "--on-duplicate", "keep", "--ignore-unknown-files", args.bundle],
            stdout=subprocess.DEVNULL,
        )
        with open(rust_json, "w") as out:
            t_analyse = timed([args.bin, "--store", store, "analyse", "--map", "bench", "--json"], out)
        rust_times.append((t_import + t_analyse, t_import, t_analyse))
        t_py = timed(
            [sys.executable, os.path.join(here, "pipeline.py"), args.bundle, py_json,
             "--engine", args.engine]
        )
        py_times.append(t_py)
        with open(py_json) as f:
            py_inner.append(json.load(f)["seconds"])
        print(
            f"run {run + 1}/{args.runs}: vertoog {t_import + t_analyse:.3f} s "
            f"(import {t_import:.3f} + analyse {t_analyse:.3f}), python {t_py:.3f} s",
            file=sys.stderr,
        )

    with open(rust_json) as f:
        analysis = json.load(f)
    rust_member = {}
    for c in analysis["coalitions"]:
        for m in c["members"]:
            rust_member[m] = c["id"]
    with open(py_json) as f:
        py_member = {a: str(c) for a, c in json.load(f)["membership"].items()}

    rust_med = statistics.median(t[0] for t in rust_times)
    py_med = statistics.median(py_times)
    stages = {k: statistics.median(s[k] for s in py_inner) for k in py_inner[0]}
    result = {
        "class": args.cls,
        "seed": args.seed_label,
        "shape": args.shape,
        "runs": args.runs,
        "cores": os.cpu_count(),
        "load_average_1min": os.getloadavg()[0],
        "vertoog_median_s": rust_med,
        "vertoog_import_median_s": statistics.median(t[1] for t in rust_times),
        "vertoog_analyse_median_s": statistics.median(t[2] for t in rust_times),
        "python_engine": args.engine,
        # The reference's speed depends on its versions (python-igraph 1.0 ran the M
        # pipeline about 30% faster than the version of the earlier rounds).
        "python_versions": reference_versions(),
        "python_median_s": py_med,
        "python_stage_medians_s": stages,
        "ratio_python_over_vertoog": py_med / rust_med,
        "ratio_python_over_vertoog_analyse": py_med / statistics.median(t[2] for t in rust_times),
        "vertoog_nmi": nmi(planted, labels_against(planted_ids, rust_member)),
        "python_nmi": nmi(planted, labels_against(planted_ids, py_member)),
        "vertoog_coalitions": len(analysis["coalitions"]),
        "python_communities": len(set(py_member.values())),
        "approximate": analysis.get("approximate", []),
    }
    print(json.dumps(result, indent=2))
    with open(os.path.join(args.work, "result.json"), "w") as f:
        json.dump(result, f, indent=2)
    print(
        f"\nclass {args.cls}, {args.runs} runs, {result['cores']} cores "
        f"(load average {result['load_average_1min']:.1f}):\n"
        f"  vertoog import + analyse --json: median {rust_med:.3f} s, NMI {result['vertoog_nmi']:.4f}"
        f" ({result['vertoog_coalitions']} coalitions)\n"
        f"  python ({args.engine}) pipeline:    median {py_med:.3f} s, NMI {result['python_nmi']:.4f}"
        f" ({result['python_communities']} communities)\n"
        f"  ratio python / vertoog: {result['ratio_python_over_vertoog']:.1f}x\n"
        f"  ratio python / the `vertoog analyse` process alone (median {result['vertoog_analyse_median_s']:.3f} s):"
        f" {result['ratio_python_over_vertoog_analyse']:.1f}x"
    )


def summarise(paths):
    """Per seed: both medians, both ratios and both NMIs; then the means over the seeds."""
    rows = []
    for p in paths:
        with open(p) as f:
            rows.append(json.load(f))
    print(f"\nclass {rows[0]['class']}, {len(rows)} maps, {rows[0]['runs']} runs each (medians):")
    head = ("shape", "seed", "import+analyse", "analyse", "python", "ratio", "ratio(analyse)", "NMI vertoog", "NMI python")
    print("  " + "  ".join(f"{h:>14}" for h in head))
    for r in rows:
        cells = (
            str(r.get("shape", "default")),
            str(r.get("seed", "?")),
            f"{r['vertoog_median_s']:.3f} s",
            f"{r['vertoog_analyse_median_s']:.3f} s",
            f"{r['python_median_s']:.3f} s",
            f"{r['ratio_python_over_vertoog']:.1f}x",
            f"{r['ratio_python_over_vertoog_analyse']:.1f}x",
            f"{r['vertoog_nmi']:.4f}",
            f"{r['python_nmi']:.4f}",
        )
        print("  " + "  ".join(f"{c:>14}" for c in cells))
    mean = lambda k: statistics.mean(r[k] for r in rows)  # noqa: E731
    print(
        f"  mean  ratio {mean('ratio_python_over_vertoog'):.1f}x, ratio (analyse alone) "
        f"{mean('ratio_python_over_vertoog_analyse'):.1f}x, NMI vertoog {mean('vertoog_nmi'):.4f}, "
        f"NMI python {mean('python_nmi'):.4f}"
    )
    worst = min(rows, key=lambda r: r["ratio_python_over_vertoog_analyse"])
    print(
        f"  worst map (ratio of the `analyse` process): shape {worst.get('shape', 'default')}, "
        f"seed {worst.get('seed')}: {worst['ratio_python_over_vertoog_analyse']:.1f}x, "
        f"NMI vertoog {worst['vertoog_nmi']:.4f} against {worst['python_nmi']:.4f}"
    )


if __name__ == "__main__":
    main()
