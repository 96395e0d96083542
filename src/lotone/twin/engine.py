"""The simulation core on SimPy: one :class:`simpy.Environment` per run, no globals.

Each machine is a SimPy process. It takes the best ready operation it is eligible for (by the
dispatching ``policy``; ready operations of rush jobs first), or, under ``policy="schedule"``,
the next operation of its sequence in a given :class:`~lotone.schedule.Schedule` (not before
its planned start); under ``"reschedule"`` the sequences come from the scheduler every period
(:mod:`lotone.twin.rolling`). Before processing it changes over (sequence dependent, from the
problem's setup matrix, deterministic), then waits for an open window of its calendar that fits
the operation (no preemption by shifts), then processes it for a random time (mean: the routing
time; :class:`~lotone.twin.model.MachineSpec` gives the CV). Breakdowns run on the clock
(exponential MTBF, MTTR, plus scripted failures): a failure while a machine processes suspends
the operation for the repair (preempt-resume); a failure while it is idle delays its next start
until the repair ends. Operations become ready when their job is released and every predecessor
has ended; a job completes when its last operation ends, and is delivered after shipping.

A machine with a crew (:mod:`lotone.twin.crew`) waits for its operators when the attended phase
is due and holds them through it; behind a limited buffer (:mod:`lotone.twin.flow`) a machine
stays blocked after processing until its job has room downstream.

Idle machines wait on an event; an operation that becomes ready wakes one idle eligible
machine, so a run costs about one SimPy event per operation, one per release and one per wake.
Features a model does not use cost a flag test.
"""

from __future__ import annotations

import math
import time

import simpy

from lotone.schedule.schedule import Schedule
from lotone.twin.machine import machine
from lotone.twin.model import TwinError, TwinModel
from lotone.twin.rolling import Rolling, replanner
from lotone.twin.run import POLICIES, Policy, Run
from lotone.twin.shipping import deliveries
from lotone.twin.trace import Trace

__all__ = ["POLICIES", "Policy", "simulate"]


def simulate(
    model: TwinModel,
    policy: Policy = "fifo",
    *,
    seed: int = 0,
    horizon: float | None = None,
    schedule: Schedule | None = None,
    rolling: Rolling | None = None,
) -> Trace:
    """Run ``model`` once under ``policy`` and return its :class:`Trace`.

    ``horizon`` stops the run at that time (default: when every job is done). The same model,
    policy and seed give the same trace (under ``"reschedule"``: as far as the solver, on a
    wall-clock limit, gives the same plans). Raises :class:`TwinError` when ``policy`` is
    unknown, ``"schedule"`` comes without a fitting ``schedule``, ``"reschedule"`` without
    ``rolling``, or limited buffers deadlock.
    """
    if policy not in POLICIES:
        raise TwinError(f"unknown policy {policy!r}; choose one of {', '.join(POLICIES)}")
    if horizon is not None and horizon <= 0:
        raise TwinError(f"horizon must be positive, got {horizon}")
    run = Run(model, policy, seed, schedule, rolling)
    env = run.env
    env.process(run.releases())
    for k in range(model.problem.num_machines):
        env.process(machine(run, k))
    if run.rolling is not None:
        env.process(replanner(run, run.rolling))
    events = _drive(env, math.inf if horizon is None else horizon)
    wall = time.perf_counter() - events[1]
    if run.flow is not None and env.peek() == math.inf and run.flow.stuck():
        names = ", ".join(model.problem.machine_names[k] for k in run.flow.stuck())
        raise TwinError(
            f"deadlock at {env.now:g}: machines {names} are blocked by full buffers that wait"
            " for them; enlarge those buffers or route without going back and forth"
        )
    return _trace(run, horizon, events[0], wall)


def _trace(run: Run, horizon: float | None, events: int, wall: float) -> Trace:
    model, p = run.model, run.p
    ends = [e for e in run.end if not math.isnan(e)]
    end = float(horizon) if horizon is not None else max(ends, default=0.0)
    for k, script in enumerate(run.script):  # scripted breakdowns of idle machines, too
        while script and script[-1][0] < end:
            run.repair(k, script[-1][0])
    for o, a in enumerate(run.setup_start):
        # committed to, but not begun by the horizon (or still waiting for its crew)
        if math.isnan(run.end[o]) and (math.isnan(a) or a >= end):
            run.machine[o] = -1
            run.setup_start[o] = run.start[o] = math.nan
    crew = list(run.pools.log)
    for k, since in enumerate(run.crew_since):  # crews still at work when the run stops
        c = model.machines[k].crew
        if since >= 0 and c is not None:
            crew.append((c.pool, c.count, since, end))
    delivered: tuple[float, ...] = ()
    if model.carriers:
        delivered = deliveries(model.carriers, model.job_carrier, run.complete, run.seed)
        if horizon is not None:
            delivered = tuple(math.nan if d > end else d for d in delivered)
    return Trace(
        machine_names=p.machine_names,
        op_job=tuple(op.job for op in p.operations),
        op_machine=tuple(run.machine),
        op_ready=tuple(run.ready),
        op_setup_start=tuple(run.setup_start),
        op_start=tuple(run.start),
        op_end=tuple(run.end),
        job_release=model.releases,
        job_due=tuple(None if j.due is None else float(j.due) for j in p.jobs),
        job_complete=tuple(run.complete),
        downtime=tuple(d for d in run.downtime if d[1] < end),
        end=end,
        events=events,
        wall_seconds=wall,
        seed=run.seed,
        op_taken=tuple(run.taken_at) if run.track_taken else (),
        op_leave=tuple(run.leave) if run.flow is not None else (),
        op_buffer=tuple(run.flow.waited_in) if run.flow is not None else (),
        buffer_names=tuple(b.name for b in model.buffers),
        buffer_capacity=tuple(b.capacity for b in model.buffers),
        crew=tuple(crew),
        pool_names=tuple(pool.name for pool in model.pools),
        pool_sizes=tuple(pool.size for pool in model.pools),
        job_delivered=delivered,
        replans=tuple(run.replans),
    )


def _drive(env: simpy.Environment, until: float) -> tuple[int, float]:
    """Step ``env`` until ``until`` or no events remain; (events processed, start clock)."""
    t0 = time.perf_counter()
    n = 0
    step, peek = env.step, env.peek
    while True:
        t = peek()
        if t > until or t == math.inf:
            break
        step()
        n += 1
    return n, t0
