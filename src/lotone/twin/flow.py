"""Limited buffers during a run: admission, waiting lines and blocking after service.

An operation whose work center has a limited :class:`~lotone.twin.resources.Buffer` becomes
ready only once it is *in* the buffer. It enters when the buffer holds fewer than its capacity
waiting operations, or when one of its eligible machines is idle (it passes straight to it, so
a buffer of capacity 0 still lets work through an idle machine). Otherwise it waits in the
buffer's line: held by the upstream machine that finished its predecessor (that machine is
*blocked* until every such successor has entered), or, for a job's first operations, in the
order backlog. A place frees when a machine takes an operation off the buffer, or when one of
its machines goes idle; the line is then served in order (an operation that only an idle
machine could take may pass the ones before it). A job that moves on within one work center
(from one of its machines to its next operation there) never left it and takes no place: the
buffer limits what arrives from elsewhere (and re-entry into a full buffer would deadlock).

Blocking can deadlock a shop whose routes go back and forth between buffered work centers;
:func:`lotone.twin.engine.simulate` refuses such a run with the blocked machines named.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

import simpy

if TYPE_CHECKING:
    from lotone.twin.run import Run

__all__ = ["Flow"]


class Flow:
    """The buffers of one run (see the module docstring)."""

    def __init__(self, run: Run) -> None:
        self.run = run
        model = run.model
        self.cap = [b.capacity for b in model.buffers]
        self.count = [0] * len(self.cap)
        self.line: list[deque[int]] = [deque() for _ in self.cap]
        self.op_buffer = model.op_buffer
        self.waited_in = list(model.op_buffer)  # the buffer each operation took a place in
        self.machine_buffer = [spec.buffer for spec in model.machines]
        self.machines: list[list[int]] = [[] for _ in self.cap]
        for k, b in enumerate(self.machine_buffer):
            if b >= 0:
                self.machines[b].append(k)
        self.holder: dict[int, int] = {}
        self.pending = [0] * len(model.machines)
        self.block: list[simpy.Event | None] = [None] * len(model.machines)

    def _room(self, o: int) -> bool:
        b = self.op_buffer[o]
        if self.count[b] < self.cap[b]:
            return True
        idle = self.run.idle
        return any(idle[k] is not None for k, _ in self.run.p.operations[o].modes)

    def _enter(self, o: int) -> None:
        self.count[self.op_buffer[o]] += 1
        self.run.make_ready(o)
        k = self.holder.pop(o, -1)
        if k >= 0:
            self.pending[k] -= 1
            ev = self.block[k]
            if self.pending[k] == 0 and ev is not None:
                self.block[k] = None
                ev.succeed()

    def offer(self, o: int, holder: int) -> bool:
        """Move the ready operation ``o`` into its buffer, or into the line (False)."""
        b = self.op_buffer[o]
        if b < 0 or (holder >= 0 and self.machine_buffer[holder] == b):
            self.waited_in[o] = -1
            self.run.make_ready(o)
            return True
        if self._room(o):
            self._enter(o)
            return True
        self.line[b].append(o)
        self.holder[o] = holder
        return False

    def finish(self, o: int, k: int) -> simpy.Event | None:
        """``o`` ended on ``k``: as in :func:`lotone.twin.machine.machine`, but ready successors
        go to their buffers; the event that unblocks ``k`` when some must wait."""
        run = self.run
        p = run.p
        j = p.operations[o].job
        run.left[j] -= 1
        if run.left[j] == 0:
            run.complete[j] = run.env.now
            run.done += 1
        held = 0
        for s in p.successors(o):
            run.waiting[s] -= 1
            if run.waiting[s] == 0 and run.released[j] and not self.offer(s, k):
                held += 1
        if not held:
            return None
        self.pending[k] = held
        ev = self.block[k] = run.env.event()
        return ev

    def taken(self, o: int) -> None:
        """A machine took ``o`` off its queue: if it was in a buffer, a place is free."""
        b = self.waited_in[o]
        if b >= 0:
            self.count[b] -= 1
            self._serve(b)

    def idle(self, k: int) -> None:
        """Machine ``k`` went idle: what waits for it may pass."""
        b = self.machine_buffer[k]
        if b >= 0 and self.line[b]:
            self._serve(b)

    def _serve(self, b: int) -> None:
        line = self.line[b]
        while line and self.count[b] < self.cap[b]:
            self._enter(line.popleft())
        if not line:
            return
        idle = self.run.idle
        if all(idle[k] is None for k in self.machines[b]):
            return
        rest: deque[int] = deque()
        while line:
            o = line.popleft()
            if self._room(o):
                self._enter(o)
            else:
                rest.append(o)
        self.line[b] = rest

    def stuck(self) -> list[int]:
        """The machines still blocked (after the run: a deadlock)."""
        return [k for k, n in enumerate(self.pending) if n > 0]
