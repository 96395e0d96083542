"""Price ranges per step on the catalog families (results: docs/benchmarks.md).

Method: the seeded sessions of ``bench_domains.py`` (each step fixes a random open key to a
random value of its valid domain); at each step the min-max price under the choices is computed
exactly (no time budget) by the engine's default, CP-SAT on the family's integers
(``configure/cp_price.py``), and, in the same process and alternating step by step, by the
baseline: MaxSAT (RC2, ``--baseline full``, the engine's route until 2026-11-22; or ``div``,
RC2's own stratification). Both must agree. Per-step median, p95 and worst wall time, the
median CPU time of the process (all its threads: the two CP-SAT searches run in a small
thread pool; less sensitive than wall time to other processes on a shared machine), and the
ratio of the medians.

Run: ``python benchmarks/bench_price.py [--sessions N] [--steps N] [--families ...]
[--baseline full|div|none]``.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time
from pathlib import Path

from bench_domains import FAMILIES, p95, pick
from lotone.configure import Engine
from lotone.configure.linear import optimize_linear
from lotone.model.family import Value
from lotone.model.loader import load_family

ROOT = Path(__file__).resolve().parents[1]


def _range(engine: Engine, choices: dict[str, Value], blo: str) -> tuple[int, int]:
    base = engine.assumptions(choices)
    price = engine.enc.price()
    lo = optimize_linear(engine.enc.cnf, price, base, budget=None, blo=blo)
    hi = optimize_linear(engine.enc.cnf, price, base, maximize=True, budget=None, blo=blo)
    assert lo is not None
    assert hi is not None
    return lo.value, hi.value


def _cp(engine: Engine, choices: dict[str, Value]) -> tuple[int, int]:
    got = engine.price_range(choices)
    assert got.exact
    scale = engine.enc.price().scale
    return int(got.min.scaleb(scale)), int(got.max.scaleb(scale))


def run(name: str, sessions: int, steps: int, seed: int, baseline: str) -> dict[str, float]:
    engine = Engine(load_family(ROOT / "catalog" / f"{name}.yaml"), budget=None)
    engine.price_range({})  # builds the CP-SAT model (once per family version, as the service)
    rng = random.Random(seed)
    ours: list[float] = []
    ours_cpu: list[float] = []
    old: list[float] = []
    old_cpu: list[float] = []
    for _ in range(sessions):
        choices: dict[str, Value] = {}
        for _ in range(steps + 1):
            t, c = time.perf_counter(), time.process_time()
            got = _cp(engine, choices)
            ours.append(time.perf_counter() - t)
            ours_cpu.append(time.process_time() - c)
            if baseline != "none":
                t, c = time.perf_counter(), time.process_time()
                want = _range(engine, choices, baseline)
                old.append(time.perf_counter() - t)
                old_cpu.append(time.process_time() - c)
                assert got == want, (name, choices, got, want)
            step = pick(rng, engine, choices)
            if step is None:
                break
            choices[step[0]] = step[1]
    out = {
        "steps": len(ours),
        "median_ms": statistics.median(ours) * 1e3,
        "p95_ms": p95(ours) * 1e3,
        "max_ms": max(ours) * 1e3,
        "cpu_ms": statistics.median(ours_cpu) * 1e3,
    }
    if old:
        out |= {
            "old_median_ms": statistics.median(old) * 1e3,
            "old_p95_ms": p95(old) * 1e3,
            "old_max_ms": max(old) * 1e3,
            "old_cpu_ms": statistics.median(old_cpu) * 1e3,
            "speedup": statistics.median(old) / statistics.median(ours),
            "cpu_speedup": statistics.median(old_cpu) / statistics.median(ours_cpu),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--families", nargs="*", default=FAMILIES)
    parser.add_argument("--baseline", choices=["full", "div", "none"], default="full")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    old = f"RC2 {args.baseline}"
    heads = ["family", "steps", "CP-SAT: median / p95 / max (ms)", "CPU median (ms)"]
    heads += [f"{old}: median / p95 / max (ms)", "CPU median (ms)", "ratio of medians (wall, CPU)"]
    print("| " + " | ".join(heads) + " |")
    print("|" + "---|" * len(heads))
    for name in args.families:
        r = run(name, args.sessions, args.steps, args.seed, args.baseline)
        cells = [name, str(int(r["steps"]))]
        cells.append(f"{r['median_ms']:.1f} / {r['p95_ms']:.1f} / {r['max_ms']:.1f}")
        cells.append(f"{r['cpu_ms']:.1f}")
        if "speedup" in r:
            cells.append(
                f"{r['old_median_ms']:.1f} / {r['old_p95_ms']:.1f} / {r['old_max_ms']:.1f}"
            )
            cells.append(f"{r['old_cpu_ms']:.1f}")
            cells.append(f"{r['speedup']:.1f}x, {r['cpu_speedup']:.1f}x")
        else:
            cells += ["-", "-", "-"]
        print("| " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
