"""Shipping to the customer: pickups with cut-off, transit times; KPIs count to delivery."""

from __future__ import annotations

import math
import statistics

import pytest

from lotone.schedule import Job, Operation, SchedulingProblem
from lotone.twin import Carrier, TwinError, TwinModel, simulate, summarize
from lotone.twin.kpis import lead_times, on_time_rate
from lotone.twin.shipping import DAY

H = 3600.0


def test_parcels_leave_at_the_next_pickup_on_a_pickup_day() -> None:
    """Pickup 16:00 on weekdays: ready 15:00 Monday leaves Monday 16:00, ready 17:00 Monday
    leaves Tuesday 16:00, ready Friday 17:00 leaves next Monday 16:00; ready exactly at the
    cut-off still leaves; no pickup: leaves when ready."""
    c = Carrier("dhl", transit=24 * H, pickup=16 * H, days=(0, 1, 2, 3, 4))
    assert c.departure(15 * H) == 16 * H
    assert c.departure(16 * H) == 16 * H
    assert c.departure(17 * H) == DAY + 16 * H
    assert c.departure(4 * DAY + 17 * H) == 7 * DAY + 16 * H
    assert Carrier("courier", transit=H).departure(17 * H) == 17 * H


def one_job_a_day(jobs: int, due: float | None = None) -> SchedulingProblem:
    """One machine, one 1 h job released each day at 08:00 (due ``due`` after release)."""
    return SchedulingProblem(
        1,
        tuple(
            Job(
                (j,),
                j * 86_400 + 8 * 3600,
                None if due is None else int(j * 86_400 + 8 * 3600 + due),
            )
            for j in range(jobs)
        ),
        tuple(Operation(j, ((0, 3600),)) for j in range(jobs)),
    )


def test_lead_time_counts_to_delivery() -> None:
    """Finished 09:00, picked up 16:00, 24 h on the road: delivered 31 h after release,
    while completion stays on the trace."""
    p = one_job_a_day(5)
    carrier = Carrier("road", transit=24 * H, pickup=16 * H)
    trace = simulate(TwinModel(p, carriers=(carrier,), job_carrier=(0,) * 5))
    assert trace.job_complete[0] == 9 * H
    assert trace.delivered[0] == (16 + 24) * H
    assert lead_times(trace) == pytest.approx([32 * H] * 5)


def test_on_time_is_judged_on_delivery() -> None:
    """Due 12 h after release: made in time (1 h), but delivered after 32 h, so late."""
    p = one_job_a_day(4, due=12 * H)
    assert on_time_rate(simulate(TwinModel(p))) == 1.0
    carrier = Carrier("road", transit=24 * H, pickup=16 * H)
    shipped = simulate(TwinModel(p, carriers=(carrier,), job_carrier=(0,) * 4))
    assert on_time_rate(shipped) == 0.0
    assert summarize([shipped]).on_time_rate == 0.0


def test_transit_times_have_their_mean_and_differ_by_region() -> None:
    """Gamma transits with cv 0.5 keep their mean; each job ships with its own carrier."""
    n = 2000
    p = one_job_a_day(n)
    carriers = (Carrier("DE", 24 * H, 0.5), Carrier("FR", 48 * H, 0.5))
    model = TwinModel(p, carriers=carriers, job_carrier=tuple(j % 2 for j in range(n)))
    trace = simulate(model, seed=4)
    transit = [d - c for d, c in zip(trace.delivered, trace.job_complete, strict=True)]
    assert statistics.fmean(transit[0::2]) == pytest.approx(24 * H, rel=0.05)
    assert statistics.fmean(transit[1::2]) == pytest.approx(48 * H, rel=0.05)
    assert simulate(model, seed=4).delivered == trace.delivered


def test_deliveries_after_the_horizon_are_not_observed() -> None:
    """A parcel still on the road at the horizon is not delivered within the run."""
    p = SchedulingProblem(
        1, (Job((0,)), Job((1,))), tuple(Operation(j, ((0, 3600),)) for j in (0, 1))
    )
    carrier = Carrier("road", transit=24 * H)
    trace = simulate(TwinModel(p, carriers=(carrier,), job_carrier=(0, -1)), horizon=20 * H)
    assert math.isnan(trace.delivered[0])  # made at 1 h, on the road until 25 h
    assert trace.delivered[1] == trace.job_complete[1] == 2 * H  # no carrier: when made


def test_carrier_refusals() -> None:
    """Pickups are times of day on weekdays 0..6; job carriers must exist."""
    with pytest.raises(TwinError, match="time of day"):
        Carrier("x", H, pickup=DAY)
    with pytest.raises(TwinError, match="pickup days"):
        Carrier("x", H, days=(7,))
    with pytest.raises(TwinError, match="carrier that does not exist"):
        TwinModel(one_job_a_day(1), carriers=(Carrier("x", H),), job_carrier=(1,))
