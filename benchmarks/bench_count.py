"""Exact model counts by variable elimination on the public configuration benchmarks.

For each model: the time to load it, the time to count it (``count_solutions``, min-fill order;
wall clock and this process's CPU time, which differ when the machine is shared) and the count,
or the reason it is out of reach within the budget. With ``--cross-check``, Renault big is also
counted with a min-degree order and split by the value of its version variable ``v0`` (324
separate eliminations, summed): the numbers behind ``docs/counting.md``.

Run: ``python benchmarks/bench_count.py [--budget S] [--cross-check] [--no-dimacs]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

from lotone.configure.count import CountOutOfReach, count_by_cases, count_solutions

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "configure"))
from count_models import BIG, DIMACS, MEDIUM, MEGANE, load_benchmark


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo (or the platform's guess)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def run(name: str, path: Path, budget: float) -> None:
    """Load ``path``, count it, print one line."""
    t0 = time.perf_counter()
    model = load_benchmark(path)
    t1 = time.perf_counter()
    c1 = time.process_time()
    try:
        result = f"{count_solutions(model, budget_s=budget):,}"
    except CountOutOfReach as e:
        result = f"out of reach ({e.reason}): {e}"
    c2 = time.process_time()
    t2 = time.perf_counter()
    print(
        f"{name:34} load {t1 - t0:6.2f} s  count {t2 - t1:7.2f} s (cpu {c2 - c1:6.2f} s)  {result}",
        flush=True,
    )


def cross_check(budget: float) -> None:
    """Renault big by a min-degree order and by cases on the version variable."""
    big = load_benchmark(BIG)
    t0 = time.perf_counter()
    by_degree = count_solutions(big, heuristic="min-degree", budget_s=budget)
    t1 = time.perf_counter()
    print(f"big, min-degree order: {by_degree:,} in {t1 - t0:.2f} s", flush=True)
    cases = count_by_cases(big, big.var("v0"))
    t2 = time.perf_counter()
    nonzero = sum(1 for c in cases if c)
    print(
        f"big, split on v0 ({len(cases)} values, {nonzero} with solutions): "
        f"{sum(cases):,} in {t2 - t1:.2f} s",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--budget", type=float, default=30.0, help="seconds per model")
    parser.add_argument("--cross-check", action="store_true", help="count big two more ways")
    parser.add_argument("--no-dimacs", action="store_true", help="skip the feature models")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, {cpu_model()}, Python {platform.python_version()}")
    run("renault medium", MEDIUM, args.budget)
    run("renault megane (111 tables)", MEGANE, args.budget)
    run("renault big", BIG, args.budget)
    if args.cross_check:
        cross_check(args.budget)
    if not args.no_dimacs:
        for path in sorted(DIMACS.iterdir(), key=lambda p: p.stat().st_size):
            run(path.name, path, args.budget)


if __name__ == "__main__":
    main()
