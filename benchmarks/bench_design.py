"""Generative design benchmark (numbers for docs/benchmarks.md, section "Generative design").

Measures, on the sample catalog and the ANSUR II feet shipped with lotone:

1. **insole**: design + checks + exports (two STL and one 3MF per pair; GLB preview timed
   apart) for generated orders, median and p95 per order, CPU and wall time, one process;
2. **bracket**: geometry (manifold3d booleans) + beam model per design, and with its exports;
3. **all pass**: N generated orders per family (insole, wardrobe, serum) designed and checked;
4. **optimize**: NSGA-II over the bracket for 1,000 evaluations (seed 0);
5. **batch scaling**: M insole orders through ``run_batch`` (STL + 3MF rendered in memory, not
   written) with 1 and 2 worker processes.

The load average is printed before and after each part: the machine is shared.

Run: ``python benchmarks/bench_design.py [--orders 300] [--all-pass 1000] [--batch 2000]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core per process
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from lotone.design import (
    BracketSpec,
    check,
    design_family,
    optimize,
    render_files,
    run_batch,
)
from lotone.design.bracket import BOUNDS, bracket_part
from lotone.design.export import glb_bytes, stl_bytes, threemf_bytes
from lotone.model.loader import load_family
from lotone.produce.customers import read_feet
from lotone.produce.orders import generate_orders

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "catalog"
FEET = ROOT / "src" / "lotone" / "produce" / "data" / "ansur2_feet.csv"


def load() -> str:
    """The 1, 5 and 15 minute load averages."""
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def stats(ms: list[float]) -> dict[str, float]:
    """Median, p95 and max of a list of milliseconds."""
    s = sorted(ms)
    return {
        "median_ms": round(statistics.median(s), 3),
        "p95_ms": round(s[int(0.95 * (len(s) - 1))], 3),
        "max_ms": round(s[-1], 3),
    }


def timed(fn, n: int) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """CPU and wall milliseconds of ``n`` calls of ``fn(i)``."""
    cpu: list[float] = []
    wall: list[float] = []
    for i in range(n):
        c, w = time.process_time(), time.perf_counter()
        fn(i)
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
    return cpu, wall


def bench_insole(n: int) -> dict[str, object]:
    family = load_family(CATALOG / "insole.yaml")
    orders = [o.configuration for o in generate_orders(family, n, 1, read_feet(FEET))]
    design_family(family, orders[0])  # warm-up (imports)

    def one(i: int) -> None:
        d = design_family(family, orders[i])
        if not check(d).ok:
            raise RuntimeError("an insole failed its checks")
        threemf_bytes(d)
        for p in d.parts:
            stl_bytes(p.mesh)

    cpu, wall = timed(one, n)
    designs = [design_family(family, c) for c in orders[:50]]
    gcpu, _ = timed(lambda i: glb_bytes(designs[i % 50]), 50)
    pairs = sum(1 for c in orders if c["side"] == "pair")
    return {"orders": n, "pairs": pairs, "cpu": stats(cpu), "wall": stats(wall),
            "glb_preview_cpu": stats(gcpu)}  # fmt: skip


def bench_bracket(n: int) -> dict[str, object]:
    import random

    rng = random.Random(0)
    specs = []
    for _ in range(n):
        v = {k: rng.uniform(lo, hi) for k, (lo, hi) in BOUNDS.items()}
        v["tip_depth_mm"] = min(v["tip_depth_mm"], v["root_depth_mm"])
        specs.append(BracketSpec().with_variables(v))
    bracket_part(specs[0])
    cpu, wall = timed(lambda i: bracket_part(specs[i]), n)

    def exported(i: int) -> None:
        from lotone.design import design_settings

        d = design_settings("bracket", {"root_depth_mm": specs[i].root_depth_mm})
        threemf_bytes(d)
        stl_bytes(d.parts[0].mesh)

    ecpu, _ = timed(exported, min(n, 200))
    watertight = all(bracket_part(s)[0].mesh.is_watertight() for s in specs[:100])
    return {"designs": n, "cpu": stats(cpu), "wall": stats(wall),
            "with_exports_cpu": stats(ecpu), "watertight_first_100": watertight}  # fmt: skip


def bench_all_pass(n: int) -> dict[str, object]:
    out: dict[str, object] = {}
    feet = read_feet(FEET)
    for name in ("insole", "wardrobe", "serum"):
        family = load_family(CATALOG / f"{name}.yaml")
        passed = 0
        failures: list[object] = []
        start = time.perf_counter()
        for order in generate_orders(family, n, 2026, feet if name == "insole" else []):
            d = design_family(family, order.configuration)
            r = check(d)
            render_files(d, ("3mf", "svg"))
            if r.ok:
                passed += 1
            else:
                failures.append([order.order_id, list(r.reasons)])
        seconds = round(time.perf_counter() - start, 2)
        out[name] = {"orders": n, "passed": passed, "seconds": seconds,
                     "failures": failures[:5]}  # fmt: skip
    return out


def bench_optimize(evaluations: int) -> dict[str, object]:
    c = time.process_time()
    front = optimize(BracketSpec(), evaluations, seed=0)
    return {"evaluations": front.evaluations, "wall_s": round(front.seconds, 2),
            "cpu_s": round(time.process_time() - c, 2), "front": len(front.front),
            "chosen": front.chosen.to_json()}  # fmt: skip


def bench_batch(m: int, workers: list[int]) -> dict[str, object]:
    family = load_family(CATALOG / "insole.yaml")
    lines = [json.dumps(o.to_json()) for o in generate_orders(family, m, 5, read_feet(FEET))]
    out: dict[str, object] = {"orders": m}
    for w in workers:
        before = load()
        start = time.perf_counter()
        summary = run_batch(lines, CATALOG, None, w, ("stl", "3mf"))
        seconds = time.perf_counter() - start
        if summary.passed != m:
            raise RuntimeError(f"batch: {len(summary.failed)} orders failed")
        out[f"workers_{w}"] = {"seconds": round(seconds, 2), "per_second": round(m / seconds, 1),
                               "load_before": before, "load_after": load()}  # fmt: skip
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--orders", type=int, default=300, help="insole orders timed one by one")
    ap.add_argument("--brackets", type=int, default=300)
    ap.add_argument("--all-pass", type=int, default=1000, help="orders per family checked")
    ap.add_argument("--evaluations", type=int, default=1000)
    ap.add_argument("--batch", type=int, default=2000, help="insole orders in the batch run")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--parts", default="insole,bracket,all_pass,optimize,batch")
    args = ap.parse_args()
    parts = args.parts.split(",")
    result: dict[str, object] = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    runs = {
        "insole": lambda: bench_insole(args.orders),
        "bracket": lambda: bench_bracket(args.brackets),
        "all_pass": lambda: bench_all_pass(args.all_pass),
        "optimize": lambda: bench_optimize(args.evaluations),
        "batch": lambda: bench_batch(args.batch, [int(w) for w in args.workers.split(",")]),
    }
    for name in parts:
        before = load()
        data = runs[name]()
        result[name] = {"load_before": before, "load_after": load(), **data}
        print(f"{name}: {json.dumps(result[name])}", file=sys.stderr, flush=True)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
