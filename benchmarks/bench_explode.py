"""Explode generated orders: work orders per second on one core, validation included.

For each catalog family: generate N valid orders (``lotone orders generate``'s generator, seed
1; not timed), then time ``explode(configuration, family)`` over all of them in one process
(validation with the reference evaluator, BOM, routing with precedence, QC plan and the hash).
The first explosion of a family (which compiles its formulas) is timed separately. Reports
orders/s and the mean and p95 latency; run with ``taskset -c 0`` to pin one core.

    python benchmarks/bench_explode.py [--orders 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from pathlib import Path

from lotone.configure.validate import validate
from lotone.model.loader import load_family
from lotone.produce.customers import read_feet
from lotone.produce.explode import explode
from lotone.produce.orders import generate_orders

ROOT = Path(__file__).resolve().parents[1]
FAMILIES = ["insole", "wardrobe", "pc", "serum"]


def main() -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of N passes")
    args = parser.parse_args()
    feet = read_feet(ROOT / "src/lotone/produce/data/ansur2_feet.csv")
    print(f"python {platform.python_version()}, {platform.machine()}, {platform.processor()}")
    print("| family | orders | first (ms) | orders/s | mean (µs) | p95 (µs) | validate only (µs) |"
          " BOM lines | operations |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for name in FAMILIES:
        family = load_family(ROOT / "catalog" / f"{name}.yaml")
        configs = [o.configuration for o in generate_orders(family, args.orders, 1, feet)]
        t0 = time.perf_counter()
        explode(configs[0], family)
        first = (time.perf_counter() - t0) * 1e3
        best = float("inf")
        lat: list[float] = []
        lines = ops = 0
        for _ in range(args.repeat):
            lat = []
            lines = ops = 0
            start = time.perf_counter()
            for c in configs:
                t = time.perf_counter()
                wo = explode(c, family)
                lat.append(time.perf_counter() - t)
                lines += len(wo.bom)
                ops += len(wo.operations)
            best = min(best, time.perf_counter() - start)
        v0 = time.perf_counter()
        for c in configs[:2000]:
            validate(family, c)
        val = (time.perf_counter() - v0) / min(2000, len(configs)) * 1e6
        lat.sort()
        n = len(configs)
        print(
            f"| {name} | {n} | {first:.1f} | {n / best:,.0f} | {statistics.mean(lat) * 1e6:.0f}"
            f" | {lat[int(0.95 * n)] * 1e6:.0f} | {val:.0f} | {lines / n:.1f} | {ops / n:.1f} |"
        )


if __name__ == "__main__":
    main()
