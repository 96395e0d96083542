"""The state of one simulation run and its SimPy processes (see :mod:`lotone.twin.engine`).

:class:`Run` owns everything that changes during a run: per operation its machine and times,
per machine its lanes of ready operations (:mod:`lotone.twin.lanes`: heaps by the dispatching
key, shared by interchangeable machines), idle event, setup family, random streams, next
failure and, under a plan, its sequence. :meth:`Run.releases` and
:func:`lotone.twin.machine.machine` are the processes; :mod:`lotone.twin.flow` (buffers),
:mod:`lotone.twin.crew` (operators) and :mod:`lotone.twin.rolling` (replanning) act on it.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Generator
from heapq import heappop, heappush
from typing import Literal

import simpy

from lotone.schedule.schedule import Schedule
from lotone.twin.crew import Pools
from lotone.twin.flow import Flow
from lotone.twin.lanes import lanes
from lotone.twin.model import TwinError, TwinModel
from lotone.twin.rolling import Rolling

__all__ = ["POLICIES", "Policy", "Run"]

Policy = Literal["fifo", "spt", "edd", "mwkr", "schedule", "reschedule"]
POLICIES: tuple[Policy, ...] = ("fifo", "spt", "edd", "mwkr", "schedule", "reschedule")

_Proc = Generator[simpy.Event, object, None]
_Heap = list[tuple[float, int]]


def _head(lanes: list[tuple[_Heap, float]]) -> int | None:
    """Pop and return the least ``(key + bias, op)`` of the lanes' heads (None: all empty)."""
    best: tuple[float, int] | None = None
    pick: _Heap | None = None
    for heap, bias in lanes:
        if heap:
            key, o = heap[0]
            if best is None or (key + bias, o) < best:
                best, pick = (key + bias, o), heap
    return None if pick is None else heappop(pick)[1]


class Run:
    """The state of one run; owned by its environment's processes."""

    # slots: past ~30 attributes a plain instance dict makes every attribute access slower
    __slots__ = (
        "complete", "crew_since", "done", "downtime", "end", "env", "fail_rng", "family", "flow",
        "gap_ends", "idle", "key", "lane_machines", "lane_of", "lanes", "leave", "left",
        "machine", "machine_lanes", "machine_rush", "model", "next_fail", "op_job", "p",
        "pending", "planned", "planned_machine", "planned_start", "policy", "pools", "rand_fail",
        "ready", "released", "replans", "rolling", "rush", "rush_lanes", "script", "scripted",
        "seed", "sequence", "setup_start", "start", "succs", "tail", "taken", "taken_at",
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
        self.op_job = [op.job for op in p.operations]
        self.succs = list(map(p.successors, range(n)))
        self.rush = model.rush
        self.idle: list[simpy.Event | None] = [None] * m
        self.family = list(p.initial_family)
        # floats: bisecting a float among ints takes the slow mixed comparison
        self.gap_ends = [[float(b) for _, b in g] for g in p.unavailable]
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
        self._lanes()
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

    def _lanes(self) -> None:
        """Dispatching lanes (:mod:`lotone.twin.lanes`); none under a plan."""
        self.lanes: list[_Heap] = []
        self.rush_lanes: list[_Heap] = []
        self.machine_lanes: list[list[tuple[_Heap, float]]] = []
        self.machine_rush: list[list[tuple[_Heap, float]]] = []
        self.lane_of: tuple[int, ...] = ()
        self.lane_machines: tuple[tuple[int, ...], ...] = ()
        self.key: tuple[float, ...] | None = None
        if self.planned:
            return
        ln = lanes(self.p, self.policy, self.tail)
        self.lane_of, self.lane_machines, self.key = ln.lane_of, ln.machines, ln.key
        self.lanes = [[] for _ in ln.machines]
        self.rush_lanes = [[] for _ in ln.machines] if self.rush else []
        self.machine_lanes = [[(self.lanes[g], b) for g, b in ml] for ml in ln.machine_lanes]
        if self.rush:
            self.machine_rush = [
                [(self.rush_lanes[g], b) for g, b in ml] for ml in ln.machine_lanes
            ]

    def make_ready(self, o: int) -> None:
        """Operation ``o`` is ready now: queue it and wake a machine for it."""
        now = self.env.now
        self.ready[o] = now
        if self.planned:
            k = self.planned_machine[o]
            if k >= 0:
                self.wake(k)
            return
        g = self.lane_of[o]
        key = self.key
        rush = self.rush
        heappush(
            self.rush_lanes[g] if rush and self.op_job[o] in rush else self.lanes[g],
            (now if key is None else key[o], o),
        )
        idle = self.idle
        for k in self.lane_machines[g]:
            ev = idle[k]
            if ev is not None:
                idle[k] = None
                ev.succeed()
                return

    def wake(self, k: int) -> None:
        """Wake machine ``k`` if it waits."""
        ev = self.idle[k]
        if ev is not None:
            self.idle[k] = None
            ev.succeed()

    def releases(self) -> _Proc:
        """Release every job at its time; its first operations become ready (or queue up)."""
        env, p, flow = self.env, self.p, self.flow
        at, released, waiting = self.model.releases, self.released, self.waiting
        for j in sorted(range(len(p.jobs)), key=at.__getitem__):  # stable: ties by index
            t = at[j]
            now = env.now
            if t > now:
                yield env.timeout(t - now)
            released[j] = True
            for o in p.jobs[j].operations:
                if waiting[o] == 0:
                    if flow is None:
                        self.make_ready(o)
                    else:
                        flow.offer(o, -1)

    # -- machines -----------------------------------------------------------------------------

    def first_ready(self, seq: list[int]) -> int:
        """Take the first operation of ``seq`` (kept reversed) that is ready, else its head."""
        ready = self.ready
        for i in range(len(seq) - 1, -1, -1):
            if not math.isnan(ready[seq[i]]):
                return seq.pop(i)
        return seq.pop()

    def await_ready(self, k: int, o: int, seq: list[int]) -> Generator[simpy.Event, object, bool]:
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

    def pick(self, k: int) -> int | None:
        """The next operation for machine ``k``: the least ``(key + bias, op)`` of its lanes'
        heads, rush lanes first."""
        if self.rush:
            o = _head(self.machine_rush[k])
            if o is not None:
                return o
        ml = self.machine_lanes[k]
        if len(ml) == 1:
            heap = ml[0][0]
            return heappop(heap)[1] if heap else None
        return _head(ml)

    def fit(self, k: int, t: float, dur: float) -> float:
        """The first start at ``t`` or later where ``dur`` fits an open window of ``k``."""
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

    def place(self, k: int, t: float, dur: float) -> float:
        """The start of ``dur`` processing on ``k`` at ``t`` or later: calendar and failures."""
        start = self.fit(k, max(t, self.up_at[k]), dur)
        while self.next_fail[k] <= start:
            up = self.repair(k, self.next_fail[k])
            if up > start:
                start = self.fit(k, up, dur)
        return start
