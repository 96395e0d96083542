"""The configurator at scale: interactive replays on public models (results: docs/benchmarks.md).

Method (issue 3): for each model, import it and build the engine the CLI uses (``FiniteEngine``,
backend picked automatically; the time from file to ready engine is reported, order search
included). Then replay one seeded session: 20 steps, each fixing a random not-yet-fixed variable
to a random value of its current valid domain, recomputing every valid domain after each step;
per-step median, p95 and worst. In the same process, the naive baseline (one SAT call per
candidate value under the choices as assumptions, no model reuse) replays the first
``--naive-steps`` steps of the same session; the speed-up is the ratio of the medians over those
steps. Then ``why`` + ``repair`` on withheld values of the final state, and the exact count.
Each model runs in its own subprocess so peak memory (max RSS, CUDD included) is its own.

Run: ``python benchmarks/bench_configurator.py [MODEL ...] [--naive-steps N]``
(MODEL: medium, megane, big, linux, automotive02, ecos, busybox; default: all).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "benchmarks" / "configuration"
MODELS = {
    "medium": BENCH / "renault_br4cp" / "medium_domainsorted.xml",
    "megane": BENCH / "renault_megane_clib",
    "big": BENCH / "renault_br4cp" / "big_domainsorted.xml",
    "linux": BENCH / "feature_models" / "dimacs" / "linux_2.6.33.3_Knueppel2017.dimacs",
    "automotive02": BENCH / "feature_models" / "dimacs" / "automotive02_v1_Knueppel2017.dimacs",
    "ecos": BENCH / "feature_models" / "dimacs" / "ecos-icse11.cnf",
    "busybox": BENCH / "feature_models" / "dimacs" / "busybox_1_28_0.cnf",
}


def pct(xs: list[float], q: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, round(q * (len(s) - 1)))]


def naive_step(engine: object, choices: dict[int, int]) -> None:
    """The baseline: one SAT call per candidate value, no model reuse."""
    from lotone.configure.finite_engine import FiniteEngine

    assert isinstance(engine, FiniteEngine)
    sat = engine.sat
    base = sat.assumptions(choices)
    for v, var in enumerate(engine.model.variables):
        for k in range(len(var.values)):
            sat.solver.solve([*base, sat.lit(v, k)])


def run_one(
    name: str, steps: int, naive_steps: int, seed: int, with_count: bool = True
) -> dict[str, object]:
    from lotone.configure.finite_engine import FiniteEngine
    from lotone.model.importers import load_model

    t0 = time.perf_counter()
    model = load_model(MODELS[name])
    t_import = time.perf_counter() - t0
    engine = FiniteEngine(model)
    t_ready = time.perf_counter() - t0
    rng = random.Random(seed)
    choices: dict[int, int] = {}
    times: list[float] = []
    session: list[dict[int, int]] = []
    doms = engine.domain_indices(choices)
    assert doms is not None
    for _ in range(steps):
        free = [v for v in model.visible if v not in choices and len(doms[v]) > 1]
        if not free:
            break
        v = rng.choice(free)
        choices[v] = rng.choice(sorted(doms[v]))
        session.append(dict(choices))
        t = time.perf_counter()
        new = engine.domain_indices(choices)
        times.append(time.perf_counter() - t)
        assert new is not None, "a value offered led to a dead end"
        doms = new
    # naive baseline over the first steps of the same session
    naive: list[float] = []
    for ch in session[:naive_steps]:
        t = time.perf_counter()
        naive_step(engine, ch)
        naive.append(time.perf_counter() - t)
    # why / repair on withheld values of the final state
    why_times: list[float] = []
    named = model.named(choices)
    withheld = [(v, k) for v in model.visible if v not in choices
                for k in range(len(model.variables[v].values)) if k not in doms[v]]  # fmt: skip
    rng.shuffle(withheld)
    t = time.perf_counter()
    engine.sat.explainer.check([])  # build both SAT solvers before timing explanations
    t_explain_ready = time.perf_counter() - t
    for v, k in withheld[:10]:
        var = model.variables[v]
        t = time.perf_counter()
        engine.why(named, var.name, var.values[k])
        engine.repair(named, var.name, var.values[k])
        why_times.append(time.perf_counter() - t)
    count: dict[str, object] = {}
    if with_count:
        try:
            c = engine.count()
            count = {"count": str(c.value), "method": c.method, "seconds": round(c.seconds, 3)}
        except Exception as exc:
            count = {"error": f"{type(exc).__name__}: {exc}"}
    ms = [t * 1000 for t in times]
    base_ms = [t * 1000 for t in naive]
    ratio = statistics.median(base_ms) / statistics.median(ms[: len(base_ms)]) if base_ms else None
    return {
        "model": name,
        **model.stats(),
        "backend": engine.backend,
        "import_s": round(t_import, 2),
        "ready_s": round(t_ready, 2),
        "steps": len(ms),
        "median_ms": round(statistics.median(ms), 2),
        "p95_ms": round(pct(ms, 0.95), 2),
        "worst_ms": round(max(ms), 2),
        "naive_steps": len(base_ms),
        "naive_median_ms": round(statistics.median(base_ms), 1) if base_ms else None,
        "speedup": round(ratio, 1) if ratio else None,
        "explain_ready_s": round(t_explain_ready, 2),
        "why_repair_median_ms": round(statistics.median(why_times) * 1000, 1)
        if why_times
        else None,
        "why_repair_worst_ms": round(max(why_times) * 1000, 1) if why_times else None,
        **count,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models", nargs="*", default=list(MODELS))
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--naive-steps", type=int, default=3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-count", action="store_true", help="skip the exact count")
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        result = run_one(args.models[0], args.steps, args.naive_steps, args.seed, not args.no_count)
        print(json.dumps(result))
        return
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    for name in args.models:
        cmd = [sys.executable, __file__, name, "--one", "--steps", str(args.steps),
               "--naive-steps", str(args.naive_steps), "--seed", str(args.seed),
               *(["--no-count"] if args.no_count else [])]  # fmt: skip
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            print(json.dumps({"model": name, "error": out.stderr.strip().splitlines()[-1:]}))
        else:
            print(out.stdout.strip(), flush=True)


if __name__ == "__main__":
    main()
