"""Large-neighbourhood search on top of the tuned CP-SAT model, for large problems.

Start from a valid schedule; repeat until the time is up: choose a neighbourhood (a set of
operations to free), keep every other operation on its machine and in its order on that machine
(precedences between consecutive kept operations; their start times stay free, so the whole
schedule can shift), and let CP-SAT re-optimize the freed operations for a short time with the
current schedule as a complete hint. Improvements and equal-value moves are accepted.

Neighbourhoods, chosen in turn by a seeded generator:

- ``critical``: the operations nearest in time to a random operation of the critical path
  (makespan) or of a tardy job (tardiness);
- ``window``: the operations starting in a random time window;
- ``machines``: every operation of a few random machines (reassignment allowed);
- ``jobs``: every operation of a few random jobs.

The neighbourhood size adapts: it grows when CP-SAT proves the sub-problem optimal, shrinks when
it runs out of time. The first part of the budget goes to the whole tuned model, which finds the
big moves early; LNS then polishes.
"""

from __future__ import annotations

import itertools
import logging
import random
import time

from ortools.sat.python import cp_model

from lotone.errors import Infeasible
from lotone.schedule.cpsat_model import Built, add_hint, build_model
from lotone.schedule.problem import SchedulingProblem
from lotone.schedule.result import Result, SolveParams, Status
from lotone.schedule.schedule import Objective, Schedule

__all__ = ["critical_operations", "improve"]

log = logging.getLogger(__name__)

_FIRST_SHARE = 0.25
_SUB_LIMIT = 1.5
_MIN_FREE, _START_FREE = 16, 60


def critical_operations(problem: SchedulingProblem, schedule: Schedule) -> list[int]:
    """Operations on one critical path: each starts when its job or machine predecessor ends."""
    p = problem
    ends = schedule.ends(p)
    prev_on_machine: dict[int, int] = {}
    for seq in schedule.sequences(p):
        for a, b in itertools.pairwise(seq):
            prev_on_machine[b] = a
    o = max(range(p.num_operations), key=lambda i: (ends[i], -i), default=-1)
    path: list[int] = []
    seen: set[int] = set()
    while o >= 0 and o not in seen:
        path.append(o)
        seen.add(o)
        s = schedule.starts[o]
        nxt = -1
        for q in p.predecessors(o):
            if ends[q] == s:
                nxt = q
                break
        if nxt < 0 and o in prev_on_machine:
            q = prev_on_machine[o]
            if ends[q] + p.setup(schedule.machines[o], p.operations[q].setup_family,
                                 p.operations[o].setup_family) >= s:  # fmt: skip
                nxt = q
        o = nxt
    return path


def _neighbourhood(
    p: SchedulingProblem,
    cur: Schedule,
    objective: Objective,
    kind: str,
    size: int,
    rng: random.Random,
) -> set[int]:
    n = p.num_operations
    by_start = sorted(range(n), key=lambda o: (cur.starts[o], o))
    if kind in ("critical", "window"):
        if kind == "critical":
            if objective == "makespan":
                pool = critical_operations(p, cur)
            else:
                done = cur.completions(p)
                late = [j for j, job in enumerate(p.jobs)
                        if job.due is not None and done[j] > job.due]  # fmt: skip
                pool = [o for j in late for o in p.jobs[j].operations] or by_start
            centre = cur.starts[rng.choice(pool)] if pool else 0
            i = min(range(n), key=lambda k: abs(cur.starts[by_start[k]] - centre))
            lo = max(0, min(n - size, i - size // 2))
        else:
            lo = rng.randrange(max(1, n - size + 1))
        return set(by_start[lo : lo + size])
    if kind == "machines":
        seqs = cur.sequences(p)
        order = list(range(p.num_machines))
        rng.shuffle(order)
        chosen: set[int] = set()
        for m in order:
            if chosen and len(chosen) + len(seqs[m]) > size:
                break
            chosen.update(seqs[m])
        return chosen
    jobs = list(range(len(p.jobs)))
    rng.shuffle(jobs)
    chosen = set()
    for j in jobs:
        if chosen and len(chosen) + len(p.jobs[j].operations) > size:
            break
        chosen.update(p.jobs[j].operations)
    return chosen


def _restrict(built: Built, p: SchedulingProblem, cur: Schedule, free: set[int]) -> None:
    """Keep every operation outside ``free`` on its machine and in its order there."""
    model = built.model
    ends = cur.ends(p)
    lo = min((cur.starts[o] for o in free), default=0)
    for o, modes in enumerate(built.presence):
        if o in free:
            continue
        if ends[o] <= lo:  # before the neighbourhood: keep it exactly where it is
            model.add(built.starts[o] == cur.starts[o])
        for m, lit in modes:
            if lit is not None:
                model.add(lit == int(m == cur.machines[o]))
    sequences = cur.sequences(p)
    for seq in sequences:
        kept = [o for o in seq if o not in free]
        for a, b in itertools.pairwise(kept):
            model.add(built.starts[b] >= built.ends[a])
    for m, arcs in built.arcs.items():
        # between kept operations (and the depot) only the arcs of their kept order remain
        node = {o: i for i, o in enumerate(built.arc_ops[m], start=1)}
        kept_nodes = [node[o] for o in sequences[m] if o not in free and o in node]
        if not kept_nodes:
            continue
        allowed = set(itertools.pairwise([0, *kept_nodes, 0]))
        fixed_nodes = {0, *kept_nodes}
        for a, b, lit in arcs:
            if a != b and a in fixed_nodes and b in fixed_nodes and (a, b) not in allowed:
                model.add(lit == 0)


def _params(solver: cp_model.CpSolver, workers: int, seed: int, limit: float, det: bool) -> None:
    sp = solver.parameters
    sp.num_workers = workers
    sp.random_seed = seed
    if det:
        sp.max_deterministic_time = limit
        sp.interleave_search = workers > 1
    else:
        sp.max_time_in_seconds = limit


def improve(
    problem: SchedulingProblem,
    objective: Objective,
    params: SolveParams,
    start: Schedule,
    t0: float,
) -> Result:
    """Improve ``start`` by LNS within ``params.time_limit`` (from ``t0``)."""
    p = problem
    rng = random.Random(params.seed)
    budget = params.time_limit
    det = params.deterministic
    spent = 0.0

    def left() -> float:
        return budget - (spent if det else time.perf_counter() - t0)

    cur = start
    value = cur.objective(p, objective)
    base = build_model(p, objective, tuned=True, hint=cur)
    # the whole model first: CP-SAT's own search finds the large moves and the lower bound
    solver = cp_model.CpSolver()
    first = max(0.05, min(left(), budget * _FIRST_SHARE))
    _params(solver, params.workers, params.seed, first, det)
    code = solver.solve(base.model)
    spent += solver.deterministic_time if det else 0.0
    if code == cp_model.INFEASIBLE:
        raise Infeasible(f"problem {p.name or ''}: no schedule satisfies every constraint")
    lower = 0
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        lower = int(-(-solver.best_objective_bound // 1))
        cand = base.read(solver)
        if not cand.violations(p) and cand.objective(p, objective) <= value:
            cur, value = cand, cand.objective(p, objective)
        if code == cp_model.OPTIMAL:
            cur.check(p)
            return Result(Status.OPTIMAL, cur, value, value, time.perf_counter() - t0, "cpsat")
    size = min(p.num_operations, _START_FREE)
    kinds = ["critical", "window", "critical", "machines", "jobs"]
    it = 0
    while left() > 0.05 and value > lower:
        kind = kinds[it % len(kinds)]
        it += 1
        free = _neighbourhood(p, cur, objective, kind, size, rng)
        sub = base.copy()
        sub.model.clear_hints()  # type: ignore[no-untyped-call]
        add_hint(sub, p, cur, objective)
        _restrict(sub, p, cur, free)
        sub.model.add(sub.objective <= value)
        solver = cp_model.CpSolver()
        limit = max(0.05, min(left(), _SUB_LIMIT))
        _params(solver, params.workers, params.seed + it, limit, det)
        code = solver.solve(sub.model)
        spent += solver.deterministic_time if det else 0.0
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            cand = sub.read(solver)
            new = cand.objective(p, objective)
            if new <= value and not cand.violations(p):
                if new < value:
                    log.debug("lns %s %d ops: %d -> %d", kind, len(free), value, new)
                cur, value = cand, new
        if code == cp_model.OPTIMAL:
            size = min(p.num_operations, int(size * 1.15) + 1)
        else:
            size = max(_MIN_FREE, int(size * 0.85))
    cur.check(p)
    status = Status.OPTIMAL if value <= lower else Status.FEASIBLE
    return Result(status, cur, value, min(lower, value), time.perf_counter() - t0, "cpsat")
