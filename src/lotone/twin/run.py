"""The state of one simulation run and its SimPy processes (see :mod:`lotone.twin.engine`).

:class:`Run` owns everything that changes during a run: per operation its machine and times,
per machine its queue (a heap by the dispatching key), idle event, setup family, random
streams, next failure and, under a plan, its sequence. :meth:`Run.releases` and
:meth:`Run.machine_proc` are the processes; :mod:`lotone.twin.flow` (buffers),
:mod:`lotone.twin.crew` (operators) and :mod:`lotone.twin.rolling` (replanning) act on it.
"""

from __future__ import annotations

import bisect
import heapq
import math
import random
from collections.abc import Generator
from typing import Literal

import simpy

from lotone.schedule.schedule import Schedule
from lotone.twin.crew import Pools, acquire, attend
from lotone.twin.flow import Flow
from lotone.twin.model import TwinError, TwinModel
from lotone.twin.rolling import Rolling
from lotone.twin.shipping import draw

__all__ = ["POLICIES", "Policy", "Run"]

Policy = Literal["fifo", "spt", "edd", "mwkr", "schedule", "reschedule"]
POLICIES: tuple[Policy, ...] = ("fifo", "spt", "edd", "mwkr", "schedule", "reschedule")

_Proc = Generator[simpy.Event, object, None]


class Run:
    """The state of one run; owned by its environment's processes."""

    # slots: past ~30 attributes a plain instance dict makes every attribute access slower
    __slots__ = (
        "complete", "crew_since", "done", "downtime", "end", "env", "fail_rng", "family", "flow",
        "gap_ends", "idle", "leave", "left", "machine", "model", "next_fail", "p", "pending",
        "planned", "planned_machine", "planned_start", "policy", "pools", "proc_rng", "queue",
        "rand_fail", "ready", "released", "replans", "rolling", "rush", "rush_queue", "script",
        "scripted", "seed", "sequence", "setup_start", "start", "tail", "taken", "taken_at",
        "track_taken", "up_at", "waiting",
    )  # fmt: skip

    def __init__(
        self,
        model: TwinModel,
        policy: Policy,
        seed: int,
        schedule: Schedule | None,
        rolling: Rolling | None,
    ) -> None:
        self.model = model
        p = self.p = model.problem
        self.policy = policy
        self.seed = seed
        self.env = simpy.Environment()
        n, m = p.num_operations, p.num_machines
        self.machine = [-1] * n
        self.ready = [math.nan] * n
        self.taken_at = [math.nan] * n
        self.setup_start = [math.nan] * n
        self.start = [math.nan] * n
        self.end = [math.nan] * n
        self.leave = [math.nan] * n
        self.complete = [math.nan] * len(p.jobs)
        self.done = 0
        self.downtime: list[tuple[int, float, float]] = []
        self.scripted: list[bool] = []
        self.waiting = [len(p.predecessors(o)) for o in range(n)]
        self.left = [len(j.operations) for j in p.jobs]
        self.released = [False] * len(p.jobs)
        self.taken = [False] * n
        self.queue: list[list[tuple[float, int]]] = [[] for _ in range(m)]
        self.rush = model.rush
        self.rush_queue: list[list[tuple[float, int]]] = [[] for _ in range(m)]
        self.idle: list[simpy.Event | None] = [None] * m
        self.family = list(p.initial_family)
        self.gap_ends = [[b for _, b in g] for g in p.unavailable]
        self.proc_rng = [random.Random(f"proc:{seed}:{k}") for k in range(m)]
        self.fail_rng = [random.Random(f"fail:{seed}:{k}") for k in range(m)]
        self.rand_fail = [
            self.fail_rng[k].expovariate(1.0 / s.mtbf) if s.mtbf else math.inf
            for k, s in enumerate(model.machines)
        ]
        self.script: list[list[tuple[float, float]]] = [[] for _ in range(m)]
        for k, a, b in reversed(model.failures):
            self.script[k].append((a, b))
        self.next_fail = [
            min(self.rand_fail[k], self.script[k][-1][0] if self.script[k] else math.inf)
            for k in range(m)
        ]
        self.up_at = [0.0] * m
        self.pools = Pools(self.env, [pool.size for pool in model.pools])
        self.crew_since = [-1.0] * m  # when machine k took its crew (-1: holds none)
        self.flow = Flow(self) if model.buffers else None
        self.track_taken = self.flow is not None or bool(self.rush)  # for buffer and rush KPIs
        self.tail = self._tails() if policy == "mwkr" else []
        self.planned = policy in ("schedule", "reschedule")
        self.rolling = rolling if policy == "reschedule" else None
        self.sequence: list[list[int]] = [[] for _ in range(m)]
        self.planned_start = [0.0] * n
        self.planned_machine = [-1] * n
        self.pending = [-1] * m
        self.replans: list[tuple[float, int]] = []
        self._plan(schedule, rolling)

    def _plan(self, schedule: Schedule | None, rolling: Rolling | None) -> None:
        p, policy = self.p, self.policy
        if self.planned and self.flow is not None:
            raise TwinError(
                f"policy {policy!r} with limited buffers can deadlock (a plan's order may wait"
                " for a job stuck behind a full buffer): use a dispatching policy"
            )
        if policy == "schedule":
            if schedule is None or len(schedule.machines) != p.num_operations:
                raise TwinError("policy 'schedule' needs a schedule with one entry per operation")
            self.sequence = [list(reversed(s)) for s in schedule.sequences(p)]
            self.planned_start = [float(s) for s in schedule.starts]
            self.planned_machine = list(schedule.machines)
        elif schedule is not None:
            raise TwinError(f"policy {policy!r} makes its own plans; pass no schedule")
        if policy == "reschedule" and rolling is None:
            raise TwinError("policy 'reschedule' needs a Rolling (period, solver time limit)")
        if policy != "reschedule" and rolling is not None:
            raise TwinError(f"a Rolling horizon goes with policy 'reschedule', not {policy!r}")

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
        """Operation ``o`` is ready now: queue it and wake a machine for it."""
        now = self.env.now
        self.ready[o] = now
        if self.planned:
            k = self.planned_machine[o]
            if k >= 0:
                self.wake(k)
            return
        queues = self.queue
        if self.rush and self.p.operations[o].job in self.rush:
            queues = self.rush_queue
        woke = False
        for k, _ in self.p.operations[o].modes:
            heapq.heappush(queues[k], (self._key(o, k, now), o))
            if not woke and self.idle[k] is not None:
                self.wake(k)
                woke = True

    def wake(self, k: int) -> None:
        """Wake machine ``k`` if it waits."""
        ev = self.idle[k]
        if ev is not None:
            self.idle[k] = None
            ev.succeed()

    def releases(self) -> _Proc:
        """Release every job at its time; its first operations become ready (or queue up)."""
        env, p, flow = self.env, self.p, self.flow
        for j in sorted(range(len(p.jobs)), key=lambda j: (self.model.releases[j], j)):
            t = self.model.releases[j]
            if t > env.now:
                yield env.timeout(t - env.now)
            self.released[j] = True
            for o in p.jobs[j].operations:
                if self.waiting[o] == 0:
                    if flow is None:
                        self.make_ready(o)
                    else:
                        flow.offer(o, -1)

    # -- machines -----------------------------------------------------------------------------

    def _first_ready(self, seq: list[int]) -> int:
        """Take the first operation of ``seq`` (kept reversed) that is ready, else its head."""
        ready = self.ready
        for i in range(len(seq) - 1, -1, -1):
            if not math.isnan(ready[seq[i]]):
                return seq.pop(i)
        return seq.pop()

    def _await(self, k: int, o: int, seq: list[int]) -> Generator[simpy.Event, object, bool]:
        """Under a plan, wait until ``o`` is ready; False when a new plan took it back or,
        rolling, a later operation of ``seq`` became ready first (``o`` goes back on top)."""
        ready = self.ready
        self.pending[k] = o
        while math.isnan(ready[o]) and self.pending[k] == o:
            ev = self.idle[k] = self.env.event()
            yield ev
            if (
                self.rolling is not None
                and self.pending[k] == o
                and math.isnan(ready[o])
                and any(not math.isnan(ready[x]) for x in seq)
            ):
                seq.append(o)
                self.pending[k] = -1
        if self.pending[k] != o:
            self.taken[o] = False
            self.machine[o] = -1
            return False
        self.pending[k] = -1
        return True

    def _pick(self, k: int) -> int | None:
        if self.rush:
            q = self.rush_queue[k]
            while q:
                _, o = heapq.heappop(q)
                if not self.taken[o]:
                    return o
        q = self.queue[k]
        while q:
            _, o = heapq.heappop(q)
            if not self.taken[o]:
                return o
        return None

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

    def repair(self, k: int, at: float) -> float:
        """Record the failure of ``k`` at ``at``; return when the repair ends; next failure."""
        spec = self.model.machines[k]
        script = self.script[k]
        rng = self.fail_rng[k]
        scripted = bool(script) and script[-1][0] <= at
        if scripted:
            up = script.pop()[1]
        else:
            up = at + (rng.expovariate(1.0 / spec.mttr) if spec.mttr > 0 else 0.0)
            self.rand_fail[k] = up + rng.expovariate(1.0 / spec.mtbf) if spec.mtbf else math.inf
        self.downtime.append((k, at, up))
        self.scripted.append(scripted)
        self.up_at[k] = max(self.up_at[k], up)
        while script and script[-1][0] < up:  # a failure due during a repair starts after it
            b = script.pop()[1]
            if b > up:
                script.append((up, b))
                break
        if self.rand_fail[k] < up and spec.mtbf:
            self.rand_fail[k] = up + rng.expovariate(1.0 / spec.mtbf)
        self.next_fail[k] = min(self.rand_fail[k], script[-1][0] if script else math.inf)
        return up

    def machine_proc(self, k: int) -> _Proc:
        """Machine ``k``: take, change over, (crew,) process, (blocked,) finish; forever."""
        env, p = self.env, self.p
        planned, flow = self.planned, self.flow
        spec = self.model.machines[k]
        crew, cv, rng = spec.crew, spec.cv, self.proc_rng[k]
        next_fail, up_at = self.next_fail, self.up_at
        track = self.track_taken
        while True:
            if planned:
                seq = self.sequence[k]
                if not seq:
                    if self.rolling is None:
                        return
                    ev = self.idle[k] = env.event()
                    yield ev
                    continue
                o = seq.pop() if self.rolling is None else self._first_ready(seq)
            else:
                picked = self._pick(k)
                if picked is None:
                    ev = self.idle[k] = env.event()
                    if flow is not None:
                        flow.idle(k)
                    yield ev
                    continue
                o = picked
                if track:
                    self.taken_at[o] = env.now
                    if flow is not None:
                        flow.taken(o)
            now = env.now
            self.taken[o] = True
            self.machine[o] = k
            op = p.operations[o]
            mean = op.duration_on(k)
            setup = float(p.setup(k, self.family[k], op.setup_family)) if mean > 0 else 0.0
            setup_start = now
            if planned:
                # a plan changes over as soon as the machine is free, even before the
                # operation is ready (as the scheduler does), but not before the plan says;
                # a rolling plan gives the order only (its solver leaves slack where it costs
                # nothing, and waiting for it would idle the floor)
                if self.rolling is None:
                    setup_start = max(setup_start, self.planned_start[o] - setup)
                if not (yield from self._await(k, o, seq)):
                    continue
                now = max(env.now, up_at[k])  # a replan may have seen it fail while idle
            dur = draw(rng, mean, cv)
            earliest = max(setup_start + setup, now)
            if crew is None or mean == 0 or (setup == 0 and not crew.attends_run):
                held = None
                start = self._fit(k, earliest, dur)
                while next_fail[k] <= start:
                    up = self.repair(k, next_fail[k])
                    if up > start:
                        start = self._fit(k, up, dur)
            else:
                held = crew
                start = yield from acquire(self, k, crew, earliest, setup, dur)
            end = start + dur
            while next_fail[k] < end:
                f = next_fail[k]
                end += self.repair(k, f) - f
            self.setup_start[o] = start - setup
            self.start[o] = start
            if held is None:
                if end > env.now:
                    yield env.timeout(end - env.now)
            else:
                yield from attend(self, k, held, start, end)
            self.end[o] = end
            if mean > 0:
                self.family[k] = op.setup_family
            if flow is None:
                self._finish(o)
            else:
                blocked = flow.finish(o, k)
                if blocked is not None:
                    yield blocked
                self.leave[o] = max(end, env.now)

    def place(self, k: int, t: float, dur: float) -> float:
        """The start of ``dur`` processing on ``k`` at ``t`` or later: calendar and failures."""
        start = self._fit(k, max(t, self.up_at[k]), dur)
        while self.next_fail[k] <= start:
            up = self.repair(k, self.next_fail[k])
            if up > start:
                start = self._fit(k, up, dur)
        return start

    def _finish(self, o: int) -> None:
        """``o`` ended: its job may complete, its successors become ready."""
        p = self.p
        j = p.operations[o].job
        self.left[j] -= 1
        if self.left[j] == 0:
            self.complete[j] = self.env.now
            self.done += 1
        for s in p.successors(o):
            self.waiting[s] -= 1
            if self.waiting[s] == 0 and self.released[j]:
                self.make_ready(s)
