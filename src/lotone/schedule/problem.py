"""The scheduling problem: frozen, validated data that refers to everything by integer index.

A :class:`SchedulingProblem` is what every solver sees (dispatching rules, CP-SAT, LNS). Jobs
own operations; operations run on exactly one of their eligible machines (``modes``: machine and
duration on it) without preemption; ``precedences`` are end-to-start arcs of a DAG; a machine
may carry a setup matrix between setup families (the changeover is a gap between consecutive
operations on that machine, sequence dependent, and depends on those two operations only: an
operation without a family needs none and leaves none; operations of zero duration take no
machine time and are ignored), an initial setup family, and unavailable
intervals (calendars: an operation never overlaps one). Jobs have release and due dates and an
integer weight; ``fixed`` pins operations already running or frozen (rescheduling).

Times are integers in one unit per problem (seconds for factories, the file's unit for
benchmarks); ``time_scale`` and ``weight_scale`` say how the unit and the weights were scaled
from the source (the JIT benchmark has half-unit due dates and decimal weights).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from lotone.errors import LotoneError

__all__ = [
    "Fixed",
    "Job",
    "Operation",
    "ProblemError",
    "SchedulingProblem",
]

NO_FAMILY = -1


class ProblemError(LotoneError):
    """A scheduling problem is malformed: the message names the job, operation or machine."""


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation: its job, eligible machines with durations, setup family, name.

    ``modes`` are ``(machine, duration)`` pairs, one per eligible machine; ``setup_family`` is
    an index into the setup matrices (``-1``: no family, never a changeover).
    """

    job: int
    modes: tuple[tuple[int, int], ...]
    setup_family: int = NO_FAMILY
    name: str = ""

    def duration_on(self, machine: int) -> int:
        """The duration on ``machine``; raises when the machine is not eligible."""
        for m, d in self.modes:
            if m == machine:
                return d
        raise ProblemError(f"operation {self.name or '?'} cannot run on machine {machine}")

    @property
    def min_duration(self) -> int:
        """The shortest duration over the eligible machines."""
        return min(d for _, d in self.modes)


@dataclass(frozen=True, slots=True)
class Job:
    """A job: its operations (indexes), release and due date, weight and name."""

    operations: tuple[int, ...]
    release: int = 0
    due: int | None = None
    weight: int = 1
    name: str = ""


@dataclass(frozen=True, slots=True)
class Fixed:
    """An operation pinned to a machine and start (running, or inside the frozen window)."""

    operation: int
    machine: int
    start: int


@dataclass(frozen=True, slots=True)
class SchedulingProblem:
    """A validated, index-based scheduling problem (see the module docstring).

    Parameters
    ----------
    num_machines
        Machines are ``0 .. num_machines - 1``.
    jobs, operations
        Jobs list their operations; each operation names its job.
    precedences
        ``(before, after)`` pairs: ``after`` starts no earlier than ``before`` ends.
    setup_matrices
        Square matrices of changeover times between setup families.
    machine_setup
        Per machine, the index of its setup matrix, or ``-1`` for none.
    initial_family
        Per machine, the setup family it is in at time 0 (``-1``: none, first setup free).
    unavailable
        Per machine, sorted disjoint ``(start, end)`` intervals when it cannot work.
    fixed
        Operations already placed; their predecessors must be fixed too.
    earliest
        No operation that is not fixed starts before this time (the moment of rescheduling).
    machine_names
        Names for people and charts (default ``m0``, ``m1``, ...).
    """

    num_machines: int
    jobs: tuple[Job, ...]
    operations: tuple[Operation, ...]
    precedences: tuple[tuple[int, int], ...] = ()
    setup_matrices: tuple[tuple[tuple[int, ...], ...], ...] = ()
    machine_setup: tuple[int, ...] = ()
    initial_family: tuple[int, ...] = ()
    unavailable: tuple[tuple[tuple[int, int], ...], ...] = ()
    fixed: tuple[Fixed, ...] = ()
    earliest: int = 0
    machine_names: tuple[str, ...] = ()
    name: str = ""
    time_scale: int = 1
    weight_scale: int = 1
    _preds: tuple[tuple[int, ...], ...] = field(default=(), repr=False, compare=False)
    _succs: tuple[tuple[int, ...], ...] = field(default=(), repr=False, compare=False)

    def __post_init__(self) -> None:
        m, n = self.num_machines, len(self.operations)
        if m < 1:
            raise ProblemError(f"a problem needs at least one machine, got {m}")
        for name, per_machine in (
            ("machine_setup", self.machine_setup),
            ("initial_family", self.initial_family),
            ("unavailable", self.unavailable),
            ("machine_names", self.machine_names),
        ):
            if per_machine and len(per_machine) != m:
                raise ProblemError(f"{name} has {len(per_machine)} entries for {m} machines")
        if not self.machine_setup:
            object.__setattr__(self, "machine_setup", (-1,) * m)
        if not self.initial_family:
            object.__setattr__(self, "initial_family", (NO_FAMILY,) * m)
        if not self.unavailable:
            object.__setattr__(self, "unavailable", ((),) * m)
        if not self.machine_names:
            object.__setattr__(self, "machine_names", tuple(f"m{i}" for i in range(m)))
        if self.earliest < 0:
            raise ProblemError(f"earliest must not be negative, got {self.earliest}")
        if self.time_scale < 1 or self.weight_scale < 1:
            raise ProblemError("time_scale and weight_scale are positive integers")
        self._check_jobs(n)
        self._check_operations()
        self._check_setups()
        self._check_calendars()
        preds: list[list[int]] = [[] for _ in range(n)]
        succs: list[list[int]] = [[] for _ in range(n)]
        for a, b in self.precedences:
            if not (0 <= a < n and 0 <= b < n) or a == b:
                raise ProblemError(f"precedence ({a}, {b}) names no pair of distinct operations")
            preds[b].append(a)
            succs[a].append(b)
        object.__setattr__(self, "_preds", tuple(tuple(p) for p in preds))
        object.__setattr__(self, "_succs", tuple(tuple(s) for s in succs))
        self._check_acyclic()
        self._check_fixed()

    # -- validation -------------------------------------------------------------------------

    def _check_jobs(self, n: int) -> None:
        owner = [-1] * n
        for j, job in enumerate(self.jobs):
            if job.release < 0 or job.weight < 0:
                raise ProblemError(f"job {job.name or j}: release and weight must not be negative")
            for o in job.operations:
                if not 0 <= o < n:
                    raise ProblemError(f"job {job.name or j} lists unknown operation {o}")
                if owner[o] != -1:
                    raise ProblemError(f"operation {o} belongs to jobs {owner[o]} and {j}")
                owner[o] = j
        for o, op in enumerate(self.operations):
            if owner[o] != op.job:
                raise ProblemError(
                    f"operation {op.name or o} names job {op.job} but is listed by job {owner[o]}"
                )

    def _check_operations(self) -> None:
        for o, op in enumerate(self.operations):
            where = f"operation {op.name or o}"
            if not op.modes:
                raise ProblemError(f"{where} has no eligible machine")
            machines = [mm for mm, _ in op.modes]
            if len(set(machines)) != len(machines):
                raise ProblemError(f"{where} lists a machine twice")
            for mm, d in op.modes:
                if not 0 <= mm < self.num_machines:
                    raise ProblemError(f"{where}: machine {mm} does not exist")
                if d < 0:
                    raise ProblemError(f"{where}: negative duration {d} on machine {mm}")

    def _check_setups(self) -> None:
        for k, mat in enumerate(self.setup_matrices):
            if any(len(row) != len(mat) for row in mat):
                raise ProblemError(f"setup matrix {k} is not square")
            if any(t < 0 for row in mat for t in row):
                raise ProblemError(f"setup matrix {k} has a negative changeover")
        for mm, k in enumerate(self.machine_setup):
            if k >= len(self.setup_matrices) or k < -1:
                raise ProblemError(f"machine {self.machine_names[mm]}: no setup matrix {k}")
            size = len(self.setup_matrices[k]) if k >= 0 else 0
            init = self.initial_family[mm]
            if k >= 0 and init != NO_FAMILY and not 0 <= init < size:
                raise ProblemError(f"machine {self.machine_names[mm]}: initial family {init}")
            if k < 0:
                continue
            for o, op in enumerate(self.operations):
                if any(x == mm for x, _ in op.modes) and op.setup_family >= size:
                    raise ProblemError(
                        f"operation {op.name or o}: setup family {op.setup_family} is outside"
                        f" the {size}x{size} setup matrix of machine {self.machine_names[mm]}"
                    )

    def _check_calendars(self) -> None:
        for mm, gaps in enumerate(self.unavailable):
            last = -1
            for a, b in gaps:
                if a >= b or a < last:
                    raise ProblemError(
                        f"machine {self.machine_names[mm]}: unavailable intervals must be"
                        f" non-empty, sorted and disjoint; got ({a}, {b}) after end {last}"
                    )
                last = b

    def _check_acyclic(self) -> None:
        indeg = [len(p) for p in self._preds]
        stack = [o for o, d in enumerate(indeg) if d == 0]
        seen = 0
        while stack:
            o = stack.pop()
            seen += 1
            for s in self._succs[o]:
                indeg[s] -= 1
                if indeg[s] == 0:
                    stack.append(s)
        if seen != len(self.operations):
            cyclic = [self.operations[o].name or str(o) for o, d in enumerate(indeg) if d > 0]
            raise ProblemError(f"the precedences have a cycle through {', '.join(cyclic[:5])}")

    def _check_fixed(self) -> None:
        pinned = {f.operation for f in self.fixed}
        if len(pinned) != len(self.fixed):
            raise ProblemError("an operation is fixed twice")
        for f in self.fixed:
            op = self.operations[f.operation] if 0 <= f.operation < len(self.operations) else None
            if op is None:
                raise ProblemError(f"fixed operation {f.operation} does not exist")
            op.duration_on(f.machine)
            if f.start < 0:
                raise ProblemError(f"fixed operation {op.name or f.operation} starts before 0")
            loose = [p for p in self._preds[f.operation] if p not in pinned]
            if loose:
                raise ProblemError(
                    f"fixed operation {op.name or f.operation} has predecessors {loose} that are"
                    " not fixed: freeze whole prefixes of jobs"
                )

    # -- queries ----------------------------------------------------------------------------

    @property
    def num_operations(self) -> int:
        """How many operations."""
        return len(self.operations)

    def predecessors(self, op: int) -> tuple[int, ...]:
        """Operations that must end before ``op`` starts."""
        return self._preds[op]

    def successors(self, op: int) -> tuple[int, ...]:
        """Operations that start after ``op`` ends."""
        return self._succs[op]

    def setup(self, machine: int, before: int, after: int) -> int:
        """The changeover on ``machine`` from family ``before`` to family ``after``."""
        k = self.machine_setup[machine]
        if k < 0 or before == NO_FAMILY or after == NO_FAMILY:
            return 0
        return self.setup_matrices[k][before][after]

    @property
    def has_setups(self) -> bool:
        """Whether some machine has a non-zero changeover between families in use."""
        return any(
            k >= 0 and any(t > 0 for row in self.setup_matrices[k] for t in row)
            for k in self.machine_setup
        ) and any(op.setup_family != NO_FAMILY for op in self.operations)

    @property
    def has_due_dates(self) -> bool:
        """Whether some job has a due date."""
        return any(j.due is not None for j in self.jobs)

    def job_of(self, op: int) -> int:
        """The job of operation ``op``."""
        return self.operations[op].job

    def topological_order(self) -> list[int]:
        """Operations in an order where predecessors come first (stable by index)."""
        import heapq

        indeg = [len(p) for p in self._preds]
        heap = [o for o, d in enumerate(indeg) if d == 0]
        heapq.heapify(heap)
        out: list[int] = []
        while heap:
            o = heapq.heappop(heap)
            out.append(o)
            for s in self._succs[o]:
                indeg[s] -= 1
                if indeg[s] == 0:
                    heapq.heappush(heap, s)
        return out

    def horizon(self) -> int:
        """A safe upper bound on any completion: releases, work, setups and downtime."""
        work = sum(max(d for _, d in op.modes) for op in self.operations)
        worst_setup = max(
            (max((max(row) for row in mat), default=0) for mat in self.setup_matrices),
            default=0,
        )
        down = max((gaps[-1][1] for gaps in self.unavailable if gaps), default=0)
        fixed_end = max(
            (f.start + self.operations[f.operation].duration_on(f.machine) for f in self.fixed),
            default=0,
        )
        release = max((j.release for j in self.jobs), default=0)
        return release + down + fixed_end + work + worst_setup * (len(self.operations) + 1) + 1


def chain(jobs_ops: Sequence[Sequence[int]]) -> tuple[tuple[int, int], ...]:
    """Precedences that chain each job's operations in the given order."""
    return tuple((a, b) for ops in jobs_ops for a, b in itertools.pairwise(ops))
