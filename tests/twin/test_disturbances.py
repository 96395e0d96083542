"""Scenario disturbances: demand surges, planned outages, unplanned breakdowns, rush orders."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from lotone.twin import TwinError, build, load_scenario, simulate
from lotone.twin.assemble import arrivals

H = 3600.0
ROOT = Path(__file__).resolve().parents[2]


def scenario(tmp_path: Path, extra: str, orders: str = "count: 16, rate_per_hour: 1.0") -> Path:
    """A Berlin scenario of wardrobes (due in 48 h) with ``extra`` YAML lines."""
    path = tmp_path / "disturbed.yaml"
    path.write_text(
        f"""
name: disturbed
factory: {ROOT / "catalog" / "factories"}
site: berlin
catalog: {ROOT / "catalog"}
orders:
  - {{family: wardrobe, {orders}, due_hours: 48}}
horizon_hours: 96
seed: 5
{extra}
""",
        encoding="utf-8",
    )
    return path


def test_arrivals_without_surge_are_the_plain_poisson_stream() -> None:
    """The inversion gives exactly the sums of ``expovariate(rate)`` without surges."""
    a = arrivals(random.Random(1), 0.5, 50, None)
    rng, t, plain = random.Random(1), 0.0, []
    for _ in range(50):
        t += rng.expovariate(0.5)
        plain.append(t)
    assert a == pytest.approx(plain, rel=1e-12)


def test_a_surge_multiplies_the_arrival_rate_inside_its_window() -> None:
    """Rate 1, times 3 on [1000, 2000): about three times the arrivals there (within 10 %)."""
    times = arrivals(random.Random(2), 1.0, None, 3000.0, [(3.0, 1000.0, 2000.0)])
    before = sum(1 for t in times if t < 1000)
    inside = sum(1 for t in times if 1000 <= t < 2000)
    after = sum(1 for t in times if t >= 2000)
    assert inside / before == pytest.approx(3.0, rel=0.1)
    assert after / before == pytest.approx(1.0, rel=0.1)


def test_a_surge_in_a_scenario_brings_more_orders(tmp_path: Path) -> None:
    """A stream without a count runs to the horizon; a 4x surge on [12 h, 24 h) adds orders
    in that window only (the same draws, a compressed clock)."""
    stream = "rate_per_hour: 0.5"
    calm, _ = build(load_scenario(scenario(tmp_path, "", stream)))
    surge = "disturbances: [{kind: surge, factor: 4, from_hours: 12, to_hours: 24}]"
    busy, _ = build(load_scenario(scenario(tmp_path, surge, stream)))

    def window(rel: tuple[float, ...], a: float, b: float) -> int:
        return sum(1 for r in rel if a * H <= r < b * H)

    assert window(busy.releases, 0, 12) == window(calm.releases, 0, 12)
    assert window(busy.releases, 12, 24) >= 2 * window(calm.releases, 12, 24) > 0
    assert len(busy.releases) > len(calm.releases)
    assert max(busy.releases) < 96 * H


def test_a_planned_outage_is_in_the_calendar(tmp_path: Path) -> None:
    """The edge bander is out 20-30 h (a workday): no edge banding overlaps it, the plan
    knows it, and nothing else changes in the calendar."""
    outage = "disturbances: [{kind: outage, machine: edge, from_hours: 20, to_hours: 30}]"
    sc = load_scenario(scenario(tmp_path, outage + "\npolicy: schedule"))
    model, plan = build(sc)
    k = model.problem.machine_names.index("edgebander-1")
    assert any(a <= 20 * H and b >= 30 * H for a, b in model.problem.unavailable[k])
    assert plan is not None
    for trace in (simulate(model, seed=1), simulate(model, "schedule", schedule=plan, seed=1)):
        for m, s, e in zip(trace.op_machine, trace.op_start, trace.op_end, strict=True):
            if m == k:
                assert e <= 20 * H or s >= 30 * H


def test_an_unplanned_breakdown_is_a_failure_on_the_trace(tmp_path: Path) -> None:
    """cnc-nesting breaks at 8 h until 14 h (Monday, on shift): the trace records that
    downtime, nothing starts on it meanwhile, and the operation it was processing is
    suspended for the repair."""
    bd = "disturbances: [{kind: breakdown, machine: cnc-nesting, from_hours: 8, to_hours: 14}]"
    model, _ = build(load_scenario(scenario(tmp_path, bd, "count: 16, rate_per_hour: 4")))
    k = model.problem.machine_names.index("cnc-nesting")
    assert model.failures == ((k, 8 * H, 14 * H),)
    trace = simulate(model, seed=2)
    assert (k, 8 * H, 14 * H) in trace.downtime
    for m, s, e in zip(trace.op_machine, trace.op_start, trace.op_end, strict=True):
        if m == k:
            assert not 8 * H <= s < 14 * H
            if s < 8 * H < e:
                assert e >= 14 * H  # preempt-resume: the repair is inside the operation
    assert any(
        m == k and s < 8 * H < e
        for m, s, e in zip(trace.op_machine, trace.op_start, trace.op_end, strict=True)
    )


def test_rush_orders_are_released_due_and_expedited(tmp_path: Path) -> None:
    """Three rush wardrobes at 10 h, due 12 h later, weight 10: released then, due then, and
    no machine ever takes a normal operation while a rush one it could run is ready."""
    rush = "disturbances: [{kind: rush, family: wardrobe, count: 3, at_hours: 10, due_hours: 12}]"
    model, _ = build(load_scenario(scenario(tmp_path, rush, "count: 30, rate_per_hour: 3")))
    names = [j.name for j in model.problem.jobs]
    rushed = sorted(j for j, n in enumerate(names) if n.startswith("rush"))
    assert [names[j] for j in rushed] == ["rush1-1", "rush1-2", "rush1-3"]
    assert set(model.rush) == set(rushed)
    assert all(model.releases[j] == 10 * H and model.problem.jobs[j].due == 22 * H for j in rushed)
    assert all(model.problem.jobs[j].weight == 10 for j in rushed)
    trace = simulate(model, seed=3)
    ops = model.problem.operations
    overtaken = 0
    for r, op in enumerate(ops):
        if op.job not in model.rush:
            continue
        for o, other in enumerate(ops):
            if other.job in model.rush or trace.op_machine[o] not in {m for m, _ in op.modes}:
                continue
            assert not trace.op_ready[r] <= trace.op_taken[o] < trace.op_taken[r]
            overtaken += (
                trace.op_ready[o] < trace.op_ready[r] and trace.op_taken[o] > trace.op_taken[r]
            )
    assert overtaken > 0  # the rush orders did jump a queue


def test_disturbance_refusals(tmp_path: Path) -> None:
    """Unknown kinds, windows backwards and unknown machines are refused with the fix."""
    for extra, message in (
        ("disturbances: [{kind: flood}]", "kind is one of surge, outage, breakdown, rush"),
        (
            "disturbances: [{kind: outage, machine: edge, from_hours: 5, to_hours: 1}]",
            "from_hours < to_hours",
        ),
        ("disturbances: [{kind: surge, factor: 0, from_hours: 1, to_hours: 2}]", "positive factor"),
    ):
        with pytest.raises(TwinError, match=message):
            load_scenario(scenario(tmp_path, extra))
    bad = "disturbances: [{kind: outage, machine: laser, from_hours: 1, to_hours: 2}]"
    with pytest.raises(TwinError, match="no machine or work center 'laser'"):
        build(load_scenario(scenario(tmp_path, bad)))
