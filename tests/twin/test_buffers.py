"""Limited buffers with blocking after service: a known result, invariants, deadlocks."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lotone.schedule import Job, Operation, SchedulingProblem
from lotone.twin import (
    Buffer,
    Crew,
    MachineSpec,
    Pool,
    Trace,
    TwinError,
    TwinModel,
    simulate,
    summarize,
)
from lotone.twin.floor_kpis import blocking_share, buffer_levels, crew_levels

MEAN = 100


def saturated_tandem(jobs: int, capacity: int | None) -> TwinModel:
    """Two exponential machines in series, every job waiting at time 0 (a saturated line);
    ``capacity`` places between them (``None``: unlimited)."""
    problem = SchedulingProblem(
        2,
        tuple(Job((2 * j, 2 * j + 1)) for j in range(jobs)),
        tuple(Operation(j, ((k, MEAN),)) for j in range(jobs) for k in (0, 1)),
        tuple((2 * j, 2 * j + 1) for j in range(jobs)),
    )
    if capacity is None:
        return TwinModel(problem, (MachineSpec("a", 1.0), MachineSpec("b", 1.0)))
    specs = (MachineSpec("a", 1.0), MachineSpec("b", 1.0, buffer=0))
    return TwinModel(problem, specs, buffers=(Buffer("b", capacity),))


@pytest.mark.parametrize("capacity", [0, 1, 2])
def test_saturated_tandem_line_matches_the_markov_chain(capacity: int) -> None:
    """Equal exponential stations, B places between: the jobs at station 2 (with its buffer,
    and the blocked one) form a birth-death chain uniform on B + 3 states, so throughput is
    mu (B + 2)/(B + 3), station 1 is blocked 1/(B + 3) of the time and the buffer holds on
    average (sum of min(max(n - 1, 0), B)) / (B + 3). 20k jobs, within 3 %."""
    states = capacity + 3
    trace = simulate(saturated_tandem(20_000, capacity), seed=1)
    throughput = len(trace.job_release) / trace.end * MEAN
    assert throughput == pytest.approx((capacity + 2) / states, rel=0.03)
    assert blocking_share(trace)["m0"] == pytest.approx(1 / states, rel=0.03)
    assert blocking_share(trace)["m1"] == 0.0
    mean_level = sum(min(max(n - 1, 0), capacity) for n in range(states)) / states
    peak, mean = buffer_levels(trace)["b"]
    assert peak == capacity
    assert mean == pytest.approx(mean_level, abs=0.03)


def test_no_buffer_is_slower_than_an_unlimited_one() -> None:
    """Same seed and jobs: a zero buffer loses throughput against an unlimited one."""
    zero = simulate(saturated_tandem(5_000, 0), seed=2)
    unlimited = simulate(saturated_tandem(5_000, None), seed=2)
    assert zero.end > 1.3 * unlimited.end


def test_blocking_is_on_the_trace() -> None:
    """A blocked machine leaves its operation after processing ends; blocked time is
    exactly leave - end, and the KPIs JSON lists blocking and buffer levels."""
    trace = simulate(saturated_tandem(200, 0), seed=3)
    blocked = [
        (e, lv)
        for m, e, lv in zip(trace.op_machine, trace.op_end, trace.op_leave, strict=True)
        if m == 0
    ]
    assert all(lv >= e for e, lv in blocked)
    assert any(lv > e for e, lv in blocked)
    assert blocking_share(trace)["m0"] == pytest.approx(
        sum(lv - e for e, lv in blocked) / trace.end
    )
    data = summarize([trace]).to_json()
    assert data["buffers"] == {"b": {"peak": 0, "mean": 0.0}}
    assert data["blocking"]["m0"] > 0  # type: ignore[index]


def test_a_job_moving_on_within_its_work_center_takes_no_place() -> None:
    """Two operations of one job on the same buffered work center: the second never waits
    for a place (the job did not leave), so a zero buffer cannot deadlock it."""
    problem = SchedulingProblem(
        1, (Job((0, 1)), Job((2, 3))), tuple(Operation(j, ((0, 5),)) for j in (0, 0, 1, 1)),
        ((0, 1), (2, 3)),
    )  # fmt: skip
    model = TwinModel(problem, (MachineSpec("w", buffer=0),), buffers=(Buffer("w", 0),))
    trace = simulate(model)
    assert trace.end == 20.0
    assert trace.op_buffer == (0, -1, 0, -1)


def test_routes_back_and_forth_between_full_buffers_deadlock_loudly() -> None:
    """Jobs going a -> b -> a with no places: both machines end up blocked; the run says so."""
    jobs = 6
    problem = SchedulingProblem(
        2,
        tuple(Job((3 * j, 3 * j + 1, 3 * j + 2)) for j in range(jobs)),
        tuple(Operation(j, ((k, 10),)) for j in range(jobs) for k in (0, 1, 0)),
        tuple(p for j in range(jobs) for p in ((3 * j, 3 * j + 1), (3 * j + 1, 3 * j + 2))),
    )
    specs = (MachineSpec("a", buffer=0), MachineSpec("b", buffer=1))
    model = TwinModel(problem, specs, buffers=(Buffer("a", 0), Buffer("b", 0)))
    with pytest.raises(TwinError, match=r"deadlock at .*machines m0, m1 are blocked"):
        simulate(model)


def test_buffers_are_refused_under_a_plan() -> None:
    """A fixed plan's order could wait for a job stuck behind a full buffer: refused."""
    model = saturated_tandem(2, 0)
    with pytest.raises(TwinError, match="limited buffers can deadlock"):
        simulate(model, "schedule", schedule=None)


def test_an_operation_between_buffered_and_unbuffered_machines_is_refused() -> None:
    """Every eligible machine of an operation must sit behind the same buffer."""
    problem = SchedulingProblem(2, (Job((0,)),), (Operation(0, ((0, 1), (1, 1))),))
    specs = (MachineSpec("a", buffer=0), MachineSpec("b"))
    with pytest.raises(TwinError, match="machines behind different buffers"):
        TwinModel(problem, specs, buffers=(Buffer("a", 1),))


# -- invariants over random small flow shops --------------------------------------------------


@st.composite
def flow_shops(draw: st.DrawFn) -> tuple[TwinModel, int]:
    """1-3 work centers of 1-2 machines, some behind buffers of 0-2 places, some needing one
    operator of a pool of 1-2; 1-8 jobs whose routes visit centers in non-decreasing order
    (so blocking cannot deadlock); random durations, releases, CV and breakdowns; a seed."""
    sizes = draw(st.lists(st.integers(1, 2), min_size=1, max_size=3))
    caps = [draw(st.one_of(st.none(), st.integers(0, 2))) for _ in sizes]
    buffers = [Buffer(f"c{c}", cap) for c, cap in enumerate(caps) if cap is not None]
    index = {b.name: i for i, b in enumerate(buffers)}
    machines: list[list[int]] = []
    specs = []
    cv = draw(st.sampled_from([0.0, 0.5, 1.0]))
    mtbf = draw(st.sampled_from([None, 50.0]))
    pool = Pool("crew", draw(st.integers(1, 2)))
    for c, n in enumerate(sizes):
        machines.append([])
        for _ in range(n):
            machines[c].append(len(specs))
            during = draw(st.sampled_from([None, "setup", "run", "all"]))
            crew = None if during is None else Crew(0, 1, during)
            specs.append(MachineSpec(f"c{c}", cv, mtbf, 5.0, crew, index.get(f"c{c}", -1)))
    jobs, ops, precedences, releases = [], [], [], []
    for j in range(draw(st.integers(1, 8))):
        route = sorted(draw(st.lists(st.integers(0, len(sizes) - 1), min_size=1, max_size=4)))
        ids = []
        for c in route:
            ids.append(len(ops))
            dur = draw(st.integers(0, 9))
            ops.append(Operation(j, tuple((m, dur) for m in machines[c])))
        precedences += list(itertools.pairwise(ids))
        jobs.append(Job(tuple(ids)))
        releases.append(float(draw(st.integers(0, 20))))
    problem = SchedulingProblem(len(specs), tuple(jobs), tuple(ops), tuple(precedences))
    model = TwinModel(problem, tuple(specs), tuple(releases), pools=(pool,), buffers=tuple(buffers))
    return model, draw(st.integers(0, 1000))


def assert_machines_hold_one_job_at_a_time(trace: Trace) -> None:
    """On every machine, [changeover start, leave) spans never overlap (to rounding)."""
    for m in range(trace.num_machines):
        spans = sorted(
            (a, lv)
            for mm, a, lv in zip(trace.op_machine, trace.op_setup_start, trace.leave, strict=True)
            if mm == m
        )
        for (_, left), (nxt, _) in itertools.pairwise(spans):
            assert nxt >= left - 1e-9


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flow_shops())
def test_no_buffer_ever_exceeds_its_capacity(shop: tuple[TwinModel, int]) -> None:
    """Random small flow shops: every job completes, no buffer ever holds more waiting
    operations than its places, no more operators work than the pool has, a blocked machine
    takes nothing new, precedences hold."""
    model, seed = shop
    trace = simulate(model, seed=seed)
    assert not any(math.isnan(c) for c in trace.job_complete)
    for buf, (peak, _) in buffer_levels(trace).items():
        assert peak <= trace.buffer_capacity[trace.buffer_names.index(buf)]
    assert crew_levels(trace)["crew"] <= model.pools[0].size
    assert all(lv >= e for e, lv in zip(trace.op_end, trace.leave, strict=True))
    assert_machines_hold_one_job_at_a_time(trace)
    for a, b in model.problem.precedences:
        assert trace.op_start[b] >= trace.op_end[a] - 1e-9
