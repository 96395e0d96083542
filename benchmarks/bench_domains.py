"""Valid-domain recomputation per step on the catalog families (results: docs/benchmarks.md).

Method: for each family, compile an engine (timed), then replay seeded interactive sessions: at
each step pick a random key that is still open and a random value of its current valid domain,
fix it, and time the recomputation of all valid domains (``Engine.domains``). The same sessions
are replayed, in the same process, with the engine's number shifting switched off (a solver call
per number value no model has shown, ``Engine(shift=False)``) and with a naive baseline — one
SAT call per candidate value under the choices as assumptions, no model reuse — and the
speed-up is reported as a ratio of medians (against the naive baseline).

Run: ``make bench`` or ``python benchmarks/bench_domains.py [--sessions N] [--steps N]``.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import time
from decimal import Decimal
from pathlib import Path

from lotone.configure import Engine, NumberDomain, ValueDomain
from lotone.configure.variables import AttrVar, CountVar
from lotone.model.family import EnumAttribute, NumberAttribute, Value
from lotone.model.loader import load_family

ROOT = Path(__file__).resolve().parents[1]
FAMILIES = ["insole", "wardrobe", "pc", "serum"]


def naive_domains(engine: Engine, choices: dict[str, Value]) -> int:
    """The baseline: one solver call per (key, value), no reuse of models. Returns calls made."""
    base = engine.assumptions(choices)
    calls = 0
    for var in engine.enc.vars.values():
        values: list[Value]
        if isinstance(var, CountVar):
            values = [Decimal(c) for c in range(var.min_count, var.max_count + 1)]
        elif isinstance(var.attr, NumberAttribute):
            values = [var.attr.at(k) for k in range(var.attr.size)]
        elif isinstance(var.attr, EnumAttribute):
            values = [v.name for v in var.attr.values]
        else:
            values = [False, True]
        for v in values:
            engine.solver.solve([*base, engine.enc.value_lit(var.key, v)])
            calls += 1
    return calls


def pick(rng: random.Random, engine: Engine, choices: dict[str, Value]) -> tuple[str, Value] | None:
    """A random open key and a random value of its valid domain."""
    doms = engine.domains(choices)
    open_keys = [k for k, d in doms.items() if k not in choices and len(d) > 1]
    if not open_keys:
        return None
    key = rng.choice(open_keys)
    dom = doms[key]
    if isinstance(dom, NumberDomain):
        return key, rng.choice(dom.values())
    assert isinstance(dom, ValueDomain)
    return key, rng.choice(list(dom.values))


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]


def run(name: str, sessions: int, steps: int, seed: int) -> dict[str, float]:
    family = load_family(ROOT / "catalog" / f"{name}.yaml")
    t0 = time.perf_counter()
    engine = Engine(family)
    engine.domains({})
    compile_s = time.perf_counter() - t0
    rng = random.Random(seed)
    trails: list[list[tuple[str, Value]]] = []
    for _ in range(sessions):
        choices: dict[str, Value] = {}
        trail = []
        for _ in range(steps):
            step = pick(rng, engine, choices)
            if step is None:
                break
            choices[step[0]] = step[1]
            trail.append(step)
        trails.append(trail)
    fast: list[float] = []
    unshifted: list[float] = []
    slow: list[float] = []
    plain = Engine(family, shift=False)
    for trail in trails:
        choices = {}
        for key, value in trail:
            choices[key] = value
            t = time.perf_counter()
            engine.domains(choices)
            fast.append(time.perf_counter() - t)
            t = time.perf_counter()
            plain.domains(choices)
            unshifted.append(time.perf_counter() - t)
            t = time.perf_counter()
            naive_domains(engine, choices)
            slow.append(time.perf_counter() - t)
    enc = engine.enc
    return {
        "vars": enc.cnf.num_vars,
        "clauses": len(enc.cnf.clauses),
        "keys": sum(1 for v in enc.vars.values() if isinstance(v, AttrVar | CountVar)),
        "compile_ms": compile_s * 1e3,
        "steps": len(fast),
        "median_ms": statistics.median(fast) * 1e3,
        "p95_ms": p95(fast) * 1e3,
        "max_ms": max(fast) * 1e3,
        "unshifted_median_ms": statistics.median(unshifted) * 1e3,
        "unshifted_p95_ms": p95(unshifted) * 1e3,
        "naive_median_ms": statistics.median(slow) * 1e3,
        "speedup": statistics.median(slow) / statistics.median(fast),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--families", nargs="*", default=FAMILIES)
    args = parser.parse_args()
    cpu = platform.processor() or "?"
    print(f"machine: {platform.machine()}, {cpu}, Python {platform.python_version()}")
    heads = ["family", "vars", "clauses", "compile (ms)", "steps", "median (ms)", "p95 (ms)"]
    heads += ["max (ms)", "no shifting median / p95 (ms)", "naive median (ms)", "speed-up"]
    print("| " + " | ".join(heads) + " |")
    print("|" + "---|" * len(heads))
    for name in args.families:
        r = run(name, args.sessions, args.steps, args.seed)
        cells = [name, *(f"{r[k]:.0f}" for k in ("vars", "clauses", "compile_ms", "steps"))]
        cells += [f"{r[k]:.1f}" for k in ("median_ms", "p95_ms", "max_ms")]
        cells.append(f"{r['unshifted_median_ms']:.1f} / {r['unshifted_p95_ms']:.1f}")
        cells.append(f"{r['naive_median_ms']:.1f}")
        cells.append(f"{r['speedup']:.1f}x")
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
