"""How far below the best rule can a JIT job shop's weighted tardiness go? A lower bound.

For each machine ``k`` alone: every job visiting ``k`` ends no earlier than its operation on
``k`` ends plus the work of its later operations (``q``), and that operation starts no earlier
than the job's release plus its earlier operations' work (the head). The machine does one
thing at a time and, before each operation, a changeover at least as long as the cheapest one
into it (from any other operation on ``k`` or the machine's initial family). The least total
``w * max(0, C + q - d)`` of that one-machine problem bounds the whole shop's total weighted
tardiness from below; the bound is the largest over the machines. Each one-machine problem is
solved as the linear relaxation of its time-indexed formulation (one variable per job and
completion time; HiGHS through ``scipy.optimize.linprog``), a valid and usually close bound
on it. CP-SAT's own bound on these one-machine models stays at 0 within minutes.

Run: ``python benchmarks/jit_bound.py I-50x10-equal-tight-0 [more names]`` (names under
``../shared/benchmarks/scheduling/jobshop-sdst-jit``; one LP per machine, about 10 s each on
50x10). Prints per instance the best rule, the bound, and the largest reduction below the
rule the bound leaves possible. ``scipy`` comes with ``pymoo``, a dependency of the project.
"""

from __future__ import annotations

import argparse
import math
import os
import time
from functools import reduce
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from lotone.schedule import SchedulingProblem, best_rule
from lotone.schedule.readers import read_problem

JIT = Path(__file__).resolve().parents[1].parent / "shared/benchmarks/scheduling/jobshop-sdst-jit"


def _jobs_on(p: SchedulingProblem, k: int, g: int) -> list[tuple[int, int, float, float, int]]:
    """(machine time, earliest completion, tail, due, weight) per operation on ``k``, in
    units of ``g``."""
    on_k = [o for o, op in enumerate(p.operations) if op.modes[0][0] == k]
    on = set(on_k)
    out = []
    for job in p.jobs:
        ops = job.operations
        for i, o in enumerate(ops):
            if o not in on:
                continue
            d = p.operations[o].modes[0][1]
            head = max(job.release, p.earliest) + sum(p.operations[x].min_duration for x in ops[:i])
            tail = sum(p.operations[x].min_duration for x in ops[i + 1 :])
            before = [p.operations[x].setup_family for x in on_k if x != o]
            fam = p.operations[o].setup_family
            cheapest = min(p.setup(k, f, fam) for f in [*before, p.initial_family[k]])
            due = job.due if job.due is not None else math.inf
            out.append(((d + cheapest) // g, (head + d) // g, tail / g, due / g, job.weight))
    return out


def machine_bound(p: SchedulingProblem, k: int) -> float:
    """The time-indexed LP bound of machine ``k``'s one-machine relaxation (problem units)."""
    if any(len(op.modes) != 1 for op in p.operations):
        raise ValueError(f"{p.name}: the bound is for shops where each operation has one machine")
    values = [d for op in p.operations for _, d in op.modes] + [j.release for j in p.jobs]
    values += [t for mat in p.setup_matrices for row in mat for t in row]
    g = reduce(math.gcd, values) or 1  # completions are multiples of g: fewer time points
    jobs = [j for j in _jobs_on(p, k, g) if j[3] != math.inf]
    if not jobs:
        return 0.0
    horizon = max(c for _, c, _, _, _ in jobs) + sum(t for t, *_ in jobs)
    rows, cols, cost, eq_rows = [], [], [], []
    col = 0
    for i, (t, first, q, due, w) in enumerate(jobs):
        for c in range(first, horizon + 1):  # the job's machine time is (c - t, c]
            cost.append(w * max(0.0, c + q - due))
            eq_rows.append(i)
            rows.extend(range(c - t + 1, c + 1))
            cols.extend([col] * t)
            col += 1
    busy = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(horizon + 1, col))
    once = sp.csr_matrix((np.ones(col), (eq_rows, range(col))), shape=(len(jobs), col))
    res = linprog(
        np.array(cost), A_ub=busy, b_ub=np.ones(horizon + 1), A_eq=once,
        b_eq=np.ones(len(jobs)), bounds=(0, 1), method="highs",
    )  # fmt: skip
    if res.status != 0:
        raise RuntimeError(f"machine {k}: the LP ended with status {res.status}: {res.message}")
    return float(res.fun) * g


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("names", nargs="+", help="JIT instance directories, e.g. I-50x10-equal-tight-0")
    args = ap.parse_args()
    load = os.getloadavg()
    print(f"# load {load[0]:.2f}/{load[1]:.2f}, {os.cpu_count()} cpus")
    print("| instance | best rule | lower bound | largest reduction possible % | s |")
    print("|---|---|---|---|---|")
    for name in args.names:
        t = time.perf_counter()
        p = read_problem(JIT / name)
        rule = best_rule(p, "tardiness")
        bound = max(machine_bound(p, k) for k in range(p.num_machines))
        bound = math.floor(bound)  # rounded down: the LP's float error stays on the safe side
        room = 100 * (1 - bound / rule.objective) if rule.objective else 0.0
        print(f"| {name} | {rule.objective} ({rule.rule}) | {bound} | {room:.1f} |"
              f" {time.perf_counter() - t:.0f} |", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
