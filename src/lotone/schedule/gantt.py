"""Gantt charts of a schedule: a self-contained HTML page (inline SVG) and a PNG (matplotlib).

Both are returned, not written: the caller decides where they go. matplotlib is imported only
for the PNG, with a helpful error when it is missing.
"""

from __future__ import annotations

import html
import io

from lotone.errors import LotoneError
from lotone.schedule.problem import SchedulingProblem
from lotone.schedule.schedule import Schedule

__all__ = ["gantt_html", "gantt_png"]

_PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)  # fmt: skip
_ROW, _LEFT, _WIDTH = 22, 140, 1100


def _color(job: int) -> str:
    return _PALETTE[job % len(_PALETTE)]


def gantt_html(problem: SchedulingProblem, schedule: Schedule, title: str = "") -> str:
    """A page with one row per machine, one bar per operation (hover: name, start, end)."""
    p = problem
    span = max(1, schedule.makespan(p))
    scale = _WIDTH / span
    ends = schedule.ends(p)
    height = _ROW * (p.num_machines + 2)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_LEFT + _WIDTH + 20}" height="{height}"'
        ' font-family="sans-serif" font-size="11">'
    ]
    for m in range(p.num_machines):
        y = _ROW * (m + 1)
        for a, b in p.unavailable[m]:
            if a >= span:
                break
            x0, x1 = _LEFT + a * scale, _LEFT + min(b, span) * scale
            parts.append(
                f'<rect x="{x0:.1f}" y="{y}" width="{x1 - x0:.1f}" height="{_ROW - 4}"'
                ' fill="#eee"/>'
            )
        name = html.escape(p.machine_names[m])
        parts.append(f'<text x="4" y="{y + 13}">{name}</text>')
    for o, op in enumerate(p.operations):
        m, s = schedule.machines[o], schedule.starts[o]
        y = _ROW * (m + 1)
        x, w = _LEFT + s * scale, max(1.0, (ends[o] - s) * scale)
        tip = html.escape(f"{op.name or o}: {s}-{ends[o]} on {p.machine_names[m]}")
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{_ROW - 4}"'
            f' fill="{_color(op.job)}" stroke="#333" stroke-width="0.3"><title>{tip}</title></rect>'
        )
    parts.append(
        f'<text x="{_LEFT}" y="{height - 4}">0</text>'
        f'<text x="{_LEFT + _WIDTH - 60}" y="{height - 4}">{span}</text></svg>'
    )
    head = html.escape(title or p.name or "schedule")
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{head}</title></head>"
        f"<body><h1 style='font-family:sans-serif'>{head}</h1>"
        f"<p style='font-family:sans-serif'>makespan {span}; grey: unavailable</p>"
        + "".join(parts)
        + "</body></html>\n"
    )


def gantt_png(problem: SchedulingProblem, schedule: Schedule, title: str = "") -> bytes:
    """The chart as PNG bytes; needs matplotlib (``pip install matplotlib``)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise LotoneError(
            "the PNG Gantt chart needs matplotlib: pip install 'lotone[plot]'"
        ) from exc
    p = problem
    ends = schedule.ends(p)
    fig, ax = plt.subplots(figsize=(12, max(2.0, 0.35 * p.num_machines + 1)))
    span = max(1, schedule.makespan(p))
    for m in range(p.num_machines):
        gaps = [(a, min(b, span) - a) for a, b in p.unavailable[m] if a < span]
        if gaps:
            ax.broken_barh(gaps, (m - 0.4, 0.8), facecolors="#eeeeee")
    for o, op in enumerate(p.operations):
        ax.broken_barh(
            [(schedule.starts[o], ends[o] - schedule.starts[o])],
            (schedule.machines[o] - 0.4, 0.8),
            facecolors=_color(op.job),
            edgecolor="#333333",
            linewidth=0.3,
        )
    ax.set_yticks(range(p.num_machines))
    ax.set_yticklabels(p.machine_names)
    ax.set_xlim(0, span)
    ax.invert_yaxis()
    ax.set_xlabel("time")
    ax.set_title(title or p.name or "schedule")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    return buf.getvalue()
