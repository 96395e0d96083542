"""KPIs of the floor's shared resources, pure functions of a trace: operators and buffers.

- :func:`operator_utilization`: per pool, operator time held over the pool's capacity
  (``size * period``);
- :func:`blocking_share`: per machine, the time it held a finished job because the buffer
  downstream was full, over the period;
- :func:`levels`: the step curve of a count over time from ``(from, to, amount)`` spans, and
  :func:`buffer_levels` / :func:`crew_levels`, the peak and time-average occupancy of every
  buffer and the peak number of operators at work per pool (the invariants the tests check:
  never above the capacity).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from itertools import pairwise

from lotone.twin.trace import Trace

__all__ = ["blocking_share", "buffer_levels", "crew_levels", "levels", "operator_utilization"]


def _clip(a: float, b: float, end: float) -> float:
    return max(0.0, min(b, end) - min(a, end))


def operator_utilization(trace: Trace) -> dict[str, float]:
    """Per pool name: operator-time held over ``size * period`` (empty without pools)."""
    held = [0.0] * len(trace.pool_names)
    for pool, count, a, b in trace.crew:
        held[pool] += count * _clip(a, b, trace.end)
    return {
        name: (h / (size * trace.end) if trace.end > 0 else 0.0)
        for name, size, h in zip(trace.pool_names, trace.pool_sizes, held, strict=True)
    }


def blocking_share(trace: Trace) -> dict[str, float]:
    """Per machine name: time blocked after processing over the period (empty w/o buffers)."""
    if not trace.buffer_names:
        return {}
    blocked = [0.0] * trace.num_machines
    for m, e, left in zip(trace.op_machine, trace.op_end, trace.op_leave, strict=True):
        if m >= 0 and not math.isnan(e):
            blocked[m] += _clip(e, trace.end if math.isnan(left) else left, trace.end)
    end = trace.end
    return {
        n: (b / end if end > 0 else 0.0) for n, b in zip(trace.machine_names, blocked, strict=True)
    }


def levels(spans: Iterable[tuple[float, float, int]]) -> list[tuple[float, int]]:
    """``(time, level)`` at every change of the sum of ``amount`` over spans ``[from, to)``.

    Empty spans count nothing; at equal times, ends come before starts.
    """
    deltas: list[tuple[float, int]] = []
    for a, b, amount in spans:
        if b > a:
            deltas += [(a, amount), (b, -amount)]
    deltas.sort()
    out, level = [], 0
    for t, d in deltas:
        level += d
        out.append((t, level))
    return out


def _peak_and_mean(curve: Sequence[tuple[float, int]], end: float) -> tuple[int, float]:
    peak = max((lvl for _, lvl in curve), default=0)
    area = sum(lvl * (min(t1, end) - min(t0, end)) for (t0, lvl), (t1, _) in pairwise(curve))
    return peak, (area / end if end > 0 else 0.0)


def buffer_levels(trace: Trace) -> dict[str, tuple[int, float]]:
    """Per buffer: (peak, time-average) operations waiting in it (entered, not yet taken)."""
    spans: list[list[tuple[float, float, int]]] = [[] for _ in trace.buffer_names]
    for o, b in enumerate(trace.op_buffer):
        r = trace.op_ready[o]
        if b >= 0 and not math.isnan(r):
            taken = trace.op_taken[o]
            spans[b].append((r, trace.end if math.isnan(taken) else taken, 1))
    return {
        name: _peak_and_mean(levels(s), trace.end)
        for name, s in zip(trace.buffer_names, spans, strict=True)
    }


def crew_levels(trace: Trace) -> dict[str, int]:
    """Per pool: the most operators at work at once."""
    spans: list[list[tuple[float, float, int]]] = [[] for _ in trace.pool_names]
    for pool, count, a, b in trace.crew:
        spans[pool].append((a, b, count))
    return {
        name: max((lvl for _, lvl in levels(s)), default=0)
        for name, s in zip(trace.pool_names, spans, strict=True)
    }
