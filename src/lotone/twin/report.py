"""A self-contained HTML report of a twin run: KPIs, Gantt, utilization, lead times, WIP.

Plots are PNGs drawn with matplotlib (the ``plot`` extra, imported lazily) and embedded as
base64, so the report is one file. Models with operator pools add their utilization, models
with limited buffers the share of time each machine was blocked.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
from collections.abc import Sequence
from typing import Any

from lotone.twin.kpis import HOUR, Kpis, lead_times
from lotone.twin.model import TwinError
from lotone.twin.trace import Trace

__all__ = ["report_html", "wip_curve"]


def wip_curve(trace: Trace) -> list[tuple[float, int]]:
    """``(time, jobs released and not completed)`` at every change, from time 0."""
    deltas: list[tuple[float, int]] = [(r, 1) for r in trace.job_release if r <= trace.end]
    deltas += [(c, -1) for c in trace.job_complete if not math.isnan(c)]
    deltas.sort()
    level, out = 0, [(0.0, 0)]
    for t, d in deltas:
        level += d
        out.append((t, level))
    return out


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise TwinError("the report needs matplotlib: pip install 'lotone[plot]'") from None
    return plt


def _png(fig: Any) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _plots(kpis: Kpis, traces: Sequence[Trace]) -> list[tuple[str, str]]:
    plt = _pyplot()
    out = []
    tr = traces[0]
    fig, ax = plt.subplots(figsize=(11, 0.3 * tr.num_machines + 1.5))
    for m, a, s, e in zip(tr.op_machine, tr.op_setup_start, tr.op_start, tr.op_end, strict=True):
        if m < 0:
            continue
        e = tr.end if math.isnan(e) else min(e, tr.end)
        s = min(s, tr.end)
        ax.broken_barh([(s / HOUR, (e - s) / HOUR)], (m - 0.4, 0.8), color="tab:blue")
        if s > a:
            ax.broken_barh([(a / HOUR, (s - a) / HOUR)], (m - 0.4, 0.8), color="tab:orange")
    for m, a, b in tr.downtime:
        ax.broken_barh([(a / HOUR, (b - a) / HOUR)], (m - 0.4, 0.8), color="tab:red")
    ax.set_yticks(range(tr.num_machines), tr.machine_names)
    ax.set_xlabel("hours (blue: processing, orange: changeover, red: repair)")
    out.append(("Gantt of replication 1", _png(fig)))
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(9, 3.5))
    names = list(kpis.utilization)
    ax.bar(names, [kpis.utilization[n] for n in names], label="processing")
    ax.bar(
        names,
        [kpis.setup_share[n] for n in names],
        bottom=[kpis.utilization[n] for n in names],
        label="changeover",
    )
    ax.tick_params(axis="x", rotation=60)
    ax.set_ylabel("share of time")
    ax.legend()
    out.append(("Utilization per machine", _png(fig)))
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.hist([x / HOUR for t in traces for x in lead_times(t)], bins=40)
    ax.set_xlabel("lead time (hours)")
    out.append(("Lead times (all replications)", _png(fig)))
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(9, 3))
    curve = wip_curve(tr)
    ax.step([t / HOUR for t, _ in curve], [w for _, w in curve], where="post")
    ax.set_xlabel("hours")
    ax.set_ylabel("jobs in the shop")
    out.append(("WIP over time (replication 1)", _png(fig)))
    plt.close(fig)
    for title, shares, label in (
        ("Operator utilization per pool", kpis.operators, "share of the pool's time"),
        ("Blocked by a full buffer downstream", kpis.blocking, "share of time blocked"),
    ):
        if shares:
            fig, ax = plt.subplots(figsize=(9, 3))
            ax.bar(list(shares), list(shares.values()))
            ax.tick_params(axis="x", rotation=60)
            ax.set_ylabel(label)
            out.append((title, _png(fig)))
            plt.close(fig)
    return out


def report_html(title: str, kpis: Kpis, traces: Sequence[Trace]) -> str:
    """The report: the KPI JSON, the bottleneck's evidence and four to six plots."""
    b = kpis.bottleneck
    evidence = (
        f"{html.escape(b.machine)} is active {b.active_share:.1%} of the time (processing"
        f" {b.utilization:.1%}, changeover {b.setup_share:.1%}); its operations wait"
        f" {b.mean_wait / HOUR:.2f} h on average; runner-up {html.escape(b.runner_up or '-')}"
        f" at {b.runner_up_share:.1%}."
    )
    figures = "\n".join(
        f'<h2>{html.escape(t)}</h2><img alt="{html.escape(t)}" src="data:image/png;base64,{p}">'
        for t, p in _plots(kpis, traces)
    )
    data = html.escape(json.dumps(kpis.to_json(), indent=2))
    promise = kpis.delivery_promise_p90 / HOUR
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;max-width:1100px;margin:2em auto}}img{{max-width:100%}}</style>
</head><body>
<h1>{html.escape(title)}</h1>
<p>{len(traces)} replication(s); {kpis.completed} of {kpis.jobs} jobs completed;
WIP {kpis.wip:.2f} jobs on average; delivery promise (p90 lead time) {promise:.2f} h.</p>
<h2>Bottleneck</h2><p>{evidence}</p>
<h2>KPIs</h2><pre>{data}</pre>
{figures}
</body></html>
"""
