"""Operators as shared resources: machines wait for their crew, pools are never overdrawn."""

from __future__ import annotations

import statistics

import pytest

from lotone.schedule import Job, Operation, SchedulingProblem
from lotone.twin import Crew, MachineSpec, Pool, Trace, TwinError, TwinModel, simulate, summarize
from lotone.twin.floor_kpis import crew_levels, operator_utilization
from lotone.twin.kpis import lead_times


def two_machines(jobs: int = 20, duration: int = 5, setup: int = 0) -> SchedulingProblem:
    """Two machines, each job on one of them (alternating), with an optional changeover."""
    families = (((0, setup), (setup, 0)),) if setup else ()
    return SchedulingProblem(
        2,
        tuple(Job((j,), name=f"j{j}") for j in range(jobs)),
        tuple(
            Operation(j, ((j % 2, duration),), (j // 2) % 2 if setup else -1) for j in range(jobs)
        ),
        setup_matrices=families,
        machine_setup=(0, 0) if setup else (),
    )


def crewed(problem: SchedulingProblem, size: int, during: str = "all") -> TwinModel:
    """Both machines need one operator of a pool of ``size``."""
    crew = Crew(0, 1, during)  # type: ignore[arg-type]
    specs = (MachineSpec("a", crew=crew), MachineSpec("b", crew=crew))
    return TwinModel(problem, specs, pools=(Pool("operators", size),))


def overlap(trace: Trace, a: int, b: int) -> float:
    """Total time machines ``a`` and ``b`` process at the same time."""
    spans = {
        m: [
            (s, e)
            for mm, s, e in zip(trace.op_machine, trace.op_start, trace.op_end, strict=True)
            if mm == m
        ]
        for m in (a, b)
    }
    return sum(max(0.0, min(e1, e2) - max(s1, s2)) for s1, e1 in spans[a] for s2, e2 in spans[b])


def test_one_operator_shared_by_two_machines_never_runs_both() -> None:
    """With one operator for two machines, their processing never overlaps on the trace,
    the pool is busy all the time, and the mean lead time rises against unlimited operators."""
    p = two_machines()
    free, shared = simulate(TwinModel(p)), simulate(crewed(p, 1))
    assert overlap(free, 0, 1) > 0
    assert overlap(shared, 0, 1) == 0
    assert crew_levels(shared) == {"operators": 1}
    assert operator_utilization(shared) == pytest.approx({"operators": 1.0})
    assert shared.end == 2 * free.end
    assert statistics.fmean(lead_times(shared)) > statistics.fmean(lead_times(free))


def test_two_operators_let_both_machines_run() -> None:
    """A pool as large as the need changes nothing."""
    p = two_machines()
    assert simulate(crewed(p, 2)).op_start == simulate(TwinModel(p)).op_start


def test_setup_only_crew_is_free_while_machines_run() -> None:
    """A setter needed for changeovers only: processing overlaps, changeovers never do."""
    p = two_machines(jobs=12, duration=10, setup=3)
    trace = simulate(crewed(p, 1, "setup"), seed=1)
    assert overlap(trace, 0, 1) > 0
    setups = [(a, s) for a, s in zip(trace.op_setup_start, trace.op_start, strict=True) if s > a]
    assert setups
    for i, (a1, s1) in enumerate(setups):
        for a2, s2 in setups[i + 1 :]:
            assert min(s1, s2) <= max(a1, a2)  # no two changeovers at once
    assert all(b - a == pytest.approx(3.0) for _, _, a, b in trace.crew)


def test_crew_spans_cover_the_attended_phase_and_feed_the_kpis() -> None:
    """'all': held from changeover start to processing end; the JSON lists pool utilization."""
    p = two_machines(jobs=6, duration=4, setup=2)
    trace = simulate(crewed(p, 1), seed=0)
    spans = sorted((a, b) for _, _, a, b in trace.crew)
    ops = sorted((a, e) for a, e in zip(trace.op_setup_start, trace.op_end, strict=True))
    assert spans == ops
    data = summarize([trace]).to_json()
    assert data["operators"] == {"operators": 1.0}


def test_stochastic_runs_with_breakdowns_never_overdraw_a_pool() -> None:
    """Random times and failures: at no time do more operators work than the pool has."""
    p = two_machines(jobs=200, duration=10, setup=2)
    crew = Crew(0, 1, "all")
    specs = tuple(MachineSpec("c", 0.8, mtbf=200.0, mttr=20.0, crew=crew) for _ in range(2))
    model = TwinModel(p, specs, pools=(Pool("operators", 1),))
    for seed in range(3):
        trace = simulate(model, seed=seed)
        assert crew_levels(trace)["operators"] <= 1
        assert overlap(trace, 0, 1) == 0
        assert all(c == c for c in trace.job_complete)  # every job completes (no nan)


def test_refusals_name_the_pool() -> None:
    """A crew larger than its pool, or a missing pool, is refused with the fix."""
    p = two_machines(jobs=2)
    with pytest.raises(TwinError, match="needs 3 operators of pool operators, which has 2"):
        TwinModel(
            p, (MachineSpec("a", crew=Crew(0, 3)), MachineSpec("b")), pools=(Pool("operators", 2),)
        )
    with pytest.raises(TwinError, match="crew pool 1 does not exist"):
        TwinModel(p, (MachineSpec("a", crew=Crew(1)), MachineSpec("b")), pools=(Pool("x", 1),))
    with pytest.raises(TwinError, match="during"):
        Crew(0, 1, "lunch")  # type: ignore[arg-type]
