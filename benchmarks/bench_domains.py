"""Valid-domain recomputation per step on the catalog families (results: docs/benchmarks.md).

Method: for each family, compile an engine (timed), then replay seeded interactive sessions: at
each step pick a random key that is still open and a random value of its current valid domain,
fix it, and time the recomputation of all valid domains (``Engine.domains``). The same sessions
are replayed, in the same process, with witness walks taken step by step instead of a stretch
at a time (``engine.shifter.lines = False``, :mod:`lotone.configure.shift_lines`), with the
engine's number shifting switched off (a solver call per number value no model has shown,
``Engine(shift=False)``) and with a naive baseline — one SAT call per candidate value under the
choices as assumptions, no model reuse — and the speed-up is reported as a ratio of medians
(against the naive baseline). ``wardrobe-1mm`` is the wardrobe on 1 mm grids instead of 10 mm
(ten times the values per number), where walking step by step costs the most; the two
baselines are left out there (a literal per value: they need over 15 GB). The timed engines are
fresh ones (the engine that picks the steps has grown range literals, which slows it) and the
two walks alternate which goes first.

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
from lotone.model.family import EnumAttribute, Family, NumberAttribute, Value
from lotone.model.loader import load_family, load_family_text

ROOT = Path(__file__).resolve().parents[1]
FAMILIES = ["insole", "wardrobe", "wardrobe-1mm", "pc", "serum"]
# no call-per-value baselines on 1 mm grids: a literal per value, over 15 GB of memory
NO_BASELINES = {"wardrobe-1mm"}


def _family(name: str) -> Family:
    if name == "wardrobe-1mm":
        text = (ROOT / "catalog" / "wardrobe.yaml").read_text().replace("step: 10", "step: 1")
        return load_family_text(text, "wardrobe-1mm.yaml")
    return load_family(ROOT / "catalog" / f"{name}.yaml")


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
    baselines = name not in NO_BASELINES
    family = _family(name)
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
    stepwise: list[float] = []
    unshifted: list[float] = []
    slow: list[float] = []
    lined = Engine(family)  # fresh engines: the picking one has grown range literals
    walker = Engine(family)
    walker.shifter.lines = False
    plain = Engine(family, shift=False) if baselines else None
    for trail in trails:
        choices = {}
        for i, (key, value) in enumerate(trail):
            choices[key] = value
            pair = [(lined, fast), (walker, stepwise)]
            for timed, out in pair if i % 2 == 0 else pair[::-1]:  # alternated: fair to both
                t = time.perf_counter()
                timed.domains(choices)
                out.append(time.perf_counter() - t)
            if plain is None:
                continue
            t = time.perf_counter()
            plain.domains(choices)
            unshifted.append(time.perf_counter() - t)
            t = time.perf_counter()
            naive_domains(engine, choices)
            slow.append(time.perf_counter() - t)
    nan = float("nan")
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
        "stepwise_median_ms": statistics.median(stepwise) * 1e3,
        "stepwise_p95_ms": p95(stepwise) * 1e3,
        "unshifted_median_ms": statistics.median(unshifted) * 1e3 if slow else nan,
        "unshifted_p95_ms": p95(unshifted) * 1e3 if slow else nan,
        "naive_median_ms": statistics.median(slow) * 1e3 if slow else nan,
        "speedup": statistics.median(slow) / statistics.median(fast) if slow else nan,
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
    heads += [
        "max (ms)",
        "step-by-step walks median / p95 (ms)",
        "no shifting median / p95 (ms)",
        "naive median (ms)",
        "speed-up",
    ]
    print("| " + " | ".join(heads) + " |")
    print("|" + "---|" * len(heads))
    for name in args.families:
        r = run(name, args.sessions, args.steps, args.seed)
        cells = [name, *(f"{r[k]:.0f}" for k in ("vars", "clauses", "compile_ms", "steps"))]
        cells += [f"{r[k]:.1f}" for k in ("median_ms", "p95_ms", "max_ms")]
        cells.append(f"{r['stepwise_median_ms']:.1f} / {r['stepwise_p95_ms']:.1f}")
        if r["naive_median_ms"] == r["naive_median_ms"]:  # not NaN: baselines ran
            cells.append(f"{r['unshifted_median_ms']:.1f} / {r['unshifted_p95_ms']:.1f}")
            cells.append(f"{r['naive_median_ms']:.1f}")
            cells.append(f"{r['speedup']:.1f}x")
        else:
            cells += ["-", "-", "-"]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
