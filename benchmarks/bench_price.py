"""Price ranges per step on the catalog families (results: docs/benchmarks.md).

Method: the seeded sessions of ``bench_domains.py`` (each step fixes a random open key to a
random value of its valid domain); at each step the min-max price under the choices is computed
exactly (no time budget) with the engine's settings (RC2, full boolean lexicographic
stratification) and, in the same process, with RC2's ``div`` stratification (the previous
default) as the baseline; both must agree. Per-step median, p95 and worst, and the ratio of the
medians.

Run: ``python benchmarks/bench_price.py [--sessions N] [--steps N] [--families ...]``.
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


def run(name: str, sessions: int, steps: int, seed: int, baseline: bool) -> dict[str, float]:
    engine = Engine(load_family(ROOT / "catalog" / f"{name}.yaml"))
    rng = random.Random(seed)
    ours: list[float] = []
    old: list[float] = []
    for _ in range(sessions):
        choices: dict[str, Value] = {}
        for _ in range(steps + 1):
            t = time.perf_counter()
            got = _range(engine, choices, "full")
            ours.append(time.perf_counter() - t)
            if baseline:
                t = time.perf_counter()
                want = _range(engine, choices, "div")
                old.append(time.perf_counter() - t)
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
    }
    if old:
        out |= {
            "div_median_ms": statistics.median(old) * 1e3,
            "div_p95_ms": p95(old) * 1e3,
            "div_max_ms": max(old) * 1e3,
            "speedup": statistics.median(old) / statistics.median(ours),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--families", nargs="*", default=FAMILIES)
    parser.add_argument("--no-baseline", action="store_true", help="skip the div baseline")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    heads = ["family", "steps", "median / p95 / max (ms)", "div: median / p95 / max (ms)"]
    heads.append("ratio of medians")
    print("| " + " | ".join(heads) + " |")
    print("|" + "---|" * len(heads))
    for name in args.families:
        r = run(name, args.sessions, args.steps, args.seed, not args.no_baseline)
        cells = [name, str(int(r["steps"]))]
        cells.append(f"{r['median_ms']:.1f} / {r['p95_ms']:.1f} / {r['max_ms']:.1f}")
        if "speedup" in r:
            cells.append(
                f"{r['div_median_ms']:.1f} / {r['div_p95_ms']:.1f} / {r['div_max_ms']:.1f}"
            )
            cells.append(f"{r['speedup']:.1f}x")
        else:
            cells += ["-", "-"]
        print("| " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
