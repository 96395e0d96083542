"""What the twin simulates: a scheduling problem plus the shop floor's randomness.

A :class:`TwinModel` is frozen data built on :class:`lotone.schedule.SchedulingProblem` (jobs,
operations, eligible machines with their routing times, precedences, setup matrices, calendars)
and adds, per machine, a :class:`MachineSpec`: its work center, the coefficient of variation of
its processing times (the routing time is the mean) and its breakdowns (MTBF and MTTR, in the
problem's time unit). ``releases`` are the jobs' arrival times (floats, so Poisson streams keep
their exact times).

Builders: :func:`site_model` (work orders at a site of the factory model) and
:func:`queue_model` (one work center of ``servers`` identical machines fed by a Poisson stream:
the textbook M/M/c, M/D/c, M/G/c queues the test suite checks against theory).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lotone.errors import LotoneError
from lotone.produce.factory import Site
from lotone.produce.work_order import WorkOrder
from lotone.schedule.problem import Job, Operation, SchedulingProblem
from lotone.schedule.sites import site_problem

__all__ = ["MachineSpec", "TwinError", "TwinModel", "queue_model", "site_model"]


class TwinError(LotoneError):
    """A twin model, scenario or run is malformed; the message names the thing and the fix."""


@dataclass(frozen=True, slots=True)
class MachineSpec:
    """A machine's randomness: work center, processing-time CV, breakdowns.

    ``cv`` 0 gives deterministic times, 1 exponential ones, anything else a gamma distribution
    with the routing time as mean. ``mtbf`` (mean time between failures, ``None``: never fails)
    and ``mttr`` (mean time to repair) are exponential, in the problem's time unit.
    """

    center: str = ""
    cv: float = 0.0
    mtbf: float | None = None
    mttr: float = 0.0

    def __post_init__(self) -> None:
        where = f"machine spec of work center {self.center or '?'}"
        if self.cv < 0:
            raise TwinError(f"{where}: cv must not be negative, got {self.cv}")
        if self.mtbf is not None and self.mtbf <= 0:
            raise TwinError(f"{where}: mtbf must be positive, got {self.mtbf}")
        if self.mttr < 0:
            raise TwinError(f"{where}: mttr must not be negative, got {self.mttr}")


@dataclass(frozen=True, slots=True)
class TwinModel:
    """A scheduling problem with per-machine randomness and job arrival times."""

    problem: SchedulingProblem
    machines: tuple[MachineSpec, ...] = ()
    releases: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        p = self.problem
        if not self.machines:
            object.__setattr__(self, "machines", (MachineSpec(),) * p.num_machines)
        if not self.releases:
            object.__setattr__(self, "releases", tuple(float(j.release) for j in p.jobs))
        if len(self.machines) != p.num_machines:
            raise TwinError(f"{len(self.machines)} machine specs for {p.num_machines} machines")
        if len(self.releases) != len(p.jobs):
            raise TwinError(f"{len(self.releases)} release times for {len(p.jobs)} jobs")
        if any(r < 0 for r in self.releases):
            raise TwinError("release times must not be negative")


def site_model(
    work_orders: Sequence[WorkOrder],
    site: Site,
    *,
    weeks: int = 4,
    releases: Sequence[float] | None = None,
    due: Mapping[str, int] | None = None,
    cv: Mapping[str, float] | None = None,
    default_cv: float = 0.0,
    breakdowns: Mapping[str, tuple[float, float]] | None = None,
) -> TwinModel:
    """The twin of ``work_orders`` at ``site`` (times in seconds from Monday 00:00).

    ``cv`` and ``breakdowns`` (``(mtbf, mttr)`` seconds) are keyed by work-center id (``sls``)
    or machine id; ``releases`` gives one arrival time per work order (default: all at 0).
    """
    if releases is not None and len(releases) != len(work_orders):
        raise TwinError(f"{len(releases)} release times for {len(work_orders)} work orders")
    problem = site_problem(
        work_orders,
        site,
        weeks=weeks,
        due=due,
        release={
            wo.order_id or str(j): int(r)
            for j, (wo, r) in enumerate(zip(work_orders, releases or (), strict=False))
        },
    )
    centers = {m.id: wc.id for wc in site.work_centers for m in wc.machines}
    known = set(centers) | set(centers.values())
    for key in (*(cv or {}), *(breakdowns or {})):
        if key not in known:
            raise TwinError(f"site {site.id} has no work center or machine {key!r}")
    specs = []
    for name in problem.machine_names:
        center = centers[name]
        c = (cv or {}).get(name, (cv or {}).get(center, default_cv))
        bd = (breakdowns or {}).get(name, (breakdowns or {}).get(center))
        specs.append(MachineSpec(center, c, bd[0] if bd else None, bd[1] if bd else 0.0))
    return TwinModel(problem, tuple(specs), tuple(float(r) for r in releases or ()))


def queue_model(
    arrival_rate: float,
    service_mean: int,
    *,
    servers: int = 1,
    jobs: int,
    cv: float = 1.0,
    seed: int = 0,
) -> TwinModel:
    """One work center of ``servers`` machines fed by a Poisson stream of one-operation jobs.

    ``arrival_rate`` jobs per time unit; each job's routing time is ``service_mean`` on any
    machine, varied with ``cv`` (1: exponential, M/M/c; 0: deterministic, M/D/c).
    """
    if arrival_rate <= 0 or service_mean <= 0 or servers < 1 or jobs < 1:
        raise TwinError("a queue needs a positive arrival rate, service mean, servers and jobs")
    rng = random.Random(f"arrivals:{seed}")
    t, releases = 0.0, []
    for _ in range(jobs):
        t += rng.expovariate(arrival_rate)
        releases.append(t)
    modes = tuple((m, service_mean) for m in range(servers))
    problem = SchedulingProblem(
        servers,
        tuple(Job((j,), name=f"job{j}") for j in range(jobs)),
        tuple(Operation(j, modes) for j in range(jobs)),
        machine_names=tuple(f"server{m + 1}" for m in range(servers)),
        name="queue",
    )
    spec = MachineSpec("queue", cv)
    return TwinModel(problem, (spec,) * servers, tuple(releases))
