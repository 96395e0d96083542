"""The event trace of one simulation run: what happened, when, where (columnar, frozen).

Per operation (by index): the machine it ran on, when it became ready (its predecessors done
and its job released), when its changeover began, when processing began and ended (``-1`` /
``nan`` when it never started within the horizon). Per job: its release, due date and
completion (``nan``: not completed). ``downtime`` lists ``(machine, down, up)`` breakdowns.
Every KPI in :mod:`lotone.twin.kpis` is a pure function of a trace.
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

    @property
    def num_machines(self) -> int:
        """How many machines."""
        return len(self.machine_names)
