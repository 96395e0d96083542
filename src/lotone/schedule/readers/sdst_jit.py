"""The just-in-time job shop with setups (``jobshop-sdst-jit``): one directory per instance.

Files: ``settings.json`` (``n_jobs``, ``n_machines``), ``operations.csv`` (per job, ``machine,
duration`` pairs in order), ``jobs.csv`` (release, due date, penalties), ``setup.csv``
(``machine,id_job0,id_job1,time``; missing pairs are 0) and ``initial_setup.csv`` (``machine,
job``: the setup state at time 0). Every job is its own setup family; each machine has its own
matrix. Due dates may be halves, so times are doubled when needed (``time_scale`` 2); the
tardiness penalty becomes an integer weight in hundredths (``weight_scale`` 100). The objective
this project optimizes on it is total weighted tardiness (earliness and flow-time penalties of
the original study are not modelled).
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lotone.errors import ModelError, SourceSpan
from lotone.schedule.problem import Job, Operation, SchedulingProblem, chain
from lotone.schedule.readers._tokens import read_text

__all__ = ["read_sdst_jit"]

_WEIGHT_SCALE = 100


def _rows(path: Path, header: bool) -> list[tuple[int, list[str]]]:
    rows: list[tuple[int, list[str]]] = []
    for i, raw in enumerate(read_text(path).splitlines(), start=1):
        if (header and i == 1) or not raw.strip():
            continue
        rows.append((i, [c.strip() for c in raw.split(",")]))
    return rows


def _number(path: Path, line: int, text: str, what: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ModelError.at(
            SourceSpan(str(path), line, 1), f"{what}: {text!r} is not a number"
        ) from None
    if not value.is_finite() or value < 0:
        raise ModelError.at(SourceSpan(str(path), line, 1), f"{what}: {text!r} must be 0 or more")
    return value


def _int(path: Path, line: int, text: str, what: str) -> int:
    value = _number(path, line, text, what)
    if value != value.to_integral_value():
        raise ModelError.at(SourceSpan(str(path), line, 1), f"{what}: {text!r} is not whole")
    return int(value)


def read_sdst_jit(directory: str | Path) -> SchedulingProblem:
    """Read one instance directory; errors come as ``FILE:LINE:COL``."""
    root = Path(directory)
    settings_path = root / "settings.json"
    try:
        settings = json.loads(read_text(settings_path))
        n, m = int(settings["n_jobs"]), int(settings["n_machines"])
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise ModelError.at(
            SourceSpan(str(settings_path), 1, 1),
            f"expected {{'n_jobs': n, 'n_machines': m}}: {exc}",
        ) from None
    ops_path = root / "operations.csv"
    routes: list[list[tuple[int, int]]] = []
    for line, cells in _rows(ops_path, header=False):
        if len(cells) % 2:
            raise ModelError.at(
                SourceSpan(str(ops_path), line, 1), "expected machine,duration pairs"
            )
        pairs = [_int(ops_path, line, c, "operations") for c in cells]
        route = list(zip(pairs[::2], pairs[1::2], strict=True))
        for mach, _ in route:
            if not 0 <= mach < m:
                raise ModelError.at(
                    SourceSpan(str(ops_path), line, 1), f"machine {mach} is outside 0..{m - 1}"
                )
        routes.append(route)
    if len(routes) != n:
        raise ModelError.at(
            SourceSpan(str(ops_path), 1, 1), f"{len(routes)} job lines for n_jobs = {n}"
        )
    jobs_path = root / "jobs.csv"
    raw_jobs: dict[int, tuple[Decimal, Decimal, Decimal]] = {}
    for line, cells in _rows(jobs_path, header=True):
        if len(cells) < 5:
            raise ModelError.at(
                SourceSpan(str(jobs_path), line, 1),
                "expected id_job,release_date,due_date,earliness_penalty,tardiness_penalty,...",
            )
        j = _int(jobs_path, line, cells[0], "id_job")
        if not 0 <= j < n or j in raw_jobs:
            raise ModelError.at(
                SourceSpan(str(jobs_path), line, 1), f"job id {j} unknown or repeated"
            )
        raw_jobs[j] = (
            _number(jobs_path, line, cells[1], "release_date"),
            _number(jobs_path, line, cells[2], "due_date"),
            _number(jobs_path, line, cells[4], "tardiness_penalty"),
        )
    if len(raw_jobs) != n:
        missing = sorted(set(range(n)) - set(raw_jobs))
        raise ModelError.at(SourceSpan(str(jobs_path), 1, 1), f"jobs {missing} have no line")
    halves = any(v != v.to_integral_value() for r, d, _ in raw_jobs.values() for v in (r, d))
    scale = 2 if halves else 1
    setup_path = root / "setup.csv"
    mats = [[[0] * n for _ in range(n)] for _ in range(m)]
    for line, cells in _rows(setup_path, header=True):
        if len(cells) != 4:
            raise ModelError.at(
                SourceSpan(str(setup_path), line, 1), "expected machine,job0,job1,time"
            )
        mach, a, b, t = (_int(setup_path, line, c, "setup") for c in cells)
        if not (0 <= mach < m and 0 <= a < n and 0 <= b < n):
            raise ModelError.at(SourceSpan(str(setup_path), line, 1), "machine or job out of range")
        mats[mach][a][b] = t * scale
    init_path = root / "initial_setup.csv"
    initial = [-1] * m
    for line, cells in _rows(init_path, header=True):
        if len(cells) != 2:
            raise ModelError.at(SourceSpan(str(init_path), line, 1), "expected machine,job")
        mach, j = (_int(init_path, line, c, "initial setup") for c in cells)
        if not (0 <= mach < m and 0 <= j < n):
            raise ModelError.at(SourceSpan(str(init_path), line, 1), "machine or job out of range")
        initial[mach] = j
    jobs: list[Job] = []
    ops: list[Operation] = []
    chains: list[list[int]] = []
    for j, route in enumerate(routes):
        release, due, weight = raw_jobs[j]
        ids = []
        for k, (mach, dur) in enumerate(route):
            ids.append(len(ops))
            ops.append(Operation(j, ((mach, dur * scale),), setup_family=j, name=f"j{j}.o{k}"))
        chains.append(ids)
        jobs.append(
            Job(
                tuple(ids),
                release=int(release * scale),
                due=int(due * scale),
                weight=int((weight * _WEIGHT_SCALE).to_integral_value()),
                name=f"j{j}",
            )
        )
    return SchedulingProblem(
        m,
        tuple(jobs),
        tuple(ops),
        chain(chains),
        setup_matrices=tuple(tuple(tuple(r) for r in mat) for mat in mats),
        machine_setup=tuple(range(m)),
        initial_family=tuple(initial),
        name=root.name,
        time_scale=scale,
        weight_scale=_WEIGHT_SCALE,
    )
