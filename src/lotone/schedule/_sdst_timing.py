"""Timing a setup-aware tabu-search solution, in full or from a move on: see :mod:`.sdst`.

A solution is a machine per operation (``mach``, duration ``dur``) and per machine the sequence
of its operations of positive duration (``seq[k, :cnt[k]]``, ``pos[o]`` the index of ``o``
there; instants take no machine time and are in no sequence). :func:`evaluate` times it
semi-actively in Kahn's order: an operation starts at the latest of its release, its
predecessors' ends, and the end of its machine predecessor plus the changeover from that
operation's family (the machine's initial family for the first), pushed past the machine's
unavailable intervals. It returns the objective (total weighted tardiness or makespan) or -1
when the sequences make a cycle.

:func:`evaluate_from` times a neighbour after a move on one machine, redoing only the
operations at or after the move in the current solution's start order (``order``, ties in
topological order; ``rnk`` the inverse): an operation whose start can change descends, in the
new graph, from a moved operation, and every arc it reaches it by leaves no earlier in that
order. The scratch arrays hold the current solution on entry and are restored by
:func:`restore`.

Problem data arrive packed: ``odat`` per operation (release, family, job), ``mdat`` per machine
(offset of its setup matrix in ``setup`` or -1, the matrix size, the initial family), ``jdat``
per job (has a due date, due date, weight, completion when it has no operation), precedences
as CSR (``pp``/``pi`` predecessors, ``sp``/``si`` successors; ``jp``/``jo`` a job's
operations), calendars as CSR (``gp`` per machine into the sorted gap starts ``ga`` and ends
``gb``).
"""

from __future__ import annotations

import numpy as np

from lotone.schedule._tabu_graph import I64, inline, jit

__all__ = ["evaluate", "evaluate_from", "fit", "objective_of", "restore", "setup_time"]


@inline
def setup_time(mdat: I64, setup: I64, k: int, a: int, b: int) -> int:
    """The changeover on machine ``k`` from family ``a`` to family ``b`` (-1: none)."""
    off = mdat[k, 0]
    if off < 0 or a < 0 or b < 0:
        return 0
    return int(setup[off + a * mdat[k, 1] + b])


@inline
def fit(gp: I64, ga: I64, gb: I64, k: int, t: int, d: int) -> int:
    lo = gp[k]
    hi = gp[k + 1]
    while lo < hi:  # the first gap ending after t
        mid = (lo + hi) // 2
        if gb[mid] <= t:
            lo = mid + 1
        else:
            hi = mid
    for g in range(lo, gp[k + 1]):
        if t + d <= ga[g]:
            return t
        if gb[g] > t:
            t = gb[g]
    return t


@jit
def _time(
    pp: I64, pi: I64, sp: I64, si: I64, odat: I64, mdat: I64, setup: I64, gp: I64, ga: I64,
    gb: I64, mach: I64, dur: I64, seq: I64, cnt: I64, pos: I64, order: I64, rnk: I64, lo: int,
    r: I64, e: I64, mend: I64, mfam: I64, topo: I64, indeg: I64,
) -> bool:  # fmt: skip
    """Time ``order[lo:]`` in Kahn's order (the others as they are); False on a cycle."""
    # one loop, no helpers with many arrays: even inlined, they cost reference counts per op
    n = odat.shape[0]
    tail = 0
    for x in range(lo, n):
        o = order[x]
        r[o] = odat[o, 0]
        d = 0
        for a in range(pp[o], pp[o + 1]):
            p = pi[a]
            if rnk[p] >= lo:
                d += 1
            elif e[p] > r[o]:
                r[o] = e[p]
        if dur[o] > 0 and pos[o] > 0 and rnk[seq[mach[o], pos[o] - 1]] >= lo:
            d += 1
        indeg[o] = d
        if d == 0:
            topo[tail] = o
            tail += 1
    head = 0
    while head < tail:
        o = topo[head]
        head += 1
        k = mach[o]
        d = dur[o]
        t = r[o]
        if d > 0:  # an instant takes no machine time: it is in no machine's sequence
            free = 0
            fam = mdat[k, 2]
            if pos[o] > 0:
                x = seq[k, pos[o] - 1]
                free = mend[x]
                fam = mfam[x]
            off = mdat[k, 0]
            if off >= 0 and fam >= 0 and odat[o, 1] >= 0:
                free += setup[off + fam * mdat[k, 1] + odat[o, 1]]
            if free > t:
                t = free
            if gp[k + 1] > gp[k]:
                t = fit(gp, ga, gb, k, t, d)
            mend[o] = t + d
            mfam[o] = odat[o, 1]
        r[o] = t
        e[o] = t + d
        for a in range(sp[o], sp[o + 1]):
            s = si[a]
            if t + d > r[s]:
                r[s] = t + d
            indeg[s] -= 1
            if indeg[s] == 0:
                topo[tail] = s
                tail += 1
        if d > 0 and pos[o] + 1 < cnt[k]:
            s = seq[k, pos[o] + 1]
            indeg[s] -= 1
            if indeg[s] == 0:
                topo[tail] = s
                tail += 1
    return bool(tail == n - lo)


@inline
def _tardiness(jdat: I64, j: int, c: int) -> int:
    if jdat[j, 0] and c > jdat[j, 1]:
        return int(jdat[j, 2] * (c - jdat[j, 1]))
    return 0


@inline
def objective_of(odat: I64, jdat: I64, obj: int, e: I64, comp: I64) -> int:
    """The objective of ends ``e`` (``obj`` 0: total weighted tardiness, 1: makespan);
    ``comp`` gets each job's completion (tardiness only)."""
    value = 0
    if obj == 1:
        for o in range(odat.shape[0]):
            if e[o] > value:
                value = e[o]
        return value
    for j in range(jdat.shape[0]):
        comp[j] = jdat[j, 3]
    for o in range(odat.shape[0]):
        j = odat[o, 2]
        if e[o] > comp[j]:
            comp[j] = e[o]
    for j in range(jdat.shape[0]):
        value += _tardiness(jdat, j, comp[j])
    return value


@jit
def evaluate(
    pp: I64, pi: I64, sp: I64, si: I64, odat: I64, mdat: I64, setup: I64, gp: I64, ga: I64,
    gb: I64, jdat: I64, obj: int, mach: I64, dur: I64, seq: I64, cnt: I64, pos: I64,
    r: I64, e: I64, mend: I64, mfam: I64, topo: I64, indeg: I64, comp: I64,
) -> int:  # fmt: skip
    """Starts ``r``, ends ``e`` and the objective (``obj`` 0: tardiness, 1: makespan); -1: cycle.

    ``topo`` gets the operations in the order they were timed (topological); ``comp`` each
    job's completion; ``mend``/``mfam`` when the machine is free after each operation of
    positive duration, and in which family.
    """
    n = odat.shape[0]
    ident = np.arange(n)
    if not _time(pp, pi, sp, si, odat, mdat, setup, gp, ga, gb, mach, dur, seq, cnt, pos,
                 ident, ident, 0, r, e, mend, mfam, topo, indeg):  # fmt: skip
        return -1
    return objective_of(odat, jdat, obj, e, comp)


@jit
def evaluate_from(
    pp: I64, pi: I64, sp: I64, si: I64, odat: I64, mdat: I64, setup: I64, gp: I64, ga: I64,
    gb: I64, jdat: I64, jp: I64, jo: I64, obj: int, mach: I64, dur: I64, seq: I64, cnt: I64,
    pos: I64, order: I64, rnk: I64, lo: int, value: int, comp: I64, pmax: I64,
    r2: I64, e2: I64, mend2: I64, mfam2: I64, topo: I64, indeg: I64, jseen: I64, stamp: int,
) -> int:  # fmt: skip
    """The objective after a move that changed nothing before ``order[lo]``; -1: a cycle.

    ``value``, ``comp`` and ``pmax`` (prefix maxima of the ends along ``order``) describe the
    current solution; ``r2``/``e2``/``mend2``/``mfam2`` hold it on entry and get the new
    times from ``order[lo]`` on (put them back with :func:`restore`).
    """
    n = odat.shape[0]
    if not _time(pp, pi, sp, si, odat, mdat, setup, gp, ga, gb, mach, dur, seq, cnt, pos,
                 order, rnk, lo, r2, e2, mend2, mfam2, topo, indeg):  # fmt: skip
        return -1
    if obj == 1:
        out = pmax[lo - 1] if lo > 0 else 0
        for x in range(lo, n):
            if e2[order[x]] > out:
                out = e2[order[x]]
        return int(out)
    out = value
    for x in range(lo, n):
        j = odat[order[x], 2]
        if jseen[j] == stamp:
            continue
        jseen[j] = stamp
        c = jdat[j, 3]
        for a in range(jp[j], jp[j + 1]):
            if e2[jo[a]] > c:
                c = e2[jo[a]]
        out += _tardiness(jdat, j, c) - _tardiness(jdat, j, comp[j])
    return int(out)


@jit
def restore(
    order: I64, lo: int, r: I64, e: I64, mend: I64, mfam: I64, r2: I64, e2: I64, mend2: I64,
    mfam2: I64,
) -> None:  # fmt: skip
    """Copy the current times back into the scratch arrays from ``order[lo]`` on."""
    for x in range(lo, order.shape[0]):
        o = order[x]
        r2[o] = r[o]
        e2[o] = e[o]
        mend2[o] = mend[o]
        mfam2[o] = mfam[o]
