"""From work orders and a site's factory model to a scheduling problem; sites in parallel.

:func:`site_problem` turns the work orders assigned to one site into a
:class:`SchedulingProblem` in seconds from Monday 00:00 of the planning week: one job per work
order, its operations with their predecessors; the eligible machines of an operation are the
site's machines of its work-center type with every required capability and a build volume its
envelope fits, the duration on one is the nominal setup + run seconds divided by the machine's
speed (:meth:`Machine.seconds`); each work center's changeover matrix (minutes) becomes a setup
matrix in seconds; each machine's shifts (its own, else the site's) become unavailable intervals
for ``weeks`` weeks (after that the calendar is open: plan enough weeks).

:func:`solve_sites` solves several sites' problems independently, in parallel threads (CP-SAT
releases the interpreter while it searches).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from lotone.produce.factory import DAYS, Machine, Site, WorkCenter
from lotone.produce.work_order import WorkOrder
from lotone.schedule.problem import NO_FAMILY, Job, Operation, ProblemError, SchedulingProblem
from lotone.schedule.result import Result, SolveParams
from lotone.schedule.schedule import Objective
from lotone.schedule.solve import solve

__all__ = ["calendar_gaps", "site_problem", "solve_sites"]

DAY = 24 * 3600
WEEK = 7 * DAY


def calendar_gaps(site: Site, machine: Machine, weeks: int) -> tuple[tuple[int, int], ...]:
    """The times (seconds from Monday 00:00) when ``machine`` is off shift, for ``weeks``."""
    shifts = site.shifts_of(machine)
    if not shifts:
        return ()  # no calendar: always available
    open_: list[tuple[int, int]] = []
    for w in range(weeks):
        for d, day in enumerate(DAYS):
            base = w * WEEK + d * DAY
            for sh in shifts:
                if day in sh.days:
                    open_.append((base + sh.start_min * 60, base + sh.end_min * 60))
    open_.sort()
    merged: list[tuple[int, int]] = []
    for a, b in open_:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    gaps: list[tuple[int, int]] = []
    t = 0
    for a, b in merged:
        if a > t:
            gaps.append((t, a))
        t = max(t, b)
    if t < weeks * WEEK:
        gaps.append((t, weeks * WEEK))
    return tuple(gaps)


def _eligible(
    site: Site, kind: str, requires: Sequence[str], envelope: tuple[Decimal, ...]
) -> list[tuple[WorkCenter, Machine]]:
    return [
        (wc, m)
        for wc in site.centers(kind)
        for m in wc.machines
        if set(requires) <= m.capabilities and m.fits(envelope)
    ]


def site_problem(
    work_orders: Sequence[WorkOrder],
    site: Site,
    *,
    weeks: int = 4,
    due: Mapping[str, int] | None = None,
    release: Mapping[str, int] | None = None,
    weight: Mapping[str, int] | None = None,
) -> SchedulingProblem:
    """The scheduling problem of ``work_orders`` at ``site`` (see the module docstring).

    ``due``, ``release`` and ``weight`` map a work order's ``order_id`` (else its position as a
    string) to seconds from Monday 00:00 and to an integer weight. Raises :class:`ProblemError`
    naming the order and operation when the site has no machine able to run an operation.
    """
    machines = [(wc, m) for wc in site.work_centers for m in wc.machines]
    index = {m.id: i for i, (_, m) in enumerate(machines)}
    families: dict[str, int] = {}
    for wo in work_orders:
        for step in wo.operations:
            if step.setup_family is not None:
                families.setdefault(step.setup_family, len(families))
    names = list(families)
    matrices: list[tuple[tuple[int, ...], ...]] = []
    center_matrix: dict[str, int] = {}
    for wc in site.work_centers:
        if wc.setup.default_min == 0 and not wc.setup.changes:
            continue
        center_matrix[wc.id] = len(matrices)
        matrices.append(tuple(tuple(wc.setup.minutes(a, b) * 60 for b in names) for a in names))
    jobs: list[Job] = []
    ops: list[Operation] = []
    precedences: list[tuple[int, int]] = []
    for j, wo in enumerate(work_orders):
        key = wo.order_id or str(j)
        local: dict[str, int] = {}
        ids: list[int] = []
        for step in wo.operations:
            able = _eligible(site, step.work_center, step.requires, step.envelope_mm)
            if not able:
                raise ProblemError(
                    f"order {key}, operation {step.id}: site {site.id} has no {step.work_center}"
                    " machine able to run it (capabilities or build volume)"
                )
            modes = tuple((index[m.id], m.seconds(step.seconds)) for _, m in able)
            fam = families[step.setup_family] if step.setup_family is not None else NO_FAMILY
            local[step.id] = len(ops)
            ids.append(len(ops))
            ops.append(Operation(j, modes, fam, f"{key}/{step.id}"))
            precedences.extend((local[a], local[step.id]) for a in step.after)
        jobs.append(
            Job(
                tuple(ids),
                release=(release or {}).get(key, 0),
                due=(due or {}).get(key),
                weight=(weight or {}).get(key, 1),
                name=key,
            )
        )
    return SchedulingProblem(
        len(machines),
        tuple(jobs),
        tuple(ops),
        tuple(precedences),
        setup_matrices=tuple(matrices),
        machine_setup=tuple(center_matrix.get(wc.id, -1) for wc, _ in machines),
        unavailable=tuple(calendar_gaps(site, m, weeks) for _, m in machines),
        machine_names=tuple(m.id for _, m in machines),
        name=site.id,
    )


def solve_sites(
    problems: Mapping[str, SchedulingProblem],
    objective: Objective = "makespan",
    params: SolveParams | None = None,
    parallel: int = 1,
) -> dict[str, Result]:
    """Solve each site's problem independently; ``parallel`` sites at a time (threads)."""
    params = params or SolveParams()
    if parallel <= 1:
        return {k: solve(p, objective, params) for k, p in problems.items()}
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        futures = {k: pool.submit(solve, p, objective, params) for k, p in problems.items()}
        return {k: f.result() for k, f in futures.items()}
