"""What the twin simulates: a scheduling problem plus the shop floor's randomness.

A :class:`TwinModel` is frozen data built on :class:`lotone.schedule.SchedulingProblem` (jobs,
operations, eligible machines with their routing times, precedences, setup matrices, calendars)
and adds, per machine, a :class:`MachineSpec`: its work center, the coefficient of variation of
its processing times (the routing time is the mean), its breakdowns (MTBF and MTTR, in the
problem's time unit), the operators it needs and the buffer before it. ``releases`` are the
jobs' arrival times (floats, so Poisson streams keep their exact times).

Optional parts, all off by default (:mod:`lotone.twin.resources`): operator ``pools``,
``buffers`` of limited capacity, ``carriers`` to the customer (``job_carrier`` per job),
``rush`` jobs (expedited by every dispatching rule) and scripted ``failures``
(``(machine, down, up)``: unplanned breakdowns the planner learns of only when they happen).

Builders: :func:`site_model` (work orders at a site of the factory model) and
:func:`queue_model` (one work center of ``servers`` identical machines fed by a Poisson stream:
the textbook M/M/c, M/D/c, M/G/c queues the test suite checks against theory).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from lotone.produce.factory import Site
from lotone.produce.work_order import WorkOrder
from lotone.schedule.problem import Job, Operation, SchedulingProblem
from lotone.schedule.sites import site_problem
from lotone.twin.errors import TwinError
from lotone.twin.resources import Buffer, Crew, Pool
from lotone.twin.shipping import Carrier

__all__ = ["MachineSpec", "TwinError", "TwinModel", "queue_model", "site_model"]


@dataclass(frozen=True, slots=True)
class MachineSpec:
    """A machine's randomness and needs: work center, processing-time CV, breakdowns, crew.

    ``cv`` 0 gives deterministic times, 1 exponential ones, anything else a gamma distribution
    with the routing time as mean. ``mtbf`` (mean time between failures, ``None``: never fails)
    and ``mttr`` (mean time to repair) are exponential, in the problem's time unit. ``crew``:
    the operators it needs (``None``: runs unattended); ``buffer``: the index of the limited
    buffer before its work center (``-1``: unlimited).
    """

    center: str = ""
    cv: float = 0.0
    mtbf: float | None = None
    mttr: float = 0.0
    crew: Crew | None = None
    buffer: int = -1

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
    """A scheduling problem with per-machine randomness, job arrival times and floor resources.

    ``op_buffer`` (derived) gives each operation's buffer index (``-1``: unlimited); every
    eligible machine of an operation must share it.
    """

    problem: SchedulingProblem
    machines: tuple[MachineSpec, ...] = ()
    releases: tuple[float, ...] = ()
    pools: tuple[Pool, ...] = ()
    buffers: tuple[Buffer, ...] = ()
    carriers: tuple[Carrier, ...] = ()
    job_carrier: tuple[int, ...] = ()
    rush: frozenset[int] = frozenset()
    failures: tuple[tuple[int, float, float], ...] = ()
    op_buffer: tuple[int, ...] = field(default=(), init=False, repr=False, compare=False)

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
        self._check_resources()
        object.__setattr__(self, "op_buffer", self._op_buffers())
        self._check_failures()

    def _check_resources(self) -> None:
        p = self.problem
        for name, spec in zip(p.machine_names, self.machines, strict=True):
            c = spec.crew
            if c is not None and not 0 <= c.pool < len(self.pools):
                raise TwinError(f"machine {name}: crew pool {c.pool} does not exist")
            if c is not None and c.count > self.pools[c.pool].size:
                pool = self.pools[c.pool]
                raise TwinError(
                    f"machine {name} needs {c.count} operators of pool {pool.name},"
                    f" which has {pool.size}: enlarge the pool or lower the count"
                )
            if not -1 <= spec.buffer < len(self.buffers):
                raise TwinError(f"machine {name}: buffer {spec.buffer} does not exist")
        if self.job_carrier and len(self.job_carrier) != len(p.jobs):
            raise TwinError(f"{len(self.job_carrier)} carriers for {len(p.jobs)} jobs")
        if any(not -1 <= c < len(self.carriers) for c in self.job_carrier):
            raise TwinError("a job names a carrier that does not exist")
        if any(not 0 <= j < len(p.jobs) for j in self.rush):
            raise TwinError("a rush job index does not exist")

    def _op_buffers(self) -> tuple[int, ...]:
        if not self.buffers:
            return ()
        out = []
        for o, op in enumerate(self.problem.operations):
            found = {self.machines[m].buffer for m, _ in op.modes}
            if len(found) > 1:
                raise TwinError(
                    f"operation {op.name or o} may run on machines behind different buffers:"
                    " put a buffer on every work center it can use, or none"
                )
            out.append(found.pop())
        return tuple(out)

    def _check_failures(self) -> None:
        last: dict[int, float] = {}
        for m, a, b in self.failures:
            if not 0 <= m < self.problem.num_machines or not 0 <= a < b:
                raise TwinError(f"failure ({m}, {a}, {b}): a machine index and 0 <= down < up")
            if a < last.get(m, -1.0):
                raise TwinError(f"failures of machine {m} must be sorted and must not overlap")
            last[m] = b


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
    weight: Mapping[str, int] | None = None,
) -> TwinModel:
    """The twin of ``work_orders`` at ``site`` (times in seconds from Monday 00:00).

    ``cv`` and ``breakdowns`` (``(mtbf, mttr)`` seconds) are keyed by work-center id (``sls``)
    or machine id; ``releases`` gives one arrival time per work order (default: all at 0);
    ``due`` and ``weight`` are keyed by order id (the scheduler's tardiness weights).
    """
    if releases is not None and len(releases) != len(work_orders):
        raise TwinError(f"{len(releases)} release times for {len(work_orders)} work orders")
    problem = site_problem(
        work_orders,
        site,
        weeks=weeks,
        due=due,
        weight=weight,
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
