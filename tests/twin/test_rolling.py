"""The rolling-horizon policy: replan with the CP-SAT scheduler every period, execute between."""

from __future__ import annotations

import itertools
import json
import math
import statistics
from pathlib import Path

import pytest
from typer.testing import CliRunner

import lotone.twin.rolling as rolling_module
from lotone.cli import app
from lotone.schedule import Job, Operation, SchedulingProblem, dispatch
from lotone.schedule.problem import SchedulingProblem as Problem
from lotone.schedule.result import Result
from lotone.twin import MachineSpec, Rolling, Trace, TwinError, TwinModel, load_scenario, simulate
from lotone.twin.kpis import lead_times

H = 3600
ROOT = Path(__file__).resolve().parents[2]


def two_stage_shop(jobs: int = 12) -> SchedulingProblem:
    """Stage A on m0 or m1 (1 h), then stage B on m2 or m3 (30 min); all jobs due in 6 h."""
    ops, js, precedences = [], [], []
    for j in range(jobs):
        a, b = len(ops), len(ops) + 1
        ops += [Operation(j, ((0, H), (1, H))), Operation(j, ((2, H // 2), (3, H // 2)))]
        js.append(Job((a, b), due=6 * H, name=f"j{j}"))
        precedences.append((a, b))
    return SchedulingProblem(4, tuple(js), tuple(ops), tuple(precedences))


def broken_shop() -> TwinModel:
    """The two-stage shop with cv 0.2 and m0 down, unannounced, from 30 min to 20 h."""
    specs = tuple(MachineSpec("s", 0.2) for _ in range(4))
    return TwinModel(two_stage_shop(), specs, failures=((0, 0.5 * H, 20.0 * H),))


def assert_executed_feasibly(model: TwinModel, trace: Trace) -> None:
    """Every operation ran once on an eligible machine, after its predecessors, one at a time."""
    p = model.problem
    assert not any(math.isnan(e) for e in trace.op_end)
    for o, op in enumerate(p.operations):
        assert trace.op_machine[o] in {m for m, _ in op.modes}
    for a, b in p.precedences:
        assert trace.op_start[b] >= trace.op_end[a] - 1e-6
    for m in range(p.num_machines):
        spans = sorted(
            (s, e)
            for mm, s, e in zip(trace.op_machine, trace.op_setup_start, trace.op_end, strict=True)
            if mm == m
        )
        assert all(nxt >= end - 1e-6 for (_, end), (nxt, _) in itertools.pairwise(spans))


@pytest.fixture
def checked_plans(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Problem, Result]]:
    """Every plan the scheduler hands to the twin, checked against its problem."""
    seen: list[tuple[Problem, Result]] = []
    real = rolling_module.reschedule

    def spy(*args: object, **kwargs: object) -> tuple[Problem, Result]:
        new, result = real(*args, **kwargs)  # type: ignore[arg-type]
        assert result.schedule is not None
        assert result.schedule.violations(new) == []
        seen.append((new, result))
        return new, result

    monkeypatch.setattr(rolling_module, "reschedule", spy)
    return seen


def test_rescheduling_beats_a_static_plan_when_a_machine_breaks(
    checked_plans: list[tuple[Problem, Result]],
) -> None:
    """m0 breaks for 19.5 h: the static plan keeps half the jobs waiting for it; replanning
    every 3 h moves them to m1. Every plan is valid, every execution feasible, and the mean
    lead time is lower (seed 3; the gap is hours, far beyond solver noise)."""
    model = broken_shop()
    static = simulate(model, "schedule", schedule=dispatch(model.problem, "atcs"), seed=3)
    rolled = simulate(model, "reschedule", rolling=Rolling(3 * H, time_limit=0.3), seed=3)
    assert_executed_feasibly(model, static)
    assert_executed_feasibly(model, rolled)
    assert statistics.fmean(lead_times(rolled)) < statistics.fmean(lead_times(static)) - 2 * H
    assert len(checked_plans) == len(rolled.replans) >= 2
    assert [t for t, _ in rolled.replans] == [3 * H * i for i in range(len(rolled.replans))]
    # the operation caught on m0 by the breakdown is pinned there: later plans keep it
    first_after = checked_plans[1][0]
    assert any(f.machine == 0 for f in first_after.fixed)


def test_the_planner_sees_a_broken_idle_machine_as_unavailable(
    checked_plans: list[tuple[Problem, Result]],
) -> None:
    """m0 fails while idle (before any work for it): the next plan puts nothing on it
    before the announced repair end."""
    specs = tuple(MachineSpec("s") for _ in range(4))
    model = TwinModel(
        two_stage_shop(4), specs, releases=(2.0 * H,) * 4, failures=((0, H, 10.0 * H),)
    )
    trace = simulate(model, "reschedule", rolling=Rolling(2 * H, time_limit=0.2))
    assert_executed_feasibly(model, trace)
    _plan_problem, result = checked_plans[0]  # at 2 h: the first plan with released jobs
    assert result.schedule is not None
    on_m0 = [
        s for m, s in zip(result.schedule.machines, result.schedule.starts, strict=True) if m == 0
    ]
    assert all(s >= 10 * H for s in on_m0)
    assert all(m != 0 or s >= 10 * H for m, s in zip(trace.op_machine, trace.op_start, strict=True))


def test_rolling_scenario_runs_from_yaml(tmp_path: Path) -> None:
    """policy: {kind: reschedule, every: 12h, time_limit: 0.2} on the Berlin site runs end to
    end through the CLI with the JSON contract's keys."""
    path = tmp_path / "rolling.yaml"
    path.write_text(
        f"""
name: rolling-berlin
factory: {ROOT / "catalog" / "factories"}
site: berlin
catalog: {ROOT / "catalog"}
orders:
  - {{family: wardrobe, count: 8, rate_per_hour: 0.5, due_hours: 48}}
horizon_hours: 72
policy: {{kind: reschedule, every: 12h, time_limit: 0.2}}
variability: {{default_cv: 0.3}}
breakdowns: {{cnc: {{mtbf_hours: 10, mttr_hours: 3}}}}
seed: 2
""",
        encoding="utf-8",
    )
    sc = load_scenario(path)
    assert sc.rolling == Rolling(12 * H, 0.2)
    res = CliRunner().invoke(app, ["twin", "run", str(path), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["lead_time"]["mean"] > 0
    assert list(data)[:7] == [
        "lead_time", "throughput", "utilization", "bottleneck", "on_time_rate", "events",
        "events_per_second",
    ]  # fmt: skip


def test_refusals_name_the_fix(tmp_path: Path) -> None:
    """Reschedule without a period, or a period that is no duration, is refused."""
    model = TwinModel(two_stage_shop(1))
    with pytest.raises(TwinError, match="needs a Rolling"):
        simulate(model, "reschedule")
    with pytest.raises(TwinError, match="positive period"):
        Rolling(0)
    bad = tmp_path / "bad.yaml"
    for policy, message in (
        ("{kind: reschedule}", "needs 'every'"),
        ("{kind: reschedule, every: soon}", "not a duration"),
        ("{kind: fifo, every: 8h}", "only policy 'reschedule' takes settings"),
    ):
        bad.write_text(f"name: x\nqueue: {{arrival_rate: 1, service_mean: 2}}\npolicy: {policy}\n")
        with pytest.raises(TwinError, match=message):
            load_scenario(bad)
