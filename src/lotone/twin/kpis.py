"""KPIs as pure functions of event traces (:class:`~lotone.twin.trace.Trace`).

Times are in the problem's unit (seconds for factories); rates are per hour of that unit
(``3600`` units). Utilization is processing time over the observed period ``[0, trace.end]``;
the setup share is changeover time over the same period; the *active* share (processing +
changeover + repair) decides the bottleneck (the machine with the highest active share, with
its queue waiting as evidence). Lead times and on-time are counted to *delivery* (completion
when nothing is shipped). Several replications pool their lead times and average the per-run
shares (:func:`summarize`); operator and buffer KPIs come from :mod:`lotone.twin.floor_kpis`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from lotone.twin.floor_kpis import blocking_share, buffer_levels, operator_utilization
from lotone.twin.trace import Trace

__all__ = [
    "Bottleneck",
    "Kpis",
    "active_share",
    "bottleneck",
    "delivery_promise",
    "lead_times",
    "on_time_rate",
    "quantile",
    "queue_waiting",
    "setup_share",
    "summarize",
    "throughput",
    "utilization",
    "waiting_times",
    "wip",
]

HOUR = 3600.0


def quantile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0..1) by linear interpolation; ``nan`` for no values."""
    if not values:
        return math.nan
    xs = sorted(values)
    pos = q * (len(xs) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def lead_times(trace: Trace, warmup: float = 0.0) -> list[float]:
    """Delivery minus release of every delivered job released at or after ``warmup``."""
    return [
        c - r
        for r, c in zip(trace.job_release, trace.delivered, strict=True)
        if not math.isnan(c) and r >= warmup
    ]


def waiting_times(trace: Trace, warmup: float = 0.0) -> list[float]:
    """Per started operation ready at or after ``warmup``: start of changeover minus ready."""
    return [
        s - r
        for r, s in zip(trace.op_ready, trace.op_setup_start, strict=True)
        if not math.isnan(s) and r >= warmup
    ]


def throughput(trace: Trace) -> float:
    """Completed jobs per hour over the observed period."""
    done = sum(1 for c in trace.job_complete if not math.isnan(c))
    return done / trace.end * HOUR if trace.end > 0 else 0.0


def _clip(a: float, b: float, end: float) -> float:
    return max(0.0, min(b, end) - min(a, end))


def utilization(trace: Trace) -> dict[str, float]:
    """Per machine name: processing time (repairs excluded) over the observed period."""
    busy = [0.0] * trace.num_machines
    spans: list[list[tuple[float, float]]] = [[] for _ in range(trace.num_machines)]
    for m, s, e in zip(trace.op_machine, trace.op_start, trace.op_end, strict=True):
        if m >= 0:
            e = trace.end if math.isnan(e) else e
            busy[m] += _clip(s, e, trace.end)
            spans[m].append((s, min(e, trace.end)))
    for m, a, b in trace.downtime:  # a repair during processing is down time, not busy time
        busy[m] -= sum(max(0.0, min(b, e) - max(a, s)) for s, e in spans[m])
    return _per_machine(trace, busy)


def setup_share(trace: Trace) -> dict[str, float]:
    """Per machine name: changeover time over the observed period."""
    setup = [0.0] * trace.num_machines
    for m, a, s in zip(trace.op_machine, trace.op_setup_start, trace.op_start, strict=True):
        if m >= 0:
            setup[m] += _clip(a, s, trace.end)
    return _per_machine(trace, setup)


def active_share(trace: Trace) -> dict[str, float]:
    """Per machine name: processing, changeover and repair time over the observed period."""
    down = [0.0] * trace.num_machines
    for m, a, b in trace.downtime:
        down[m] += _clip(a, b, trace.end)
    u, s = utilization(trace), setup_share(trace)
    return {
        name: min(1.0, u[name] + s[name] + down[k] / trace.end if trace.end > 0 else 0.0)
        for k, name in enumerate(trace.machine_names)
    }


def _per_machine(trace: Trace, values: Sequence[float]) -> dict[str, float]:
    end = trace.end
    return {
        n: (v / end if end > 0 else 0.0) for n, v in zip(trace.machine_names, values, strict=True)
    }


def queue_waiting(trace: Trace) -> dict[str, float]:
    """Per machine name: mean time its operations waited between ready and changeover."""
    total = [0.0] * trace.num_machines
    count = [0] * trace.num_machines
    for m, r, s in zip(trace.op_machine, trace.op_ready, trace.op_setup_start, strict=True):
        if m >= 0:
            total[m] += s - r
            count[m] += 1
    return {
        n: (t / c if c else 0.0) for n, t, c in zip(trace.machine_names, total, count, strict=True)
    }


def wip(trace: Trace) -> float:
    """Time-average number of released, unfinished jobs over the observed period."""
    end = trace.end
    if end <= 0:
        return 0.0
    area = sum(
        _clip(r, end if math.isnan(c) else c, end)
        for r, c in zip(trace.job_release, trace.job_complete, strict=True)
    )
    return area / end


def on_time_rate(trace: Trace) -> float | None:
    """Share of jobs due within the observed period that were delivered by their due date.

    A job due by ``trace.end`` and not delivered counts as late; jobs due later count once
    delivered (on time). ``None`` when no job qualifies.
    """
    on_time = late = 0
    for c, d in zip(trace.delivered, trace.job_due, strict=True):
        if d is None:
            continue
        if not math.isnan(c) and c <= d:
            on_time += 1
        elif d <= trace.end:
            late += 1
    return on_time / (on_time + late) if on_time + late else None


@dataclass(frozen=True, slots=True)
class Bottleneck:
    """The machine with the highest active share, and the evidence."""

    machine: str
    active_share: float
    utilization: float
    setup_share: float
    mean_wait: float
    runner_up: str | None
    runner_up_share: float


def bottleneck(traces: Sequence[Trace]) -> Bottleneck:
    """The bottleneck over replications (mean active share per machine)."""
    act = _mean_maps([active_share(t) for t in traces])
    ranked = sorted(act, key=lambda n: (-act[n], n))
    top = ranked[0]
    second = ranked[1] if len(ranked) > 1 else None
    return Bottleneck(
        machine=top,
        active_share=act[top],
        utilization=_mean_maps([utilization(t) for t in traces])[top],
        setup_share=_mean_maps([setup_share(t) for t in traces])[top],
        mean_wait=_mean_maps([queue_waiting(t) for t in traces])[top],
        runner_up=second,
        runner_up_share=act[second] if second else 0.0,
    )


def delivery_promise(traces: Sequence[Trace], q: float = 0.9) -> float:
    """The ``q`` quantile of lead time under the simulated load: promise ``release + this``."""
    return quantile([x for t in traces for x in lead_times(t)], q)


def _mean_maps(maps: Sequence[dict[str, float]]) -> dict[str, float]:
    return {k: sum(m[k] for m in maps) / len(maps) for k in maps[0]} if maps else {}


@dataclass(frozen=True, slots=True)
class Kpis:
    """The KPIs of one or several replications (see :func:`summarize`)."""

    lead_time_mean: float
    lead_time_p50: float
    lead_time_p95: float
    throughput: float
    utilization: dict[str, float]
    setup_share: dict[str, float]
    wip: float
    on_time_rate: float | None
    bottleneck: Bottleneck
    delivery_promise_p90: float
    completed: int
    jobs: int
    events: int
    events_per_second: float
    operators: dict[str, float] = field(default_factory=dict)
    blocking: dict[str, float] = field(default_factory=dict)
    buffers: dict[str, tuple[int, float]] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        """The ``lotone twin run --json`` object (times in hours).

        The contract's keys always; ``operators`` (pool -> utilization) when the model has
        operator pools, ``blocking`` (machine -> blocked share) and ``buffers`` (buffer ->
        ``{peak, mean}`` waiting operations) when it has limited buffers.
        """
        out: dict[str, object] = {
            "lead_time": {
                "mean": _hours(self.lead_time_mean),
                "p50": _hours(self.lead_time_p50),
                "p95": _hours(self.lead_time_p95),
            },
            "throughput": round(self.throughput, 4),
            "utilization": {k: round(v, 4) for k, v in self.utilization.items()},
            "bottleneck": self.bottleneck.machine,
            "on_time_rate": None if self.on_time_rate is None else round(self.on_time_rate, 4),
            "events": self.events,
            "events_per_second": round(self.events_per_second),
        }
        if self.operators:
            out["operators"] = {k: round(v, 4) for k, v in self.operators.items()}
        if self.buffers:
            out["blocking"] = {k: round(v, 4) for k, v in self.blocking.items()}
            out["buffers"] = {
                k: {"peak": peak, "mean": round(mean, 4)}
                for k, (peak, mean) in self.buffers.items()
            }
        return out


def _hours(x: float) -> float | None:
    return None if math.isnan(x) else round(x / HOUR, 4)


def summarize(traces: Sequence[Trace]) -> Kpis:
    """Pooled lead times, mean per-run shares and rates, summed events, over ``traces``."""
    if not traces:
        raise ValueError("summarize needs at least one trace")
    lts = [x for t in traces for x in lead_times(t)]
    ot = [r for r in (on_time_rate(t) for t in traces) if r is not None]
    wall = sum(t.wall_seconds for t in traces)
    events = sum(t.events for t in traces)
    return Kpis(
        lead_time_mean=sum(lts) / len(lts) if lts else math.nan,
        lead_time_p50=quantile(lts, 0.5),
        lead_time_p95=quantile(lts, 0.95),
        throughput=sum(throughput(t) for t in traces) / len(traces),
        utilization=_mean_maps([utilization(t) for t in traces]),
        setup_share=_mean_maps([setup_share(t) for t in traces]),
        wip=sum(wip(t) for t in traces) / len(traces),
        on_time_rate=sum(ot) / len(ot) if ot else None,
        bottleneck=bottleneck(traces),
        delivery_promise_p90=delivery_promise(traces),
        completed=len(lts),
        jobs=sum(len(t.job_release) for t in traces),
        events=events,
        events_per_second=events / wall if wall > 0 else 0.0,
        operators=_mean_maps([operator_utilization(t) for t in traces]),
        blocking=_mean_maps([blocking_share(t) for t in traces]),
        buffers=_buffers(traces),
    )


def _buffers(traces: Sequence[Trace]) -> dict[str, tuple[int, float]]:
    per_run = [buffer_levels(t) for t in traces]
    return {
        k: (max(r[k][0] for r in per_run), sum(r[k][1] for r in per_run) / len(per_run))
        for k in per_run[0]
    }
