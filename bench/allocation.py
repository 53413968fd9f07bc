"""Benchmark of the allocation engine against first come first served, random serial dictatorship and HiGHS on
the direct per-participant model. Plain script, fixed seeds; prints a Markdown table.

    PYTHONPATH=src .venv/bin/python bench/allocation.py            # the full table of docs/allocation.md
    PYTHONPATH=src .venv/bin/python bench/allocation.py --quick    # small sizes, a minute or so
    PYTHONPATH=src .venv/bin/python bench/allocation.py --sizes general:2000:30:3 --highs-limit 120

The engine runs as the real command (`python -m werkconferentie.allocation`) in a fresh process, so its
seconds are end to end (start-up, JSON in and out included) and its memory is the peak RSS of that process.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from werkconferentie.allocation import Result
from werkconferentie.allocation.baselines import first_come_first_served, random_serial_dictatorship
from werkconferentie.allocation.compiled import compile_instance
from werkconferentie.allocation.exact import build_model, candidate_columns, solve_mip
from werkconferentie.allocation.generate import general_instance, uniform_instance
from werkconferentie.allocation.stats import check_feasible

FULL = ["uniform:10000:60:4", "uniform:1000:20:4", "general:1000:30:3", "general:2000:30:3", "general:5000:40:4"]
QUICK = ["uniform:2000:30:4", "general:500:20:3", "general:1000:30:3"]


def engine(path: Path, time_limit: float) -> tuple[dict, float, float]:
    """Run the command; return the result, wall seconds and peak RSS in MB (via GNU time when present)."""
    out = path.with_suffix(".result.json")
    cmd = [sys.executable, "-m", "werkconferentie.allocation", str(path), "-o", str(out),
           "--time-limit", str(time_limit)]
    timer = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
    start = time.monotonic()
    proc = subprocess.run(timer + cmd, capture_output=True, text=True, env=os.environ)
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        raise SystemExit(f"engine failed on {path}: {proc.stderr}")
    rss = float(proc.stderr.strip().splitlines()[-1]) / 1024 if timer else float("nan")
    return json.loads(out.read_text()), seconds, rss


def highs_direct(inst, time_limit: float) -> tuple[int | None, float, float]:
    """HiGHS on x[p, w, r] ∈ {0, 1}, one variable per participant, workshop and round (no grouping, no fixing)."""
    start = time.monotonic()
    c = compile_instance(inst, group=False)
    model = build_model(c, candidate_columns(c), penalty=None)
    mip = solve_mip(model, time_limit)
    pins = sum(int(c.type_cost[c.type_of[i], w]) for i in range(len(inst.participants)) for w, _ in c.pinned[i])
    objective = None if mip.objective is None else mip.objective + pins
    bound = mip.bound + pins if np.isfinite(mip.bound) else float("nan")
    return objective, bound, time.monotonic() - start


def row(name, method, objective, bound, stats, seconds, unplaced=0, rss=float("nan")) -> str:
    gap = "" if objective is None or not np.isfinite(bound) or not bound else f"{(objective - bound) / bound:.4%}"
    first = f"{stats['share_first_choice']:.1%}" if stats else ""
    worst = str(stats["worst_rank"]) if stats else ""
    obj = "—" if objective is None else f"{objective:,}"
    bnd = "" if bound is None or not np.isfinite(bound) else f"{int(np.ceil(bound - 1e-6)):,}"
    mem = "" if not np.isfinite(rss) else f"{rss:.0f}"
    cells = [name, method, obj, bnd, gap, first, worst, str(unplaced or ""), f"{seconds:.2f}", mem]
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("--sizes", help="comma-separated kind:people:workshops:rounds, e.g. general:2000:30:3")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--engine-limit", type=float, default=15.0, help="--time-limit for the engine (s)")
    parser.add_argument("--highs-limit", type=float, default=60.0, help="time limit for HiGHS direct (s)")
    parser.add_argument("--no-highs", action="store_true", help="skip HiGHS on the direct model")
    args = parser.parse_args()
    sizes = args.sizes.split(",") if args.sizes else (QUICK if args.quick else FULL)
    print(f"cores: {os.cpu_count()}, python {sys.version.split()[0]}, seed {args.seed}")
    print("| instance | method | objective | bound | gap | first choice | worst rank | unplaced | seconds | RSS MB |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as tmp:
        for spec in sizes:
            kind, n, w, r = spec.split(":")
            make = uniform_instance if kind == "uniform" else general_instance
            inst = make(int(n), int(w), int(r), seed=args.seed)
            name = f"{kind} {int(n):,} × {w} × {r}"
            path = Path(tmp) / f"{kind}-{n}-{w}-{r}.json"
            path.write_text(json.dumps(inst.to_dict()))
            result, seconds, rss = engine(path, args.engine_limit)
            problems = check_feasible(inst, Result.from_dict(result))
            if problems:
                raise SystemExit(f"infeasible engine result on {name}: {problems[:3]}")
            print(row(name, "engine (solve command)", result["objective"], result["lower_bound"], result["stats"],
                      seconds, rss=rss), flush=True)
            for method, run in (("first come, first served", first_come_first_served),
                                ("random serial dictatorship", random_serial_dictatorship)):
                start = time.monotonic()
                base = run(inst)
                print(row(name, method, base.objective, result["lower_bound"], base.stats, time.monotonic() - start,
                          unplaced=len(base.unassigned)), flush=True)
            if not args.no_highs:
                objective, bound, secs = highs_direct(inst, args.highs_limit)
                print(row(name, f"HiGHS direct ({args.highs_limit:.0f} s limit)", objective, bound, None, secs),
                      flush=True)


if __name__ == "__main__":
    main()
