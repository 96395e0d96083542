"""A problem packed into flat int64 arrays for the numba kernels (:mod:`._sdst_timing`,
:mod:`._order_kernel`): what the kernels' docstrings call ``odat``, ``mdat``, ``setup``,
``jdat``, the precedences, the calendars and the modes as CSR.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lotone.schedule.problem import SchedulingProblem

__all__ = ["Packed", "csr", "pack"]


@dataclass(frozen=True, slots=True)
class Packed:
    """Per operation ``odat`` (release, family, job); per machine ``mdat`` (offset of its
    setup matrix in ``setup`` or -1, the matrix size, the initial family); per job ``jdat``
    (has a due date, due date, weight, completion when it has no operation); CSR: ``pp``/``pi``
    predecessors, ``sp``/``si`` successors, ``jp``/``jo`` a job's operations, ``gp`` into the
    sorted gap starts ``ga`` and ends ``gb`` per machine, ``mp`` into the eligible machines
    ``mm`` and their durations ``md`` per operation."""

    odat: np.ndarray
    mdat: np.ndarray
    setup: np.ndarray
    jdat: np.ndarray
    pp: np.ndarray
    pi: np.ndarray
    sp: np.ndarray
    si: np.ndarray
    jp: np.ndarray
    jo: np.ndarray
    gp: np.ndarray
    ga: np.ndarray
    gb: np.ndarray
    mp: np.ndarray
    mm: np.ndarray
    md: np.ndarray


def csr(rows: list[tuple[int, ...]]) -> tuple[np.ndarray, np.ndarray]:
    """Row pointers and the flat values (``[0]`` when there are none, never an empty array)."""
    ptr = np.zeros(len(rows) + 1, np.int64)
    for i, row in enumerate(rows):
        ptr[i + 1] = ptr[i] + len(row)
    flat = np.array([x for row in rows for x in row] or [0], np.int64)
    return ptr, flat


def pack(problem: SchedulingProblem) -> Packed:
    """``problem``'s data as the kernels read them."""
    p = problem
    n, m = p.num_operations, p.num_machines
    odat = np.array(
        [(max(p.jobs[op.job].release, p.earliest), op.setup_family, op.job)
         for op in p.operations], np.int64,
    ).reshape(n, 3)  # fmt: skip
    flat: list[int] = []
    mdat = np.zeros((m, 3), np.int64)
    offsets: dict[int, int] = {}
    for k in range(m):
        x = p.machine_setup[k]
        if x >= 0 and x not in offsets:
            offsets[x] = len(flat)
            flat.extend(t for row in p.setup_matrices[x] for t in row)
        mdat[k] = (offsets[x] if x >= 0 else -1,
                   len(p.setup_matrices[x]) if x >= 0 else 0, p.initial_family[k])  # fmt: skip
    jdat = np.array(
        [(int(j.due is not None), j.due or 0, j.weight, 0 if j.operations else j.release)
         for j in p.jobs] or [(0, 0, 0, 0)], np.int64,
    ).reshape(-1, 4)  # fmt: skip
    pp, pi = csr([p.predecessors(o) for o in range(n)])
    sp, si = csr([p.successors(o) for o in range(n)])
    jp, jo = csr([j.operations for j in p.jobs])
    gp, ga = csr([tuple(a for a, _ in g) for g in p.unavailable])
    gb = csr([tuple(b for _, b in g) for g in p.unavailable])[1]
    mp, mm = csr([tuple(k for k, _ in op.modes) for op in p.operations])
    md = csr([tuple(d for _, d in op.modes) for op in p.operations])[1]
    return Packed(odat, mdat, np.array(flat or [0], np.int64), jdat, pp, pi, sp, si, jp, jo,
                  gp, ga, gb, mp, mm, md)  # fmt: skip
