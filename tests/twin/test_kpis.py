"""KPIs are pure functions of a trace: checked on a hand-written one."""

from __future__ import annotations

import math

import pytest

from lotone.twin import Trace, summarize
from lotone.twin.kpis import (
    active_share,
    bottleneck,
    lead_times,
    on_time_rate,
    quantile,
    queue_waiting,
    setup_share,
    throughput,
    utilization,
    wip,
)

NAN = math.nan


@pytest.fixture
def tiny() -> Trace:
    """Two machines over 10 hours; three jobs, one still running at the end, one repair."""
    h = 3600.0
    return Trace(
        machine_names=("saw", "press"),
        op_job=(0, 1, 2),
        op_machine=(0, 0, 1),
        op_ready=(0.0, 0.0, 2 * h),
        op_setup_start=(0.0, 4 * h, 2 * h),
        op_start=(0.0, 5 * h, 2 * h),
        op_end=(4 * h, 8 * h, NAN),
        job_release=(0.0, 0.0, 2 * h),
        job_due=(5 * h, 7 * h, None),
        job_complete=(4 * h, 8 * h, NAN),
        downtime=((1, 6 * h, 7 * h),),
        end=10 * h,
        events=12,
        wall_seconds=0.001,
    )


def test_lead_times_throughput_wip(tiny: Trace) -> None:
    """Completed jobs only; throughput per hour; WIP integrates released, unfinished jobs."""
    assert lead_times(tiny) == [4 * 3600.0, 8 * 3600.0]
    assert throughput(tiny) == pytest.approx(0.2)
    assert wip(tiny) == pytest.approx((4 + 8 + 8) / 10)


def test_shares_per_machine(tiny: Trace) -> None:
    """Processing (minus repairs), changeover and active shares over the period."""
    assert utilization(tiny) == pytest.approx({"saw": 0.7, "press": 0.7})
    assert setup_share(tiny) == pytest.approx({"saw": 0.1, "press": 0.0})
    assert active_share(tiny) == pytest.approx({"saw": 0.8, "press": 0.8})
    assert queue_waiting(tiny) == pytest.approx({"saw": 2 * 3600.0, "press": 0.0})


def test_on_time_and_bottleneck_evidence(tiny: Trace) -> None:
    """One of two due jobs is late; ties in active share break by name."""
    assert on_time_rate(tiny) == 0.5
    b = bottleneck([tiny])
    assert (b.machine, b.runner_up) == ("press", "saw")
    assert b.active_share == pytest.approx(0.8)


def test_summary_json_has_the_cli_contract(tiny: Trace) -> None:
    """The --json object has exactly the contract's keys, times in hours."""
    data = summarize([tiny, tiny]).to_json()
    assert set(data) == {
        "lead_time", "throughput", "utilization", "bottleneck", "on_time_rate", "events",
        "events_per_second",
    }  # fmt: skip
    assert data["lead_time"] == {"mean": 6.0, "p50": 6.0, "p95": 8.0}
    assert data["events"] == 24


def test_quantile_interpolates() -> None:
    """Linear interpolation between order statistics; nan when empty."""
    assert quantile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert math.isnan(quantile([], 0.9))
