"""Job-order search, compiled with numba: a priority per job decoded by the rules' generator.

:func:`decode` is :func:`lotone.schedule.rules.dispatch` with rule ``"given"`` (the priority of
an operation is its job's rank) for problems without fixed operations, operation for operation:
among the operations whose predecessors are done, each has its best placement (the eligible
machine where it would end first after the machine's last operation, the changeover from that
operation's family and the calendar; a stored placement is redone when its machine gets a new
operation); with ``C*`` the earliest such end, the operations that could start before ``C*``
compete and the one of the lowest rank goes first (ties by operation index). The schedule is
active, so it may differ from a semi-active timing of the same sequences.

:func:`search` improves a job order: each iteration moves one job to a position at most
``window`` away, decodes, and keeps the move when it is no worse (sideways moves let it cross
plateaus); after ``stall`` iterations without a new best it restarts from the best order with
``kick`` random swaps. Problem data arrive packed as in :mod:`._sdst_timing`, plus the modes of
each operation as CSR (``mp`` into machines ``mm`` and durations ``md``).
"""

from __future__ import annotations

from lotone.schedule._sdst_timing import fit, objective_of, setup_time
from lotone.schedule._tabu_graph import I64, U64, inline, jit, rand

__all__ = ["ORD", "decode", "search"]


class ORD:
    """Indexes into the search's state ``st`` (int64)."""

    IT, BEST, CUR, SINCE, EVALS, SIZE = 0, 1, 2, 3, 4, 5


_IT, _BEST, _CUR, _SINCE, _EVALS = 0, 1, 2, 3, 4  # the same, as constants numba can read


@inline
def _place(
    o: int, odat: I64, mdat: I64, setup: I64, gp: I64, ga: I64, gb: I64, mp: I64, mm: I64,
    md: I64, free: I64, fam: I64, ready_at: I64, pe: I64, ps: I64, pm: I64,
) -> None:  # fmt: skip
    best_e, best_s, best_m = -1, 0, 0
    for a in range(mp[o], mp[o + 1]):
        k = mm[a]
        d = md[a]
        t = free[k] + setup_time(mdat, setup, k, fam[k], odat[o, 1])
        if ready_at[o] > t:
            t = ready_at[o]
        s = fit(gp, ga, gb, k, t, d)
        if best_e < 0 or (s + d, s, k) < (best_e, best_s, best_m):
            best_e, best_s, best_m = s + d, s, k
    pe[o], ps[o], pm[o] = best_e, best_s, best_m


@jit
def decode(
    pp: I64, sp: I64, si: I64, odat: I64, mdat: I64, setup: I64, gp: I64, ga: I64, gb: I64,
    jdat: I64, mp: I64, mm: I64, md: I64, obj: int, rank: I64, mach: I64, start: I64,
    work: I64,
) -> int:  # fmt: skip
    """Decode job ranks ``rank`` into ``mach``/``start``; the objective (0: tardiness, 1: makespan).

    ``work`` is scratch of at least ``7 n + 2 m + j`` int64 (``j`` jobs).
    """
    n = odat.shape[0]
    m = mdat.shape[0]
    waiting = work[0:n]
    ready_at = work[n : 2 * n]
    ready = work[2 * n : 3 * n]
    pe = work[3 * n : 4 * n]
    ps = work[4 * n : 5 * n]
    pm = work[5 * n : 6 * n]
    end = work[6 * n : 7 * n]
    free = work[7 * n : 7 * n + m]
    fam = work[7 * n + m : 7 * n + 2 * m]
    comp = work[7 * n + 2 * m : 7 * n + 2 * m + jdat.shape[0]]
    for k in range(m):
        free[k] = 0
        fam[k] = mdat[k, 2]
    nready = 0
    for o in range(n):
        waiting[o] = pp[o + 1] - pp[o]
        ready_at[o] = odat[o, 0]
        if waiting[o] == 0:
            ready[nready] = o
            nready += 1
            _place(o, odat, mdat, setup, gp, ga, gb, mp, mm, md, free, fam, ready_at, pe, ps, pm)
    while nready > 0:
        c_star = pe[ready[0]]
        for i in range(1, nready):
            if pe[ready[i]] < c_star:
                c_star = pe[ready[i]]
        chosen, at = -1, -1
        for i in range(nready):
            o = ready[i]
            competes = ps[o] < c_star or pe[o] == c_star
            if competes and (chosen < 0 or (rank[odat[o, 2]], o) < (rank[odat[chosen, 2]], chosen)):
                chosen, at = o, i
        k = pm[chosen]
        s = ps[chosen]
        d = pe[chosen] - s
        mach[chosen], start[chosen], end[chosen] = k, s, s + d
        nready -= 1
        ready[at] = ready[nready]
        if d > 0:
            if s + d > free[k]:
                free[k] = s + d
            fam[k] = odat[chosen, 1]
            for i in range(nready):
                o = ready[i]
                if pm[o] == k:
                    _place(o, odat, mdat, setup, gp, ga, gb, mp, mm, md, free, fam, ready_at,
                           pe, ps, pm)  # fmt: skip
        for a in range(sp[chosen], sp[chosen + 1]):
            x = si[a]
            waiting[x] -= 1
            if s + d > ready_at[x]:
                ready_at[x] = s + d
            if waiting[x] == 0:
                ready[nready] = x
                nready += 1
                _place(x, odat, mdat, setup, gp, ga, gb, mp, mm, md, free, fam, ready_at,
                       pe, ps, pm)  # fmt: skip
    return objective_of(odat, jdat, obj, end, comp)


@inline
def _to_rank(order: I64, rank: I64) -> None:
    for i in range(order.shape[0]):
        rank[order[i]] = i


@jit
def search(
    pp: I64, sp: I64, si: I64, odat: I64, mdat: I64, setup: I64, gp: I64, ga: I64, gb: I64,
    jdat: I64, mp: I64, mm: I64, md: I64, obj: int, order: I64, border: I64, rank: I64,
    mach: I64, start: I64, work: I64, par: I64, st: I64, rng: U64, iterations: int,
    bound: int,
) -> int:  # fmt: skip
    """``iterations`` of the job-order search from ``order`` (best so far in ``border``)."""
    nj = order.shape[0]
    window, stall, kick = par[0], par[1], par[2]
    trial = order.copy()
    for _ in range(iterations):
        if st[_BEST] <= bound or nj < 2:
            break
        st[_IT] += 1
        if st[_SINCE] >= stall:
            order[:] = border
            for _k in range(kick):
                a = rand(rng, nj)
                b = rand(rng, nj)
                order[a], order[b] = order[b], order[a]
            _to_rank(order, rank)
            st[_CUR] = decode(pp, sp, si, odat, mdat, setup, gp, ga, gb, jdat, mp, mm, md,
                                 obj, rank, mach, start, work)  # fmt: skip
            st[_EVALS] += 1
            st[_SINCE] = 0
        a = rand(rng, nj)
        lo = max(0, a - window)
        hi = min(nj - 1, a + window)
        b = lo + rand(rng, hi - lo + 1)
        if b == a:
            continue
        trial[:] = order
        x = trial[a]
        if a < b:
            trial[a:b] = order[a + 1 : b + 1]
        else:
            trial[b + 1 : a + 1] = order[b:a]
        trial[b] = x
        _to_rank(trial, rank)
        value = decode(pp, sp, si, odat, mdat, setup, gp, ga, gb, jdat, mp, mm, md, obj, rank,
                       mach, start, work)  # fmt: skip
        st[_EVALS] += 1
        st[_SINCE] += 1
        if value <= st[_CUR]:
            order[:] = trial
            st[_CUR] = value
            if value < st[_BEST]:
                st[_BEST] = value
                border[:] = order
                st[_SINCE] = 0
    return int(st[_BEST])
