"""Rules and CP-SAT on named instances: known optima, valid schedules, never worse than rules."""

from __future__ import annotations

import pytest
from schedule_instances import FT06, FT10, JIT5, JIT10, MK01, instance

import lotone.schedule
from lotone.errors import Infeasible
from lotone.schedule import (
    RULES,
    Job,
    Operation,
    SchedulingProblem,
    SolveParams,
    Status,
    best_rule,
    dispatch,
    solve,
)
from lotone.schedule.lns import critical_operations
from lotone.schedule.readers import read_problem

FAST = SolveParams(time_limit=10, workers=2, seed=0)


def test_the_public_surface_is_pinned() -> None:
    """`lotone.schedule` exports the problem, the schedule, the solvers and rescheduling."""
    assert set(lotone.schedule.__all__) == {
        "RULES", "Fixed", "InvalidSchedule", "Job", "Objective", "Operation", "ProblemError",
        "Result", "SchedulingProblem", "Schedule", "SolveParams", "Status", "best_rule",
        "dispatch", "reschedule", "site_problem", "solve", "solve_sites",
    }  # fmt: skip


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("rel", [FT06, MK01, JIT10])
def test_every_rule_gives_a_valid_schedule(rule: str, rel: str) -> None:
    """Each dispatching rule respects precedences, machines, setups and releases."""
    p = read_problem(instance(rel))
    dispatch(p, rule).check(p)  # type: ignore[arg-type]


def test_rules_respect_calendars_and_setups(tiny: SchedulingProblem) -> None:
    """On the tiny problem every rule's schedule passes check."""
    for rule in RULES:
        dispatch(tiny, rule).check(tiny)


@pytest.mark.parametrize("method", ["cpsat", "textbook"])
def test_ft06_reaches_its_optimum_55(method: str) -> None:
    """Both models prove ft06's optimum quickly."""
    p = read_problem(instance(FT06))
    r = solve(p, "makespan", FAST, method)  # type: ignore[arg-type]
    assert r.status == Status.OPTIMAL
    assert (r.objective, r.lower_bound, r.gap) == (55, 55, 0.0)
    assert r.schedule is not None
    r.schedule.check(p)


def test_mk01_reaches_its_optimum_40() -> None:
    """Brandimarte mk01 (flexible) solves to 40, proven."""
    p = read_problem(instance(MK01))
    r = solve(p, "makespan", FAST)
    assert (r.status, r.objective) == (Status.OPTIMAL, 40)


@pytest.mark.slow
def test_ft10_reaches_930_with_enough_time() -> None:
    """ft10 needs more time; slow-marked."""
    p = read_problem(instance(FT10))
    r = solve(p, "makespan", SolveParams(time_limit=120, workers=2))
    assert r.objective == 930


def test_tardiness_with_setups_is_never_worse_than_the_best_rule() -> None:
    """On a JIT job shop with setups the solver's weighted tardiness <= the best rule's."""
    p = read_problem(instance(JIT5))
    rule = best_rule(p, "tardiness")
    r = solve(p, "tardiness", SolveParams(time_limit=5))
    assert r.schedule is not None
    r.schedule.check(p)
    assert r.objective is not None
    assert r.objective <= rule.objective


def test_the_same_seed_gives_the_same_schedule_in_deterministic_mode() -> None:
    """With a deterministic time limit the result depends only on the seed."""
    p = read_problem(instance(JIT10))
    params = SolveParams(time_limit=0.3, workers=2, seed=7, deterministic=True)
    a = solve(p, "tardiness", params)
    b = solve(p, "tardiness", params)
    assert a.schedule == b.schedule


def test_the_rules_method_returns_the_best_rule_schedule() -> None:
    """`method='rules'` needs no solver and reports the winning rule."""
    p = read_problem(instance(FT06))
    r = solve(p, "makespan", FAST, "rules")
    assert r.rule in RULES
    assert r.objective == best_rule(p).objective


def test_our_lns_keeps_schedules_valid() -> None:
    """The LNS loop (off by default) returns a checked schedule no worse than its start."""
    p = read_problem(instance(JIT10))
    start = best_rule(p, "tardiness").objective
    r = solve(p, "tardiness", SolveParams(time_limit=3, lns=True))
    assert r.objective is not None
    assert r.objective <= start
    assert r.schedule is not None
    assert critical_operations(p, r.schedule)


def test_a_fixed_operation_that_cannot_fit_makes_the_problem_infeasible() -> None:
    """Two operations pinned to overlap on one machine: the solver proves infeasibility."""
    from lotone.schedule import Fixed

    ops = (Operation(0, ((0, 5),)), Operation(1, ((0, 5),)))
    p = SchedulingProblem(1, (Job((0,)), Job((1,))), ops, fixed=(Fixed(0, 0, 0), Fixed(1, 0, 2)))
    with pytest.raises(Infeasible):
        solve(p, "makespan", FAST, "textbook")


@pytest.mark.parametrize("tuned", [True, False])
def test_an_instant_operation_may_sit_inside_another_on_its_machine(tuned: bool) -> None:
    """A zero-duration operation occupies no machine time (as Schedule.check says), so the
    CP-SAT models accept the rule schedule that puts one inside a running operation; found by
    Hypothesis, where the tuned model called this problem infeasible."""
    from ortools.sat.python import cp_model

    from lotone.schedule.cpsat_model import build_model

    p = SchedulingProblem(
        num_machines=2,
        jobs=(Job(operations=(0, 1, 2)), Job(operations=(3, 4), release=1)),
        operations=(
            Operation(job=0, modes=((0, 2),)),
            Operation(job=0, modes=((0, 0),)),
            Operation(job=0, modes=((0, 0),)),
            Operation(job=1, modes=((0, 0),)),
            Operation(job=1, modes=((1, 1),)),
        ),
        precedences=((0, 1), (1, 2), (3, 4)),
    )
    rule = best_rule(p).schedule
    rule.check(p)
    assert rule.makespan(p) == 2
    built = build_model(p, "makespan", tuned=tuned, hint=rule)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(built.model) == cp_model.OPTIMAL
    assert solver.objective_value == 2
    r = solve(p, "makespan", SolveParams(time_limit=1, workers=2, seed=1))
    assert r.schedule is not None
    assert r.objective == 2
    r.schedule.check(p)
