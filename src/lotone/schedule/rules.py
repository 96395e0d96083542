"""Dispatching rules: fast schedules, a fallback when there is no time, and seeds for CP-SAT.

One generator serves every rule (Giffler-Thompson, made flexible): among the operations whose
predecessors are done, each gets its best placement, the eligible machine where it would end
first after the machine's last operation, the changeover from that operation's family, and the
machine's calendar. Let ``C*`` be the earliest such end; the operations that could start before
``C*`` compete, and the rule picks one. Fixed operations are placed first, where they are.

Rules (lower key goes first; ties by operation index, so the result is deterministic):

- ``fifo``: earliest time the operation became ready, then the job's release.
- ``spt``: shortest processing time (on the best machine).
- ``edd``: earliest due date of the job.
- ``mwkr``: most work remaining in the job.
- ``atc``: apparent tardiness cost, ``w/p · exp(-slack⁺ / (k·p̄))``.
- ``atcs``: ATC with setups, times ``exp(-s / (k₂·s̄))``.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from lotone.schedule.problem import SchedulingProblem
from lotone.schedule.schedule import Objective, Schedule

__all__ = ["RULES", "Rule", "RuleResult", "best_rule", "dispatch", "earliest_fit"]

Rule = Literal["fifo", "spt", "edd", "mwkr", "atc", "atcs", "given"]
RULES: tuple[Rule, ...] = ("fifo", "spt", "edd", "mwkr", "atc", "atcs")

_K1, _K2 = 2.0, 0.5


def earliest_fit(gaps: Sequence[tuple[int, int]], ends: Sequence[int], t: int, dur: int) -> int:
    """The earliest start ``>= t`` where ``[start, start + dur)`` misses every gap.

    ``gaps`` are sorted disjoint unavailable intervals, ``ends`` their ends (for bisection).
    """
    i = bisect.bisect_right(ends, t)
    while i < len(gaps):
        a, b = gaps[i]
        if t + dur <= a or (dur == 0 and t < a):
            return t
        t = max(t, b)
        i += 1
    return t


@dataclass(frozen=True, slots=True)
class RuleResult:
    """A rule's schedule and its objective value."""

    rule: Rule
    schedule: Schedule
    objective: int


class _State:
    """The generator's mutable state; one per call."""

    def __init__(self, problem: SchedulingProblem) -> None:
        self.p = problem
        m = problem.num_machines
        self.free = [0] * m
        self.family = list(problem.initial_family)
        self.gaps = problem.unavailable
        self.gap_ends = [[b for _, b in g] for g in problem.unavailable]
        self.machine: list[int] = [-1] * problem.num_operations
        self.start: list[int] = [-1] * problem.num_operations
        self.end: list[int] = [0] * problem.num_operations

    def placement(self, o: int, ready: int) -> tuple[int, int, int]:
        """(end, start, machine) of the best placement of ``o`` now."""
        op = self.p.operations[o]
        best = (math.inf, 0, 0)
        for m, d in op.modes:
            t = max(ready, self.free[m] + self.p.setup(m, self.family[m], op.setup_family))
            s = earliest_fit(self.gaps[m], self.gap_ends[m], t, d)
            cand = (s + d, s, m)
            if cand < best:
                best = cand
        return (int(best[0]), best[1], best[2])

    def place(self, o: int, m: int, s: int) -> None:
        op = self.p.operations[o]
        d = op.duration_on(m)
        self.machine[o], self.start[o], self.end[o] = m, s, s + d
        if d > 0:  # an instant occupies no machine time (as in Schedule.check)
            self.free[m] = max(self.free[m], s + d)
            self.family[m] = op.setup_family


def _remaining(problem: SchedulingProblem) -> list[int]:
    """Per operation: its min duration plus the longest chain of successors after it."""
    tail = [0] * problem.num_operations
    for o in reversed(problem.topological_order()):
        after = max((tail[s] for s in problem.successors(o)), default=0)
        tail[o] = problem.operations[o].min_duration + after
    return tail


def dispatch(
    problem: SchedulingProblem, rule: Rule, priority: Sequence[float] | None = None
) -> Schedule:
    """The schedule a dispatching ``rule`` builds (see the module docstring).

    Rule ``"given"`` takes ``priority`` (one number per operation, lower first), e.g. the
    starts of a previous plan to repair it.
    """
    if rule == "given" and (priority is None or len(priority) != problem.num_operations):
        raise ValueError("rule 'given' needs one priority per operation")
    p = problem
    st = _State(p)
    n = p.num_operations
    tail = _remaining(p)
    mean_p = max(1.0, sum(op.min_duration for op in p.operations) / max(1, n))
    setups = [t for mat in p.setup_matrices for row in mat for t in row if t > 0]
    mean_s = max(1.0, sum(setups) / len(setups)) if setups else 1.0
    waiting = [len(p.predecessors(o)) for o in range(n)]
    ready_at = [max(p.earliest, p.jobs[op.job].release) for op in p.operations]
    fixed = {f.operation for f in p.fixed}
    for f in sorted(p.fixed, key=lambda f: (f.start, f.operation)):
        st.place(f.operation, f.machine, f.start)
    for f in p.fixed:
        for s in p.successors(f.operation):
            waiting[s] -= 1
            ready_at[s] = max(ready_at[s], st.end[f.operation])
    ready = [o for o in range(n) if waiting[o] == 0 and o not in fixed]
    # a stored placement stays valid until its machine gets a new operation (it may miss a
    # better machine whose changeover just shrank; a heuristic may, and it saves most work)
    places = {o: st.placement(o, ready_at[o]) for o in ready}
    on_machine: list[set[int]] = [set() for _ in range(p.num_machines)]
    for o in ready:
        on_machine[places[o][2]].add(o)
    while ready:
        c_star = min(e for e, _, _ in places.values())
        conflict = [o for o in ready if places[o][1] < c_star or places[o][0] == c_star]
        now = min(places[o][1] for o in conflict)

        def key(o: int, now: int = now) -> tuple[float, ...]:
            op = p.operations[o]
            job = p.jobs[op.job]
            end, start, m = places[o]
            dur = end - start
            if rule == "given" and priority is not None:
                return (priority[o], o)
            if rule == "fifo":
                return (ready_at[o], job.release, o)
            if rule == "spt":
                return (dur, o)
            if rule == "edd":
                return (job.due if job.due is not None else math.inf, o)
            if rule == "mwkr":
                return (-tail[o], o)
            due = job.due if job.due is not None else 10**12
            slack = max(0.0, due - now - tail[o])
            index = (job.weight + 1e-9) / max(1, dur) * math.exp(-slack / (_K1 * mean_p))
            if rule == "atcs":
                s = p.setup(m, st.family[m], op.setup_family)
                index *= math.exp(-s / (_K2 * mean_s))
            return (-index, o)

        chosen = min(conflict, key=key)
        _, s, m = places[chosen]
        st.place(chosen, m, s)
        ready.remove(chosen)
        del places[chosen]
        on_machine[m].discard(chosen)
        stale, on_machine[m] = on_machine[m], set()
        for o in stale:
            places[o] = st.placement(o, ready_at[o])
            on_machine[places[o][2]].add(o)
        for succ in p.successors(chosen):
            waiting[succ] -= 1
            ready_at[succ] = max(ready_at[succ], st.end[chosen])
            if waiting[succ] == 0 and succ not in fixed:
                ready.append(succ)
                places[succ] = st.placement(succ, ready_at[succ])
                on_machine[places[succ][2]].add(succ)
    return Schedule(tuple(st.machine), tuple(st.start))


def best_rule(
    problem: SchedulingProblem,
    objective: Objective = "makespan",
    rules: Sequence[Rule] = RULES,
) -> RuleResult:
    """Run every rule; the best by ``objective`` (then makespan, then rule order)."""
    best: tuple[int, int, int] | None = None
    out: RuleResult | None = None
    for i, rule in enumerate(rules):
        sched = dispatch(problem, rule)
        value = sched.objective(problem, objective)
        rank = (value, sched.makespan(problem), i)
        if best is None or rank < best:
            best, out = rank, RuleResult(rule, sched, value)
    if out is None:
        raise ValueError("best_rule needs at least one rule")
    return out
