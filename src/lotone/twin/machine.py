"""The machine process: take an operation, change over, (wait for the crew,) process, finish.

One process per machine (:func:`machine`) acts on the :class:`~lotone.twin.run.Run`. Under a
dispatching rule it takes the head of its lanes (:meth:`Run.pick`), else the next operation of
its plan's sequence once it is ready. The changeover comes from the setup matrix; processing
starts in the first open window of the calendar that fits it, after any breakdown due by then
(:meth:`Run.repair`); a breakdown during processing suspends it for the repair. The processing
time is the routing time times a unit-mean random factor (:mod:`lotone.twin.variates`). When an
operation ends its job may complete and its successors whose predecessors have all ended become
ready (:meth:`Run.make_ready`; with limited buffers :meth:`Flow.finish
<lotone.twin.flow.Flow.finish>`, which may block the machine).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Generator
from heapq import heappop

import simpy

from lotone.schedule.problem import NO_FAMILY
from lotone.twin.crew import acquire, attend
from lotone.twin.run import Run
from lotone.twin.variates import Factors

__all__ = ["machine"]


def machine(run: Run, k: int) -> Generator[simpy.Event, object, None]:
    """Machine ``k`` of ``run``: take, change over, (crew,) process, (blocked,) finish; forever."""
    # the loop runs once per operation: everything it touches is bound to a local first
    env, p = run.env, run.p
    planned, flow, track = run.planned, run.flow, run.track_taken
    spec = run.model.machines[k]
    crew, cv = spec.crew, spec.cv
    factors = Factors(run.seed, k, cv) if cv > 0 else None
    units: list[float] = []
    u = 0
    ms = p.machine_setup[k]
    matrix = p.setup_matrices[ms] if ms >= 0 else None
    gaps, gap_ends = p.unavailable[k], run.gap_ends[k]
    ngaps = len(gaps)
    gi = 0  # the first gap not over at the last start: starts never go back, so no bisect
    ops, family, idle, taken = p.operations, run.family, run.idle, run.taken
    mach, setups, starts, ends = run.machine, run.setup_start, run.start, run.end
    next_fail, up_at = run.next_fail, run.up_at
    op_job, succs, left, waiting = run.op_job, run.succs, run.left, run.waiting
    complete, released, make_ready = run.complete, run.released, run.make_ready
    fit, repair, timeout = run.fit, run.repair, env.timeout
    # one lane and no rush jobs (the common case): pop it here
    lanes = run.machine_lanes[k] if not planned else []
    lane = lanes[0][0] if len(lanes) == 1 and not run.rush else None
    while True:
        if planned:
            seq = run.sequence[k]
            if not seq:
                if run.rolling is None:
                    return
                ev = idle[k] = env.event()
                yield ev
                continue
            o = seq.pop() if run.rolling is None else run.first_ready(seq)
        else:
            if lane is not None:
                picked = heappop(lane)[1] if lane else None
            else:
                picked = run.pick(k)
            if picked is None:
                ev = idle[k] = env.event()
                if flow is not None:
                    flow.idle(k)
                yield ev
                continue
            o = picked
            if track:
                run.taken_at[o] = env.now
                if flow is not None:
                    flow.taken(o)
        now = env.now
        taken[o] = True
        mach[o] = k
        op = ops[o]
        for mk, d in op.modes:
            if mk == k:
                mean = d
                break
        else:
            mean = op.duration_on(k)  # raises: not eligible
        a, b = family[k], op.setup_family
        if mean > 0 and matrix is not None and a != NO_FAMILY and b != NO_FAMILY:
            setup = float(matrix[a][b])
        else:
            setup = 0.0
        setup_start = now
        if planned:
            # a plan changes over as soon as the machine is free, even before the operation
            # is ready (as the scheduler does), but not before the plan says; a rolling plan
            # gives the order only (its solver leaves slack where it costs nothing, and
            # waiting for it would idle the floor)
            if run.rolling is None:
                setup_start = max(setup_start, run.planned_start[o] - setup)
            if not (yield from run.await_ready(k, o, seq)):
                continue
            now = max(env.now, up_at[k])  # a replan may have seen it fail while idle
        dur: float = mean
        if factors is not None and mean > 0:
            if u == len(units):
                units, u = factors.block(), 0
            dur = mean * units[u]
            u += 1
        earliest = setup_start + setup
        if earliest < now:
            earliest = now
        if crew is None or mean == 0 or (setup == 0 and not crew.attends_run):
            held = None
            start = earliest
            if gi and gap_ends[gi - 1] > start:  # a start went back (it cannot): search afresh
                gi = bisect_right(gap_ends, start)
            while gi < ngaps and gap_ends[gi] <= start:
                gi += 1
            if gi < ngaps and start + dur > gaps[gi][0]:  # the calendar's next gap is in the way
                start = fit(k, start, dur)
            while next_fail[k] <= start:
                up = repair(k, next_fail[k])
                if up > start:
                    start = fit(k, up, dur)
        else:
            held = crew
            start = yield from acquire(run, k, crew, earliest, setup, dur)
        end = start + dur
        while next_fail[k] < end:
            f = next_fail[k]
            end += repair(k, f) - f
        setups[o] = start - setup
        starts[o] = start
        if held is None:
            t = env.now
            if end > t:
                yield timeout(end - t)
        else:
            yield from attend(run, k, held, start, end)
        ends[o] = end
        if mean > 0:
            family[k] = b
        if flow is not None:
            blocked = flow.finish(o, k)
            if blocked is not None:
                yield blocked
            run.leave[o] = max(end, env.now)
            continue
        # finished: the job may complete, successors become ready
        j = op_job[o]
        left[j] -= 1
        if left[j] == 0:
            complete[j] = env.now
            run.done += 1
        for s in succs[o]:
            waiting[s] -= 1
            if waiting[s] == 0 and released[j]:
                make_ready(s)
