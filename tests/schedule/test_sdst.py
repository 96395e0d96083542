"""The setup-aware tabu search: valid, exact objective, never worse, same seed same result."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schedule_instances import JIT5, JIT10, instance
from shop_strategies import setup_shops

from lotone.schedule import (
    Fixed,
    Job,
    Operation,
    SchedulingProblem,
    SolveParams,
    Status,
    best_rule,
    solve,
)
from lotone.schedule.readers import read_problem
from lotone.schedule.sdst import SdstSearch, sdst_search, supports


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(setup_shops(), st.sampled_from(["tardiness", "makespan"]), st.integers(0, 3))
def test_the_search_is_valid_exact_and_never_worse_than_its_start(
    p: SchedulingProblem, objective: str, seed: int
) -> None:
    """Every schedule passes check, the kernel's value is Schedule.objective, and the best is
    no worse than the start (the best rule)."""
    assert supports(p)
    rule = best_rule(p, objective)  # type: ignore[arg-type]
    search = SdstSearch(p, rule.schedule, objective, seed)  # type: ignore[arg-type]
    search.run(200)
    found = search.schedule()
    found.check(p)
    assert found.objective(p, objective) == search.best  # type: ignore[arg-type]
    assert search.best <= rule.objective
    again = sdst_search(p, rule.schedule, objective, seed=seed, iterations=200)  # type: ignore[arg-type]
    again.check(p)
    assert again.objective(p, objective) <= rule.objective  # type: ignore[arg-type]


def test_the_same_seed_and_iterations_give_the_same_schedule_in_any_chunks() -> None:
    """A search cut into chunks is the same search; another seed takes another path."""
    p = read_problem(instance(JIT10))
    start = best_rule(p, "tardiness").schedule
    one = SdstSearch(p, start, seed=3)
    one.run(600)
    chunked = SdstSearch(p, start, seed=3)
    for _ in range(6):
        chunked.run(100)
    assert one.schedule() == chunked.schedule()
    assert sdst_search(p, start, seed=3, iterations=600) == one.schedule()
    other = SdstSearch(p, start, seed=4)
    other.run(600)
    assert other.schedule() != one.schedule()


def test_counting_iterations_from_zero_again_changes_nothing() -> None:
    """The int32 tabu stamps are rebased before they overflow; the search is the same."""
    p = read_problem(instance(JIT10))
    start = best_rule(p, "tardiness").schedule
    plain = SdstSearch(p, start, seed=2)
    plain.run(900)
    rebased = SdstSearch(p, start, seed=2)
    rebased.run(300)
    rebased._rebase()
    rebased.run(600)
    assert rebased.iterations == plain.iterations == 900
    assert rebased.schedule() == plain.schedule()


def test_a_jit_instance_loses_a_third_of_the_rules_tardiness_in_3000_iterations() -> None:
    """I-10x10-tard-tight-0: the best rule (ATC/FIFO) leaves 251.28; the search cuts it by more
    than a third in well under a second of search."""
    p = read_problem(instance(JIT10))
    rule = best_rule(p, "tardiness")
    found = sdst_search(p, rule.schedule, iterations=3000)
    found.check(p)
    assert found.objective(p, "tardiness") < 0.66 * rule.objective


@pytest.mark.parametrize("objective", ["tardiness", "makespan"])
def test_solve_runs_the_search_alone_or_with_cpsat_on_setup_problems(objective: str) -> None:
    """The default method and ``method='tabu'`` on a JIT job shop with setups: checked
    schedules no worse than the best rule."""
    p = read_problem(instance(JIT5))
    rule = best_rule(p, objective)  # type: ignore[arg-type]
    for method, workers in (("tabu", 1), ("cpsat", 1), ("cpsat", 2)):
        params = SolveParams(time_limit=1.0, workers=workers, seed=1)
        r = solve(p, objective, params, method)  # type: ignore[arg-type]
        assert r.schedule is not None
        r.schedule.check(p)
        assert r.objective is not None
        assert r.lower_bound <= r.objective <= rule.objective
        assert r.method == method
        assert r.rule == rule.rule


def test_deterministic_mode_on_a_setup_problem_gives_the_same_schedule() -> None:
    """CP-SAT's deterministic time, then an iteration budget for the search."""
    p = read_problem(instance(JIT10))
    params = SolveParams(time_limit=0.5, workers=2, seed=5, deterministic=True)
    a = solve(p, "tardiness", params)
    b = solve(p, "tardiness", params)
    assert a.schedule == b.schedule
    assert a.objective is not None
    assert a.objective < best_rule(p, "tardiness").objective


def test_fixed_operations_are_left_to_cpsat() -> None:
    """The search does not model pinned operations: the default method falls back to CP-SAT,
    ``method='tabu'`` refuses with the reason."""
    ops = (Operation(0, ((0, 3),), 0), Operation(1, ((0, 2),), 1))
    jobs = (Job((0,), due=3), Job((1,), due=6))
    p = SchedulingProblem(
        1, jobs, ops, setup_matrices=(((0, 1), (1, 0)),), machine_setup=(0,),
        fixed=(Fixed(0, 0, 0),),
    )  # fmt: skip
    assert not supports(p)
    with pytest.raises(ValueError, match="fixed"):
        SdstSearch(p, best_rule(p, "tardiness").schedule)
    r = solve(p, "tardiness", SolveParams(time_limit=1, workers=1))
    assert (r.status, r.objective, r.method) == (Status.OPTIMAL, 0, "cpsat")
    with pytest.raises(ValueError, match="method='cpsat'"):
        solve(p, "tardiness", SolveParams(time_limit=1, workers=1), "tabu")
