"""The setup-aware tabu search's moves and main loop, compiled with numba: see :mod:`.sdst`.

Solutions and problem data are laid out as in :mod:`._sdst_timing`. A move ``(k, i, j)`` takes
the operation at index ``i`` of machine ``k`` out and puts it back at index ``j``; each
candidate is timed exactly from the first operation it can change (:func:`evaluate_from`).
Every kernel takes and mutates plain int64 arrays; state that survives between calls (current
and best solution, tabu table, random state, counters) lives in those arrays, so a search cut
into chunks is the same search as one long call.

numba's disk cache keys a kernel on its own file only: after editing :mod:`._sdst_timing`,
delete ``__pycache__/_sdst_kernel*.nb*`` or the kernels keep the old timing code.
"""

from __future__ import annotations

import numpy as np

from lotone.schedule._sdst_timing import evaluate, evaluate_from, restore, setup_time
from lotone.schedule._tabu_graph import I32, I64, U64, inline, jit, rand, shift

__all__ = ["PAR", "ST", "search"]


class PAR:
    """Indexes into the parameter array."""

    TENURE, SPAN, STALL, KICK, GROW, CAP, OBJ, FOCUS, SIZE = 0, 1, 2, 3, 4, 5, 6, 7, 8


class ST:
    """Indexes into the state array."""

    IT, STALL, BEST, CUR, KICKS, RESTARTS, FAILS, EVALS, SIZE = 0, 1, 2, 3, 4, 5, 6, 7, 8


@jit
def mark_critical(
    pp: I64, pi: I64, odat: I64, mdat: I64, setup: I64, jdat: I64, jp: I64, jo: I64, obj: int,
    value: int, focus: int, mach: I64, dur: I64, seq: I64, pos: I64, r: I64, e: I64,
    mend: I64, mfam: I64, comp: I64, mark: I64, stamp: int, stack: I64, rng: U64, tight: I64,
) -> None:  # fmt: skip
    """Mark every operation on a longest path to a tardy job's end (or to the makespan).

    ``tight[o]``: 1 when ``o`` starts right when its machine predecessor and the changeover
    let it (the machine arc into ``o`` is on a longest path), else 0.

    ``focus`` > 0: only the paths to ``focus`` tardy jobs drawn with probability
    proportional to their weighted tardiness (with replacement).
    """
    n = odat.shape[0]
    for o in range(n):
        tight[o] = 0
        if pos[o] > 0 and dur[o] > 0:
            k = mach[o]
            x = seq[k, pos[o] - 1]
            if r[o] == mend[x] + setup_time(mdat, setup, k, mfam[x], odat[o, 1]):
                tight[o] = 1
    top = 0
    if obj == 0 and focus > 0 and value > 0:
        for _ in range(focus):
            left = np.int64(rand(rng, value))
            j = 0
            while j < jdat.shape[0] - 1:
                if jdat[j, 0] and comp[j] > jdat[j, 1]:
                    left -= jdat[j, 2] * (comp[j] - jdat[j, 1])
                    if left < 0:
                        break
                j += 1
            for a in range(jp[j], jp[j + 1]):
                o = jo[a]
                if e[o] == comp[j] and mark[o] != stamp:
                    mark[o] = stamp
                    stack[top] = o
                    top += 1
    else:
        for o in range(n):
            j = odat[o, 2]
            if obj == 1:
                root = e[o] == value
            else:
                root = (jdat[j, 0] != 0 and jdat[j, 2] > 0 and comp[j] > jdat[j, 1]
                        and e[o] == comp[j])  # fmt: skip
            if root and mark[o] != stamp:
                mark[o] = stamp
                stack[top] = o
                top += 1
    while top > 0:
        top -= 1
        o = stack[top]
        for a in range(pp[o], pp[o + 1]):
            p = pi[a]
            if e[p] == r[o] and mark[p] != stamp:
                mark[p] = stamp
                stack[top] = p
                top += 1
        if tight[o]:
            x = seq[mach[o], pos[o] - 1]
            if mark[x] != stamp:
                mark[x] = stamp
                stack[top] = x
                top += 1


@inline
def _keep(cand: I64, c: int, cap: int, k: int, i: int, j: int, rng: U64) -> int:
    """Reservoir sampling: keep at most ``cap`` of the offered moves, uniformly."""
    slot = np.int64(c)
    if c >= cap:
        slot = np.int64(rand(rng, c + 1))
    if slot < cap:
        cand[slot, 0], cand[slot, 1], cand[slot, 2] = k, i, j
    return c + 1


@jit
def candidates(
    seq: I64, cnt: I64, tight: I64, mark: I64, stamp: int, cand: I64, cap: int, rng: U64
) -> int:
    """Moves from the critical blocks into ``cand``; how many (at most ``cap``).

    Drawn uniformly from the swaps of adjacent block operations and the moves of block ends
    into, out of and across their block (Kuhpfahl & Bierwirth's CET, ECET and ICT; moving a
    block end to any index of its machine beyond the block, their SCEI, did not help).
    """
    c = 0
    for k in range(cnt.shape[0]):
        a = 0
        while a < cnt[k] - 1:
            b = a
            while b + 1 < cnt[k]:
                v = seq[k, b + 1]
                if mark[v] != stamp or tight[v] == 0:
                    break
                b += 1
            for i in range(a, b):
                c = _keep(cand, c, cap, k, i, i + 1, rng)
            if b - a >= 2:
                for t in range(a + 2, b + 1):
                    c = _keep(cand, c, cap, k, a, t, rng)
                for t in range(a, b - 1):
                    c = _keep(cand, c, cap, k, b, t, rng)
                for i in range(a + 1, b):
                    if i - 1 > a:
                        c = _keep(cand, c, cap, k, i, a, rng)
                    if i + 1 < b:
                        c = _keep(cand, c, cap, k, i, b, rng)
            a = b + 1 if b > a else a + 1
    return min(c, cap)


@inline
def _is_tabu(seq: I64, tabu: I32, k: int, i: int, j: int, it: int) -> bool:
    # tabu[a, b] > it: "a before b" was undone lately and may not come back
    u = seq[k, i]
    if i < j:
        for t in range(i + 1, j + 1):
            if tabu[seq[k, t], u] > it:
                return True
    else:
        for t in range(j, i):
            if tabu[u, seq[k, t]] > it:
                return True
    return False


@jit
def search(
    pp: I64, pi: I64, sp: I64, si: I64, odat: I64, mdat: I64, setup: I64, gp: I64, ga: I64,
    gb: I64, jdat: I64, jp: I64, jo: I64, mach: I64, dur: I64, seq: I64, cnt: I64, pos: I64,
    bmach: I64, bdur: I64, bseq: I64, bcnt: I64, tabu: I32, mark: I64,
    par: I64, st: I64, rng: U64, iters: int, bound: int,
) -> int:  # fmt: skip
    """Run ``iters`` iterations (or until the best reaches ``bound``); the best objective.

    On entry the current solution must be acyclic and ``st[ST.BEST]`` its value or better
    (``bmach``/``bdur``/``bseq``/``bcnt`` holding that best).
    """
    n = odat.shape[0]
    m = cnt.shape[0]
    nj = jdat.shape[0]
    obj = par[6]
    cap = par[5]
    r = np.zeros(n, np.int64)
    e = np.zeros(n, np.int64)
    mend = np.zeros(n, np.int64)
    mfam = np.zeros(n, np.int64)
    r2 = np.zeros(n, np.int64)
    e2 = np.zeros(n, np.int64)
    mend2 = np.zeros(n, np.int64)
    mfam2 = np.zeros(n, np.int64)
    topo = np.zeros(n, np.int64)
    topo2 = np.zeros(n, np.int64)
    indeg = np.zeros(n, np.int64)
    comp = np.zeros(nj, np.int64)
    jseen = np.zeros(nj, np.int64)
    order = np.zeros(n, np.int64)
    rnk = np.zeros(n, np.int64)
    pmax = np.zeros(n, np.int64)
    key = np.zeros(n, np.int64)
    stack = np.zeros(n, np.int64)
    cand = np.zeros((cap, 3), np.int64)
    tight = np.zeros(n, np.int64)
    stop = st[0] + iters
    while st[0] < stop and st[2] > bound:
        it = st[0]
        cur = evaluate(pp, pi, sp, si, odat, mdat, setup, gp, ga, gb, jdat, obj, mach, dur,
                       seq, cnt, pos, r, e, mend, mfam, topo, indeg, comp)  # fmt: skip
        if cur < 0 or st[1] >= par[2]:  # a cycle or stuck: restart from the best
            for k in range(m):
                cnt[k] = bcnt[k]
                for t in range(bcnt[k]):
                    seq[k, t] = bseq[k, t]
                    pos[seq[k, t]] = t
            for v in range(n):
                mach[v] = bmach[v]
                dur[v] = bdur[v]
            cur = evaluate(pp, pi, sp, si, odat, mdat, setup, gp, ga, gb, jdat, obj, mach,
                           dur, seq, cnt, pos, r, e, mend, mfam, topo, indeg, comp)  # fmt: skip
            st[1] = 0
            st[4] = par[3] * (1 + min(st[6], par[4]))
            st[5] += 1
            st[6] += 1
        st[3] = cur
        if cur < st[2]:
            st[2] = cur
            st[1] = 0
            st[6] = 0
            for k in range(m):
                bcnt[k] = cnt[k]
                for t in range(cnt[k]):
                    bseq[k, t] = seq[k, t]
            for v in range(n):
                bmach[v] = mach[v]
                bdur[v] = dur[v]
            if cur <= bound:
                break
        else:
            st[1] += 1
        stamp = it + 1
        mark_critical(pp, pi, odat, mdat, setup, jdat, jp, jo, obj, cur, par[7], mach, dur,
                      seq, pos, r, e, mend, mfam, comp, mark, stamp, stack, rng,
                      tight)  # fmt: skip
        c = candidates(seq, cnt, tight, mark, stamp, cand, cap, rng)
        # the start order (ties topological) bounds what a move can change
        for x in range(n):
            key[topo[x]] = r[topo[x]] * n + x
        order[:] = np.argsort(key)
        top = 0
        for x in range(n):
            o = order[x]
            rnk[o] = x
            if e[o] > top:
                top = e[o]
            pmax[x] = top
            r2[o], e2[o], mend2[o], mfam2[o] = r[o], e[o], mend[o], mfam[o]
        best_v = 1 << 62
        best_c = -1
        ties = 0
        any_c = -1
        seen = 0
        for x in range(c):
            k, i, j = cand[x, 0], cand[x, 1], cand[x, 2]
            lo = n
            for t in range(min(i, j), max(i, j) + 1):
                lo = min(lo, rnk[seq[k, t]])
            shift(seq, pos, k, i, j)
            st[7] += 1
            v = evaluate_from(pp, pi, sp, si, odat, mdat, setup, gp, ga, gb, jdat, jp, jo, obj,
                              mach, dur, seq, cnt, pos, order, rnk, lo, cur, comp, pmax,
                              r2, e2, mend2, mfam2, topo2, indeg, jseen, st[7])  # fmt: skip
            restore(order, lo, r, e, mend, mfam, r2, e2, mend2, mfam2)
            shift(seq, pos, k, j, i)
            if v < 0:
                continue
            seen += 1
            if rand(rng, seen) == 0:
                any_c = x
            if _is_tabu(seq, tabu, k, i, j, it) and v >= st[2]:
                continue
            if v < best_v:
                best_v, best_c, ties = v, x, 1
            elif v == best_v:
                ties += 1
                if rand(rng, ties) == 0:
                    best_c = x
        if any_c < 0:
            st[1] = par[2]  # no acyclic move: restart
            st[0] += 1
            continue
        pick = best_c
        if pick < 0 or st[4] > 0:  # all tabu, or kicking: a random move
            pick = any_c
            if st[4] > 0:
                st[4] -= 1
        k, i, j = cand[pick, 0], cand[pick, 1], cand[pick, 2]
        tenure = par[0] + np.int64(rand(rng, par[1] + 1))
        u = seq[k, i]
        if i < j:
            for t in range(i + 1, j + 1):
                tabu[u, seq[k, t]] = it + tenure
        else:
            for t in range(j, i):
                tabu[seq[k, t], u] = it + tenure
        shift(seq, pos, k, i, j)
        st[0] += 1
    return int(st[2])
