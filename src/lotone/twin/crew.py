"""Operator pools during a run: take and give back operators, first come first served.

A machine that needs a crew asks its pool for ``count`` operators when the attended phase is
due (:func:`acquire`); if they are free it gets them at once (no SimPy event), else it waits
in the pool's line and is served, in order, as operators come back. If the crew comes late,
the phase is placed again from then (calendar, failures) and the crew, if it would now idle
until the new time, goes back and is asked again then. :func:`attend` holds it through the
attended phase. Every span a crew was held is logged as ``(pool, count, from, to)``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Generator, Sequence
from typing import TYPE_CHECKING

import simpy

from lotone.twin.resources import Crew

if TYPE_CHECKING:
    from lotone.twin.run import Run

__all__ = ["Pools", "acquire", "attend"]

_EPS = 1e-6


class Pools:
    """The operators of one run: free counts and waiting lines per pool."""

    def __init__(self, env: simpy.Environment, sizes: Sequence[int]) -> None:
        self.env = env
        self.free = list(sizes)
        self.line: list[deque[tuple[int, simpy.Event]]] = [deque() for _ in sizes]
        self.log: list[tuple[int, int, float, float]] = []

    def take(self, pool: int, count: int) -> simpy.Event | None:
        """Take ``count`` operators: ``None`` when granted now, else an event to wait for."""
        if not self.line[pool] and self.free[pool] >= count:
            self.free[pool] -= count
            return None
        ev = self.env.event()
        self.line[pool].append((count, ev))
        return ev

    def give(self, pool: int, count: int, since: float) -> None:
        """Give back ``count`` operators held since ``since``; serve the line in order."""
        if self.env.now > since:
            self.log.append((pool, count, since, self.env.now))
        self.free[pool] += count
        line = self.line[pool]
        while line and line[0][0] <= self.free[pool]:
            need, ev = line.popleft()
            self.free[pool] -= need
            ev.succeed()


def acquire(
    run: Run, k: int, crew: Crew, earliest: float, setup: float, dur: float
) -> Generator[simpy.Event, object, float]:
    """Machine ``k`` waits for its crew when the attended phase is due; the processing start."""
    env, pools = run.env, run.pools
    lead = setup if crew.attends_setup else 0.0
    start = run.place(k, max(earliest, env.now + lead), dur)
    while True:
        begin = start - lead
        if begin > env.now:
            yield env.timeout(begin - env.now)
        wait = pools.take(crew.pool, crew.count)
        if wait is not None:
            yield wait
        if env.now <= begin + _EPS:
            break
        start = run.place(k, env.now + lead, dur)
        if start - lead <= env.now + _EPS:
            break
        pools.give(crew.pool, crew.count, env.now)  # came late: wait for the new time
    run.crew_since[k] = env.now
    return start


def attend(
    run: Run, k: int, crew: Crew, start: float, end: float
) -> Generator[simpy.Event, object, None]:
    """Process until ``end`` with the crew; a changeover-only crew leaves at ``start``."""
    env = run.env
    if not crew.attends_run:
        if start > env.now:
            yield env.timeout(start - env.now)
        _release(run, k, crew)
    if end > env.now:
        yield env.timeout(end - env.now)
    if crew.attends_run:
        _release(run, k, crew)


def _release(run: Run, k: int, crew: Crew) -> None:
    run.pools.give(crew.pool, crew.count, run.crew_since[k])
    run.crew_since[k] = -1.0
