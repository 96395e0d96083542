"""Hypothesis on random small problems: valid schedules, never worse than rules, frozen stays."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lotone.schedule import (
    Job,
    Operation,
    Schedule,
    SchedulingProblem,
    SolveParams,
    best_rule,
    reschedule,
    solve,
)


@dataclass(frozen=True)
class Case:
    problem: SchedulingProblem
    objective: str


@st.composite
def problems(draw: st.DrawFn) -> Case:
    """Flexible job shops with setups, downtime, releases and due dates (<= 12 operations)."""
    m = draw(st.integers(1, 3))
    n_jobs = draw(st.integers(1, 4))
    fams = draw(st.integers(1, 3))
    ops: list[Operation] = []
    jobs: list[Job] = []
    prec: list[tuple[int, int]] = []
    for j in range(n_jobs):
        ids = []
        for _ in range(draw(st.integers(1, 3))):
            machines = draw(st.lists(st.integers(0, m - 1), min_size=1, max_size=m, unique=True))
            modes = tuple((mm, draw(st.integers(1, 9))) for mm in machines)
            fam = draw(st.integers(-1, fams - 1))
            if ids:
                prec.append((ids[-1], len(ops)))
            ids.append(len(ops))
            ops.append(Operation(j, modes, fam, f"j{j}o{len(ids) - 1}"))
        release = draw(st.integers(0, 5))
        jobs.append(Job(tuple(ids), release, draw(st.integers(5, 30)), draw(st.integers(1, 3))))
    matrix = tuple(
        tuple(0 if a == b else draw(st.integers(0, 4)) for b in range(fams)) for a in range(fams)
    )
    gaps = []
    for _ in range(m):
        a = draw(st.integers(0, 20))
        gaps.append(((a, a + draw(st.integers(1, 6))),) if draw(st.booleans()) else ())
    problem = SchedulingProblem(
        m,
        tuple(jobs),
        tuple(ops),
        tuple(prec),
        setup_matrices=(matrix,),
        machine_setup=tuple(draw(st.sampled_from([0, -1])) for _ in range(m)),
        initial_family=tuple(draw(st.integers(-1, fams - 1)) for _ in range(m)),
        unavailable=tuple(gaps),
    )
    return Case(problem, draw(st.sampled_from(["makespan", "tardiness"])))


QUICK = SolveParams(time_limit=2.0, workers=1, seed=1)
RUNS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@RUNS
@given(problems())
def test_solver_is_valid_and_never_worse_than_the_best_rule(case: Case) -> None:
    """CP-SAT's schedule passes check and is at most the best rule's objective."""
    p = case.problem
    obj = case.objective
    rule = best_rule(p, obj)  # type: ignore[arg-type]
    rule.schedule.check(p)
    r = solve(p, obj, QUICK)  # type: ignore[arg-type]
    assert r.schedule is not None
    r.schedule.check(p)
    assert r.objective is not None
    assert r.objective <= rule.objective
    assert r.lower_bound <= r.objective


@RUNS
@given(problems(), st.integers(0, 15), st.integers(0, 10))
def test_rescheduling_never_moves_frozen_operations(case: Case, now: int, window: int) -> None:
    """Operations started before the frozen window's end keep their machine and start."""
    p = case.problem
    plan = best_rule(p).schedule
    breakdown = {0: [(now, now + 3)]}
    new, r = reschedule(p, plan, now, frozen_until=now + window, breakdowns=breakdown, params=QUICK)
    assert r.schedule is not None
    r.schedule.check(new)
    for f in new.fixed:
        assert (plan.machines[f.operation], plan.starts[f.operation]) == (f.machine, f.start)
        assert (r.schedule.machines[f.operation], r.schedule.starts[f.operation]) == (
            f.machine,
            f.start,
        )
    for o in range(p.num_operations):
        if o not in {f.operation for f in new.fixed}:
            assert r.schedule.starts[o] >= now
    assert isinstance(plan, Schedule)
