"""Work orders on a site's machines: eligibility, speed, changeovers, shifts; breakdowns."""

from __future__ import annotations

from pathlib import Path

import pytest

from lotone.model.loader import load_family
from lotone.produce.explode import explode
from lotone.produce.factory_loader import load_site
from lotone.produce.orders import generate_orders
from lotone.produce.work_order import WorkOrder
from lotone.schedule import (
    ProblemError,
    SchedulingProblem,
    SolveParams,
    reschedule,
    site_problem,
    solve,
    solve_sites,
)
from lotone.schedule.sites import DAY, calendar_gaps

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wardrobes() -> list[WorkOrder]:
    """Twelve generated wardrobe orders, exploded."""
    family = load_family(ROOT / "catalog" / "wardrobe.yaml")
    return [
        explode(o.configuration, family, order_id=o.order_id)
        for o in generate_orders(family, 12, seed=5)
    ]


@pytest.fixture(scope="module")
def berlin_problem(wardrobes: list[WorkOrder]) -> SchedulingProblem:
    """The wardrobes at Berlin, due one per two hours from Monday 08:00."""
    site = load_site(ROOT / "catalog" / "factories" / "berlin.yaml")
    due = {wo.order_id or "": 8 * 3600 + 7200 * i for i, wo in enumerate(wardrobes)}
    return site_problem(wardrobes, site, weeks=2, due=due)


def test_operations_get_the_able_machines_with_speed_adjusted_times(
    berlin_problem: SchedulingProblem, wardrobes: list[WorkOrder]
) -> None:
    """cut_carcass may run on both CNCs; the small one (speed 0.8) takes 1.25 times as long."""
    p = berlin_problem
    cut = next(o for o in p.operations if o.name.endswith("/cut_carcass"))
    names = {p.machine_names[m]: d for m, d in cut.modes}
    nominal = wardrobes[0].step("cut_carcass").seconds
    assert names["cnc-nesting"] == nominal
    assert names["cnc-small"] == -(-nominal * 5 // 4)
    assert p.has_setups


def test_site_shifts_become_unavailable_time() -> None:
    """Mon-Fri 06:00-22:00: closed until Monday 06:00, from 22:00 to 06:00, all weekend."""
    site = load_site(ROOT / "catalog" / "factories" / "berlin.yaml")
    gaps = calendar_gaps(site, site.work_centers[0].machines[0], 1)
    assert gaps[0] == (0, 6 * 3600)
    assert gaps[1] == (22 * 3600, DAY + 6 * 3600)
    assert gaps[-1] == (4 * DAY + 22 * 3600, 7 * DAY)


def test_a_site_without_able_machines_is_refused(wardrobes: list[WorkOrder]) -> None:
    """Lyon has no CNC router: the error names the order and the operation."""
    lyon = load_site(ROOT / "catalog" / "factories" / "lyon.yaml")
    with pytest.raises(ProblemError, match=r"cut_carcass: site lyon has no cnc_router"):
        site_problem(wardrobes, lyon)


def test_orders_on_a_site_solve_to_a_valid_schedule(berlin_problem: SchedulingProblem) -> None:
    """The schedule respects shifts, changeovers and precedences; tardiness <= best rule."""
    r = solve(berlin_problem, "tardiness", SolveParams(time_limit=3))
    assert r.schedule is not None
    r.schedule.check(berlin_problem)
    assert r.objective is not None
    assert r.rule_objective is not None
    assert r.objective <= r.rule_objective


def test_sites_solve_independently_in_parallel(berlin_problem: SchedulingProblem) -> None:
    """Two problems, two threads, two valid results under their keys."""
    out = solve_sites(
        {"a": berlin_problem, "b": berlin_problem},
        "makespan",
        SolveParams(time_limit=1, workers=1),
        parallel=2,
    )
    assert set(out) == {"a", "b"}
    for r in out.values():
        assert r.schedule is not None
        r.schedule.check(berlin_problem)


def test_a_breakdown_is_repaired_keeping_the_frozen_window(
    berlin_problem: SchedulingProblem,
) -> None:
    """The CNC breaks at Monday 09:00 for 3 h: started work stays, the rest avoids the repair."""
    p = berlin_problem
    plan = solve(p, "tardiness", SolveParams(time_limit=1), "rules").schedule
    assert plan is not None
    now = 9 * 3600
    new, r = reschedule(
        p, plan, now, frozen_until=now + 1800, breakdowns={0: [(now, now + 3 * 3600)]},
        params=SolveParams(time_limit=3),
    )  # fmt: skip
    assert r.schedule is not None
    r.schedule.check(new)
    assert new.fixed
    for f in new.fixed:
        assert (r.schedule.machines[f.operation], r.schedule.starts[f.operation]) == (
            f.machine,
            f.start,
        )
