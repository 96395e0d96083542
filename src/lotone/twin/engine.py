"""The simulation core on SimPy: one :class:`simpy.Environment` per run, no globals.

Each machine is a SimPy process. It takes the best ready operation it is eligible for (by the
dispatching ``policy``), or, under ``policy="schedule"``, the next operation of its sequence in
a given :class:`~lotone.schedule.Schedule` (not before its planned start). Before processing it
changes over (sequence dependent, from the problem's setup matrix, deterministic), then waits
for an open window of its calendar that fits the operation (no preemption by shifts), then
processes it for a random time (mean: the routing time; :class:`~lotone.twin.model.MachineSpec`
gives the CV). Breakdowns run on the clock (exponential MTBF, MTTR): a failure while a machine
processes suspends the operation for the repair (preempt-resume); a failure while it is idle
delays its next start until the repair ends. Operations become ready when their job is
released and every predecessor has ended; a job completes when its last operation ends.

Idle machines wait on an event; an operation that becomes ready wakes one idle eligible
machine, so a run costs about one SimPy event per operation, one per release and one per wake.
"""

from __future__ import annotations

import bisect
import heapq
import math
import random
import time
from collections.abc import Generator
from typing import Literal

import simpy

from lotone.schedule.schedule import Schedule
from lotone.twin.model import TwinError, TwinModel
from lotone.twin.trace import Trace

__all__ = ["POLICIES", "Policy", "simulate"]

Policy = Literal["fifo", "spt", "edd", "mwkr", "schedule"]
POLICIES: tuple[Policy, ...] = ("fifo", "spt", "edd", "mwkr", "schedule")

_Proc = Generator[simpy.Event, object, None]


class _Run:
    """The state of one run; owned by its environment's processes."""

    def __init__(
        self,
        model: TwinModel,
        policy: Policy,
        seed: int,
        schedule: Schedule | None,
    ) -> None:
        self.model = model
        p = self.p = model.problem
        self.policy = policy
        self.env = simpy.Environment()
        n, m = p.num_operations, p.num_machines
        self.machine = [-1] * n
        self.ready = [math.nan] * n
        self.setup_start = [math.nan] * n
        self.start = [math.nan] * n
        self.end = [math.nan] * n
        self.complete = [math.nan] * len(p.jobs)
        self.downtime: list[tuple[int, float, float]] = []
        self.waiting = [len(p.predecessors(o)) for o in range(n)]
        self.left = [len(j.operations) for j in p.jobs]
        self.released = [False] * len(p.jobs)
        self.taken = [False] * n
        self.queue: list[list[tuple[float, int]]] = [[] for _ in range(m)]
        self.idle: list[simpy.Event | None] = [None] * m
        self.family = list(p.initial_family)
        self.gap_ends = [[b for _, b in g] for g in p.unavailable]
        self.proc_rng = [random.Random(f"proc:{seed}:{k}") for k in range(m)]
        self.fail_rng = [random.Random(f"fail:{seed}:{k}") for k in range(m)]
        self.next_fail = [
            self.fail_rng[k].expovariate(1.0 / s.mtbf) if s.mtbf else math.inf
            for k, s in enumerate(model.machines)
        ]
        self.tail = self._tails() if policy == "mwkr" else []
        self.sequence: list[list[int]] = []
        self.planned: list[int] = []
        self.planned_machine: list[int] = []
        if policy == "schedule":
            if schedule is None or len(schedule.machines) != n:
                raise TwinError("policy 'schedule' needs a schedule with one entry per operation")
            self.sequence = [list(reversed(s)) for s in schedule.sequences(p)]
            self.planned = list(schedule.starts)
            self.planned_machine = list(schedule.machines)
        elif schedule is not None:
            raise TwinError(f"policy {policy!r} dispatches by itself; pass no schedule")

    def _tails(self) -> list[float]:
        p = self.p
        tail = [0.0] * p.num_operations
        for o in reversed(p.topological_order()):
            after = max((tail[s] for s in p.successors(o)), default=0.0)
            tail[o] = p.operations[o].min_duration + after
        return tail

    # -- readiness ----------------------------------------------------------------------------

    def _key(self, o: int, machine: int, now: float) -> float:
        pol = self.policy
        if pol == "fifo":
            return now
        if pol == "spt":
            return float(self.p.operations[o].duration_on(machine))
        if pol == "edd":
            due = self.p.jobs[self.p.operations[o].job].due
            return math.inf if due is None else float(due)
        return -self.tail[o]  # mwkr

    def make_ready(self, o: int) -> None:
        now = self.env.now
        self.ready[o] = now
        if self.policy == "schedule":
            self._wake(self.planned_machine[o])
            return
        woke = False
        for k, _ in self.p.operations[o].modes:
            heapq.heappush(self.queue[k], (self._key(o, k, now), o))
            if not woke and self.idle[k] is not None:
                self._wake(k)
                woke = True

    def _wake(self, k: int) -> None:
        ev = self.idle[k]
        if ev is not None:
            self.idle[k] = None
            ev.succeed()

    def releases(self) -> _Proc:
        env, p = self.env, self.p
        for j in sorted(range(len(p.jobs)), key=lambda j: (self.model.releases[j], j)):
            t = self.model.releases[j]
            if t > env.now:
                yield env.timeout(t - env.now)
            self.released[j] = True
            for o in p.jobs[j].operations:
                if self.waiting[o] == 0:
                    self.make_ready(o)

    # -- machines -----------------------------------------------------------------------------

    def _pick(self, k: int) -> int | None:
        q = self.queue[k]
        while q:
            _, o = heapq.heappop(q)
            if not self.taken[o]:
                return o
        return None

    def _sample(self, k: int, mean: float) -> float:
        cv = self.model.machines[k].cv
        if cv == 0 or mean == 0:
            return mean
        if cv == 1:
            return self.proc_rng[k].expovariate(1.0 / mean)
        shape = 1.0 / (cv * cv)
        return self.proc_rng[k].gammavariate(shape, mean / shape)

    def _fit(self, k: int, t: float, dur: float) -> float:
        gaps, ends = self.p.unavailable[k], self.gap_ends[k]
        i = bisect.bisect_right(ends, t)
        while i < len(gaps):
            a, b = gaps[i]
            if t + dur <= a:
                return t
            t = max(t, b)
            i += 1
        return t

    def _repair(self, k: int, at: float) -> float:
        """Record a failure at ``at``; return when the repair ends and draw the next failure."""
        spec = self.model.machines[k]
        rng = self.fail_rng[k]
        up = at + (rng.expovariate(1.0 / spec.mttr) if spec.mttr > 0 else 0.0)
        self.downtime.append((k, at, up))
        self.next_fail[k] = up + rng.expovariate(1.0 / spec.mtbf) if spec.mtbf else math.inf
        return up

    def machine_proc(self, k: int) -> _Proc:
        env, p = self.env, self.p
        planned = self.policy == "schedule"
        while True:
            if planned:
                if not self.sequence[k]:
                    return
                o = self.sequence[k].pop()
            else:
                picked = self._pick(k)
                if picked is None:
                    ev = self.idle[k] = env.event()
                    yield ev
                    continue
                o = picked
            self.taken[o] = True
            op = p.operations[o]
            mean = op.duration_on(k)
            setup = float(p.setup(k, self.family[k], op.setup_family)) if mean > 0 else 0.0
            setup_start = env.now
            if planned:
                # a plan changes over as soon as the machine is free, even before the
                # operation is ready (as the scheduler does), but not before the plan says
                setup_start = max(setup_start, self.planned[o] - setup)
                while math.isnan(self.ready[o]):
                    ev = self.idle[k] = env.event()
                    yield ev
            dur = self._sample(k, mean)
            start = self._fit(k, max(setup_start + setup, env.now), dur)
            while self.next_fail[k] <= start:
                up = self._repair(k, self.next_fail[k])
                if up > start:
                    start = self._fit(k, up, dur)
            end = start + dur
            while self.next_fail[k] < end:
                f = self.next_fail[k]
                end += self._repair(k, f) - f
            self.machine[o] = k
            self.setup_start[o] = start - setup
            self.start[o] = start
            if end > env.now:
                yield env.timeout(end - env.now)
            self.end[o] = end
            if mean > 0:
                self.family[k] = op.setup_family
            self._finish(o)

    def _finish(self, o: int) -> None:
        p = self.p
        j = p.operations[o].job
        self.left[j] -= 1
        if self.left[j] == 0:
            self.complete[j] = self.env.now
        for s in p.successors(o):
            self.waiting[s] -= 1
            if self.waiting[s] == 0 and self.released[j]:
                self.make_ready(s)


def simulate(
    model: TwinModel,
    policy: Policy = "fifo",
    *,
    seed: int = 0,
    horizon: float | None = None,
    schedule: Schedule | None = None,
) -> Trace:
    """Run ``model`` once under ``policy`` and return its :class:`Trace`.

    ``horizon`` stops the run at that time (default: when every job is done). The same model,
    policy and seed give the same trace. Raises :class:`TwinError` when ``policy`` is unknown
    or ``"schedule"`` comes without a fitting ``schedule``.
    """
    if policy not in POLICIES:
        raise TwinError(f"unknown policy {policy!r}; choose one of {', '.join(POLICIES)}")
    if horizon is not None and horizon <= 0:
        raise TwinError(f"horizon must be positive, got {horizon}")
    run = _Run(model, policy, seed, schedule)
    env = run.env
    env.process(run.releases())
    for k in range(model.problem.num_machines):
        env.process(run.machine_proc(k))
    events = _drive(env, math.inf if horizon is None else horizon)
    wall = time.perf_counter() - events[1]
    p = model.problem
    ends = [e for e in run.end if not math.isnan(e)]
    end = float(horizon) if horizon is not None else max(ends, default=0.0)
    for o, a in enumerate(run.setup_start):
        if a >= end and math.isnan(run.end[o]):  # committed to, but not begun by the horizon
            run.machine[o] = -1
            run.setup_start[o] = run.start[o] = math.nan
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
        events=events[0],
        wall_seconds=wall,
        seed=seed,
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
