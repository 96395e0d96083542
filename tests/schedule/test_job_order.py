"""The job-order search: its decoding is the rules' generator, its schedules are valid, its
result is never worse than its start, and crowded shops start the hybrid from it."""

from __future__ import annotations

import random
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schedule_instances import JIT10, instance
from shop_strategies import setup_shops

from lotone.schedule import (
    Fixed,
    Job,
    Operation,
    SchedulingProblem,
    SolveParams,
    best_rule,
    dispatch,
)
from lotone.schedule.job_order import JobOrderSearch, first_orders, improve_start
from lotone.schedule.readers import read_problem
from lotone.schedule.sdst_hybrid import solve_sequencing

JIT50 = "jobshop-sdst-jit/I-50x10-equal-tight-0"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(setup_shops(), st.randoms(use_true_random=False))
def test_decoding_a_job_order_is_dispatch_with_the_given_rule(
    p: SchedulingProblem, rnd: random.Random
) -> None:
    """Flexible machines, setups, calendars, releases, instants, DAGs: the compiled decoder
    places every operation where ``dispatch(p, "given", ranks)`` does, with its objective."""
    order = list(range(len(p.jobs)))
    rnd.shuffle(order)
    for objective in ("tardiness", "makespan"):
        search = JobOrderSearch(p, objective)  # type: ignore[arg-type]
        value = search._decode(np.array(order, np.int64))
        rank = {j: i for i, j in enumerate(order)}
        expected = dispatch(p, "given", [rank[op.job] for op in p.operations])
        assert tuple(int(k) for k in search._mach) == expected.machines
        assert tuple(int(s) for s in search._start) == expected.starts
        assert value == expected.objective(p, objective)  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(setup_shops(), st.integers(0, 3))
def test_the_search_is_valid_and_never_worse_than_its_start(
    p: SchedulingProblem, seed: int
) -> None:
    """The best order's schedule passes check, has the value the kernel reports, and is no
    worse than the best of the first orders; improve_start is never worse than its start."""
    rule = best_rule(p, "tardiness")
    search = JobOrderSearch(p, "tardiness", seed, rule.schedule)
    first = search.best
    search.run(300)
    found = search.schedule()
    found.check(p)
    assert found.objective(p, "tardiness") == search.best <= first
    better = improve_start(p, rule.schedule, "tardiness", seed=seed, iterations=300)
    better.check(p)
    assert better.objective(p, "tardiness") <= rule.objective


def test_the_first_orders_are_wspt_edd_and_the_starts_completions() -> None:
    """Weight over work first, then due dates, then the order in which the start's jobs end."""
    ops = (Operation(0, ((0, 4),)), Operation(1, ((0, 1),)), Operation(2, ((0, 2),)))
    jobs = (Job((0,), due=9, weight=1), Job((1,), due=1, weight=1), Job((2,), due=5, weight=4))
    p = SchedulingProblem(1, jobs, ops)
    start = dispatch(p, "fifo")
    assert first_orders(p) == [[2, 1, 0], [1, 2, 0]]
    assert first_orders(p, start)[2] == sorted(range(3), key=lambda j: start.completions(p)[j])


def test_the_same_seed_and_iterations_give_the_same_order() -> None:
    """Deterministic: two searches with one seed end on the same schedule, another seed may
    not (and both are valid)."""
    p = read_problem(instance(JIT10))
    rule = best_rule(p, "tardiness")
    a, b = (JobOrderSearch(p, "tardiness", 3, rule.schedule) for _ in range(2))
    a.run(2000)
    b.run(1000)
    b.run(1000)
    assert a.schedule() == b.schedule()
    assert a.iterations == b.iterations == 2000


def test_on_a_crowded_jit_shop_job_orders_beat_the_best_rule_by_a_fifth() -> None:
    """I-50x10-equal-tight-0 (45 operations per machine): the best rule (ATCS) leaves
    2,364,808; searching job orders alone for 5,000 iterations cuts more than a fifth of it
    (about 0.5 s on one core)."""
    p = read_problem(instance(JIT50))
    rule = best_rule(p, "tardiness")
    found = improve_start(p, rule.schedule, "tardiness", iterations=5000)
    found.check(p)
    assert found.objective(p, "tardiness") < 0.8 * rule.objective


@pytest.mark.parametrize("workers", [1, 2])
def test_the_hybrid_on_a_crowded_shop_is_no_worse_than_the_job_orders(workers: int) -> None:
    """With the job-order search first (the default) the hybrid's schedule is checked and no
    worse than the job orders' alone for fewer iterations than its share of the budget
    (deterministic with one worker; timed beside CP-SAT with two, where a loaded machine
    decodes fewer orders)."""
    p = read_problem(instance(JIT50))
    rule = best_rule(p, "tardiness")
    params = SolveParams(time_limit=3.0, workers=workers, deterministic=workers == 1)
    r = solve_sequencing(p, "tardiness", params, rule.schedule, time.perf_counter())
    assert r.schedule is not None
    assert r.objective is not None
    r.schedule.check(p)
    alone = improve_start(p, rule.schedule, "tardiness", iterations=1000 if workers == 1 else 100)
    assert r.objective <= alone.objective(p, "tardiness") < rule.objective


def test_fixed_operations_are_refused() -> None:
    """The decoder places no pinned operation: the search says so instead of ignoring it."""
    p = SchedulingProblem(1, (Job((0,)),), (Operation(0, ((0, 3),)),), fixed=(Fixed(0, 0, 0),))
    with pytest.raises(ValueError, match="fixed operations"):
        JobOrderSearch(p)
