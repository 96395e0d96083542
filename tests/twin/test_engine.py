"""The simulation core: dispatching, changeovers, calendars, precedence, breakdowns, plans."""

from __future__ import annotations

import math

import pytest

from lotone.errors import LotoneError
from lotone.schedule import Job, Operation, SchedulingProblem, dispatch
from lotone.twin import MachineSpec, TwinError, TwinModel, simulate


def one_machine(
    durations: list[int],
    *,
    dues: list[int | None] | None = None,
    families: list[int] | None = None,
    setup_matrices: tuple[tuple[tuple[int, ...], ...], ...] = (),
    machine_setup: tuple[int, ...] = (),
    unavailable: tuple[tuple[tuple[int, int], ...], ...] = (),
) -> SchedulingProblem:
    """One machine, one single-operation job per duration."""
    n = len(durations)
    due = dues or [None] * n
    fam = families or [-1] * n
    return SchedulingProblem(
        1,
        tuple(Job((j,), name=f"j{j}", due=due[j]) for j in range(n)),
        tuple(Operation(j, ((0, d),), fam[j]) for j, d in enumerate(durations)),
        setup_matrices=setup_matrices,
        machine_setup=machine_setup,
        unavailable=unavailable,
    )


def test_deterministic_fifo_runs_jobs_back_to_back() -> None:
    """Three jobs at time 0, cv 0: they run in index order without gaps."""
    trace = simulate(TwinModel(one_machine([3, 1, 2])))
    assert trace.op_start == (0.0, 3.0, 4.0)
    assert trace.op_end == (3.0, 4.0, 6.0)
    assert trace.job_complete == (3.0, 4.0, 6.0)
    assert trace.end == 6.0


@pytest.mark.parametrize(
    ("policy", "order"), [("spt", (1, 2, 0)), ("edd", (2, 0, 1)), ("fifo", (0, 1, 2))]
)
def test_rules_pick_the_order(policy: str, order: tuple[int, ...]) -> None:
    """SPT takes the shortest first, EDD the earliest due date."""
    model = TwinModel(one_machine([3, 1, 2], dues=[20, 30, 10]))
    trace = simulate(model, policy)  # type: ignore[arg-type]
    assert tuple(sorted(range(3), key=lambda o: trace.op_start[o])) == order


def test_sequence_dependent_changeover_between_families() -> None:
    """Family 0 then 1 costs the matrix's 5; the same family again costs nothing."""
    p = one_machine(
        [2, 2, 2],
        families=[0, 1, 1],
        setup_matrices=(((0, 5), (7, 0)),),
        machine_setup=(0,),
    )
    trace = simulate(TwinModel(p))
    assert trace.op_setup_start == (0.0, 2.0, 9.0)
    assert trace.op_start == (0.0, 7.0, 9.0)


def test_calendar_moves_an_operation_that_does_not_fit() -> None:
    """Closed 4..10: a 3-long operation ready at 3 waits for 10 (no preemption by shifts)."""
    p = one_machine([3, 3], unavailable=(((4, 10),),))
    trace = simulate(TwinModel(p))
    assert trace.op_start == (0.0, 10.0)


def test_precedence_across_machines() -> None:
    """B on machine 1 starts when A on machine 0 ends; the job completes with B."""
    p = SchedulingProblem(
        2, (Job((0, 1)),), (Operation(0, ((0, 4),)), Operation(0, ((1, 2),))), ((0, 1),)
    )
    trace = simulate(TwinModel(p))
    assert trace.op_ready[1] == 4.0
    assert trace.op_start[1] == 4.0
    assert trace.job_complete == (6.0,)


def test_parallel_machines_share_one_queue() -> None:
    """Two eligible machines take two jobs at once."""
    p = SchedulingProblem(
        2,
        tuple(Job((j,)) for j in range(2)),
        tuple(Operation(j, ((0, 5), (1, 5))) for j in range(2)),
    )
    trace = simulate(TwinModel(p))
    assert sorted(trace.op_machine) == [0, 1]
    assert trace.op_start == (0.0, 0.0)


def test_releases_delay_jobs() -> None:
    """A job released at 10 is ready at 10."""
    trace = simulate(TwinModel(one_machine([1, 1]), releases=(0.0, 10.0)))
    assert trace.op_ready == (0.0, 10.0)
    assert trace.op_start[1] == 10.0


def test_breakdowns_suspend_processing_and_are_traced() -> None:
    """With failures, processing stretches by the repairs recorded in the trace."""
    spec = MachineSpec("m", 0.0, mtbf=50.0, mttr=10.0)
    model = TwinModel(one_machine([100] * 20), (spec,))
    trace = simulate(model, seed=3)
    assert trace.downtime
    repair = sum(b - a for _, a, b in trace.downtime if a < trace.end)
    assert trace.end == pytest.approx(2000.0 + repair)


def test_stochastic_times_have_the_routing_mean_and_are_reproducible() -> None:
    """cv 0.5: the mean stays the routing time; the same seed gives the same trace."""
    model = TwinModel(one_machine([10] * 4000), (MachineSpec("m", 0.5),))
    a, b, c = simulate(model, seed=1), simulate(model, seed=1), simulate(model, seed=2)
    durations = [e - s for s, e in zip(a.op_start, a.op_end, strict=True)]
    assert sum(durations) / len(durations) == pytest.approx(10.0, rel=0.03)
    assert a.op_end == b.op_end
    assert a.op_end != c.op_end


def test_horizon_stops_the_run() -> None:
    """Jobs not done at the horizon stay incomplete (nan)."""
    trace = simulate(TwinModel(one_machine([5, 5, 5])), horizon=7)
    assert trace.end == 7
    assert trace.job_complete[0] == 5.0
    assert math.isnan(trace.job_complete[2])
    assert trace.op_machine[2] == -1  # not begun by the horizon


def test_executing_a_plan_without_disturbance_reproduces_it() -> None:
    """Policy 'schedule' with cv 0 and no failures starts every operation as planned."""
    p = SchedulingProblem(
        2,
        (Job((0, 1)), Job((2, 3)), Job((4,))),
        (
            Operation(0, ((0, 3), (1, 4)), 0),
            Operation(0, ((1, 2),), 1),
            Operation(1, ((0, 2),), 1),
            Operation(1, ((1, 5), (0, 6)), 0),
            Operation(2, ((0, 1), (1, 1)), 1),
        ),
        ((0, 1), (2, 3)),
        setup_matrices=(((0, 2), (3, 0)),),
        machine_setup=(0, 0),
    )
    plan = dispatch(p, "atcs")
    trace = simulate(TwinModel(p), "schedule", schedule=plan)
    assert trace.op_start == tuple(float(s) for s in plan.starts)
    assert trace.op_machine == plan.machines


def test_refusals_name_the_fix() -> None:
    """Unknown policies and a plan-less 'schedule' policy are refused with a reason."""
    model = TwinModel(one_machine([1]))
    with pytest.raises(TwinError, match="unknown policy"):
        simulate(model, "lifo")  # type: ignore[arg-type]
    with pytest.raises(TwinError, match="needs a schedule"):
        simulate(model, "schedule")
    with pytest.raises(TwinError, match="cv must not be negative"):
        MachineSpec("x", -1.0)
    with pytest.raises(TwinError, match="release times for"):
        TwinModel(one_machine([1]), releases=(0.0, 1.0))


def test_public_surface_is_pinned() -> None:
    """`lotone.twin` re-exports its entry points and nothing else."""
    import lotone.twin

    assert sorted(lotone.twin.__all__) == sorted(
        ["POLICIES", "Bottleneck", "Buffer", "Carrier", "Crew", "Executor", "Kpis",
         "MachineSpec", "Policy", "Pool", "ProcessExecutor", "Promise", "Rolling", "Scenario",
         "SerialExecutor", "Trace", "TwinError", "TwinModel", "build", "load_scenario",
         "promise", "queue_model", "replicate", "simulate", "site_model", "summarize"]
    )  # fmt: skip
    assert issubclass(lotone.twin.TwinError, LotoneError)
