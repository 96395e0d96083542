"""The compiled BDD backend on the public configuration models (numbers for docs/benchmarks.md).

For each model, in a fresh process (so peak memory is the model's own): load the file, compile a
:class:`~lotone.configure.bdd.BddSpace` (order search and sifting included), count exactly, then
replay seeded interactive sessions as issue 3 describes: at each of 20 steps pick a random
visible variable that is not fixed yet (domain of two or more values) and a random value of its
current valid domain, fix it, and time the recomputation of all valid domains. Wall and CPU
seconds are both reported, since a shared machine inflates wall time.

Run: ``python benchmarks/bench_bdd.py [--models medium,megane,big] [--sessions 5] [--steps 20]``.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "configure"))

import finite_files  # noqa: E402  (paths of the shared benchmark files; loads with load_model)

from lotone.configure.bdd import BddSpace, CompileBudgetExceeded  # noqa: E402

MODELS = {
    "medium": finite_files.MEDIUM,
    "megane": finite_files.MEGANE,
    "big": finite_files.BIG,
    "linux": finite_files.DIMACS / "linux_2.6.33.3_Knueppel2017.dimacs",
    "automotive02": finite_files.DIMACS / "automotive02_v1_Knueppel2017.dimacs",
}


def replay(space: BddSpace, seed: int, steps: int) -> list[float]:
    """Seconds per step of one seeded session (domains recomputed after each choice)."""
    rng = random.Random(seed)
    visible = space.model.visible
    choices: dict[int, int] = {}
    doms = space.domains(choices)
    times: list[float] = []
    for _ in range(steps):
        if doms is None:
            raise RuntimeError("a value from a valid domain led to a conflict")
        open_vars = [v for v in visible if v not in choices and len(doms[v]) > 1]
        if not open_vars:
            break
        v = rng.choice(open_vars)
        choices[v] = rng.choice(sorted(doms[v]))
        t = time.perf_counter()
        doms = space.domains(choices)
        times.append(time.perf_counter() - t)
    return times


def measure(name: str, sessions: int, steps: int, budget: float) -> dict[str, object]:
    """Everything for one model, in this process."""
    t0, c0 = time.perf_counter(), time.process_time()
    model = finite_files.load(MODELS[name])
    load_s = time.perf_counter() - t0
    out: dict[str, object] = {"model": name, "load_s": round(load_s, 2)}
    try:
        space = BddSpace(model, budget_s=budget)
    except CompileBudgetExceeded as e:
        out["failed"] = e.reason
        out["wall_s"] = round(time.perf_counter() - t0, 2)
        out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        return out
    out |= {
        "compile_s": round(space.compile_seconds, 2),
        "file_to_engine_s": round(time.perf_counter() - t0, 2),
        "file_to_engine_cpu_s": round(time.process_time() - c0, 2),
        "nodes": space.nodes,
        "order": space.order_name,
    }
    t = time.perf_counter()
    out["count"] = space.count()
    out["count_s"] = round(time.perf_counter() - t, 3)
    t = time.perf_counter()
    space.domains({})
    out["first_domains_ms"] = round(1000 * (time.perf_counter() - t), 2)
    times: list[float] = []
    for seed in range(sessions):
        times += replay(space, seed, steps)
    ms = sorted(1000 * x for x in times)
    out |= {
        "steps": len(ms),
        "median_ms": round(statistics.median(ms), 2),
        "p95_ms": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 2),
        "worst_ms": round(ms[-1], 2),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="medium,megane,big,linux,automotive02")
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--budget", type=float, default=30.0, help="compile budget, seconds")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # run one model here (child process)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.sessions, args.steps, args.budget)))
        return
    for name in args.models.split(","):
        cmd = [sys.executable, __file__, "--one", name, "--sessions", str(args.sessions)]
        cmd += ["--steps", str(args.steps), "--budget", str(args.budget)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        lines = done.stdout.strip().splitlines()
        print(lines[-1] if lines else json.dumps({"model": name, "error": done.stderr[-500:]}))


if __name__ == "__main__":
    main()
