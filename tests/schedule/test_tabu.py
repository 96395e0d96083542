"""The tabu search: known optima, valid schedules, never worse than rules, same seed same result."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schedule_instances import FT06, FT10, JIT5, MK01, instance

from lotone.schedule import (
    Job,
    Operation,
    SchedulingProblem,
    SolveParams,
    Status,
    best_rule,
    solve,
)
from lotone.schedule.readers import read_problem
from lotone.schedule.tabu import TabuSearch, supports, tabu_search


def test_ft06_reaches_55_in_a_few_thousand_iterations() -> None:
    """Fisher-Thompson 6x6 from the best rule (58) to its optimum."""
    p = read_problem(instance(FT06))
    s = tabu_search(p, best_rule(p).schedule, iterations=20_000, bound=55)
    s.check(p)
    assert s.makespan(p) == 55


def test_ft10_gets_within_2_percent_of_930_in_100000_iterations() -> None:
    """ft10 (10x10, optimum 930) from the best rule (1174): <= 950 in about two seconds."""
    p = read_problem(instance(FT10))
    s = tabu_search(p, best_rule(p).schedule, iterations=100_000, bound=930)
    s.check(p)
    assert s.makespan(p) <= 950


def test_mk01_reaches_40_by_moving_operations_between_machines() -> None:
    """Brandimarte mk01 (flexible, optimum 40) from the best rule (45)."""
    p = read_problem(instance(MK01))
    s = tabu_search(p, best_rule(p).schedule, iterations=50_000, bound=40)
    s.check(p)
    assert s.makespan(p) == 40


def test_the_same_seed_and_iterations_give_the_same_schedule_in_any_chunks() -> None:
    """A search cut into chunks is the same search; another seed takes another path."""
    p = read_problem(instance(FT10))
    start = best_rule(p).schedule
    one = TabuSearch(p, start, seed=3)
    one.run(6_000)
    chunked = TabuSearch(p, start, seed=3)
    for _ in range(6):
        chunked.run(1_000)
    assert one.schedule() == chunked.schedule()
    assert tabu_search(p, start, seed=3, iterations=6_000) == one.schedule()
    other = TabuSearch(p, start, seed=4)
    other.run(6_000)
    assert other.schedule() != one.schedule()


def test_counting_iterations_from_zero_again_changes_nothing() -> None:
    """The int32 tabu stamps are rebased before they overflow; the search is the same."""
    p = read_problem(instance(FT10))
    start = best_rule(p).schedule
    plain = TabuSearch(p, start, seed=2)
    plain.run(3_000)
    rebased = TabuSearch(p, start, seed=2)
    rebased.run(1_000)
    rebased._rebase()
    rebased.run(2_000)
    assert rebased.iterations == plain.iterations == 3_000
    assert rebased.schedule() == plain.schedule()


def test_problems_with_changeovers_go_to_the_setup_aware_search() -> None:
    """Setups are not modelled by the disjunctive graph: ``method='tabu'`` runs the
    setup-aware search (:mod:`lotone.schedule.sdst`) instead."""
    p = read_problem(instance(JIT5))
    assert not supports(p)
    with pytest.raises(ValueError, match="tabu search"):
        TabuSearch(p, best_rule(p).schedule)
    r = solve(p, "makespan", SolveParams(time_limit=1, workers=1), "tabu")
    assert r.schedule is not None
    r.schedule.check(p)
    assert r.method == "tabu"


@pytest.mark.parametrize("workers", [1, 2])
def test_solve_proves_ft06_with_tabu_and_cpsat_together(workers: int) -> None:
    """The default method on a pure job shop: 55, proven by CP-SAT's bound, either way."""
    p = read_problem(instance(FT06))
    r = solve(p, "makespan", SolveParams(time_limit=10, workers=workers))
    assert (r.status, r.objective, r.lower_bound, r.method) == (Status.OPTIMAL, 55, 55, "cpsat")
    assert r.rule is not None


def test_deterministic_mode_gives_the_same_schedule() -> None:
    """Deterministic time for CP-SAT and an iteration budget for the tabu search."""
    p = read_problem(instance(FT10))
    params = SolveParams(time_limit=0.5, workers=2, seed=5, deterministic=True)
    a = solve(p, "makespan", params)
    b = solve(p, "makespan", params)
    assert a.schedule == b.schedule
    assert a.objective is not None
    assert a.objective < best_rule(p).objective


@st.composite
def job_shops(draw: st.DrawFn) -> SchedulingProblem:
    """Flexible job shops with releases, zero durations allowed (<= 15 operations)."""
    m = draw(st.integers(1, 4))
    ops: list[Operation] = []
    jobs: list[Job] = []
    prec: list[tuple[int, int]] = []
    for j in range(draw(st.integers(1, 5))):
        ids: list[int] = []
        for _ in range(draw(st.integers(1, 3))):
            machines = draw(st.lists(st.integers(0, m - 1), min_size=1, max_size=m, unique=True))
            modes = tuple((k, draw(st.integers(0, 9))) for k in machines)
            if ids:
                prec.append((ids[-1], len(ops)))
            ids.append(len(ops))
            ops.append(Operation(j, modes))
        jobs.append(Job(tuple(ids), release=draw(st.integers(0, 5))))
    return SchedulingProblem(m, tuple(jobs), tuple(ops), tuple(prec))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(job_shops(), st.integers(0, 3))
def test_tabu_is_valid_and_never_worse_than_the_best_rule(p: SchedulingProblem, seed: int) -> None:
    """On random small flexible job shops the tabu schedule passes check and beats the rule."""
    assert supports(p)
    rule = best_rule(p)
    s = tabu_search(p, rule.schedule, seed=seed, iterations=300)
    s.check(p)
    assert s.makespan(p) <= rule.objective


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(job_shops())
def test_solve_on_job_shops_is_valid_and_bounded(p: SchedulingProblem) -> None:
    """The default method: a checked schedule, no worse than the rule, bound below it."""
    r = solve(p, "makespan", SolveParams(time_limit=0.5, workers=2, seed=1))
    assert r.schedule is not None
    r.schedule.check(p)
    assert r.objective is not None
    assert r.lower_bound <= r.objective <= best_rule(p).objective


def test_the_cli_runs_the_tabu_search_alone_with_the_same_json() -> None:
    """`lotone schedule --method tabu --json`: the same keys, a valid ft06 schedule of 55."""
    import json

    from typer.testing import CliRunner

    from lotone.cli import app

    out = CliRunner().invoke(
        app, ["schedule", str(instance(FT06)), "--method", "tabu", "--time-limit", "1", "--json"]
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert set(data) == {"status", "objective", "lower_bound", "makespan", "operations"}
    assert data["objective"] == data["makespan"] == 55
