"""The event trace of one simulation run: what happened, when, where (columnar, frozen).

Per operation (by index): the machine it ran on, when it became ready (its predecessors done,
its job released and, before a limited buffer, room in it), when its changeover began, when
processing began and ended (``-1`` / ``nan`` when it never started within the horizon). Per job:
its release, due date, completion and delivery (``nan``: not completed / delivered).
``downtime`` lists ``(machine, down, up)`` breakdowns. Every KPI in :mod:`lotone.twin.kpis`
is a pure function of a trace.

Parts that only features fill (empty otherwise): with limited buffers or rush jobs, per
operation ``op_taken`` (when a dispatching machine took it off its queue); with limited
buffers ``op_leave`` (when it left its machine: after ``end`` when blocked by a full buffer
downstream; :attr:`Trace.leave` falls back to the ends) and ``op_buffer`` (the buffer it took
a place in, ``-1``: none), with ``buffer_names`` and ``buffer_capacity``; ``crew`` spans
``(pool, count, from, to)`` with ``pool_names`` and ``pool_sizes``; ``job_delivered``
(shipping; empty: delivery is completion); ``replans`` ``(time, operations planned)`` of the
rolling-horizon policy.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Trace"]


@dataclass(frozen=True, slots=True)
class Trace:
    """One replication's record (see the module docstring); times in the problem's unit."""

    machine_names: tuple[str, ...]
    op_job: tuple[int, ...]
    op_machine: tuple[int, ...]
    op_ready: tuple[float, ...]
    op_setup_start: tuple[float, ...]
    op_start: tuple[float, ...]
    op_end: tuple[float, ...]
    job_release: tuple[float, ...]
    job_due: tuple[float | None, ...]
    job_complete: tuple[float, ...]
    downtime: tuple[tuple[int, float, float], ...]
    end: float
    events: int
    wall_seconds: float
    seed: int = 0
    op_taken: tuple[float, ...] = ()
    op_leave: tuple[float, ...] = ()
    op_buffer: tuple[int, ...] = ()
    buffer_names: tuple[str, ...] = ()
    buffer_capacity: tuple[int, ...] = ()
    crew: tuple[tuple[int, int, float, float], ...] = ()
    pool_names: tuple[str, ...] = ()
    pool_sizes: tuple[int, ...] = ()
    job_delivered: tuple[float, ...] = ()
    replans: tuple[tuple[float, int], ...] = ()

    @property
    def num_machines(self) -> int:
        """How many machines."""
        return len(self.machine_names)

    @property
    def leave(self) -> tuple[float, ...]:
        """Per operation, when it left its machine (its end when nothing blocks)."""
        return self.op_leave or self.op_end

    @property
    def delivered(self) -> tuple[float, ...]:
        """Per job, when it reached the customer (its completion when nothing is shipped)."""
        return self.job_delivered or self.job_complete
