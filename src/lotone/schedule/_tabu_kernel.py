"""The tabu search's moves and main loop, compiled with numba (cached on disk): see :mod:`.tabu`.

Candidate moves are rated by the Balas-Vazacopoulos estimate: the longest path through the
operations whose order changes, from the old heads and tails. Moves, all on one critical path
(Zhang et al.'s N7 on its blocks, plus, when an operation has several eligible machines,
Mastrolilli-Gambardella reassignment):

- kind 0 ``(k, i, j)``: on machine ``k``, take the operation at index ``i`` out and put it back
  at index ``j`` (inside one critical block: an inner operation to the block's front or back,
  the front or back operation into the block);
- kind 1 ``(v, k, t)``: move critical operation ``v`` to machine ``k`` before index ``t``.

Every kernel takes and mutates plain int64 arrays; state that survives between calls (current
and best solution, tabu tables, random state, counters) lives in those arrays, so a search cut
into chunks is the same search as one long call.
"""

from __future__ import annotations

import numpy as np

from lotone.schedule._tabu_graph import (
    I32,
    I64,
    U64,
    critical_path,
    evaluate,
    inline,
    jit,
    rand,
    reassign,
    shift,
)

__all__ = ["PAR", "ST", "search"]


class PAR:
    """Indexes into the parameter array."""

    TENURE, SPAN, STALL, KICK, MTENURE, GROW, SIZE = 0, 1, 2, 3, 4, 5, 6


class ST:
    """Indexes into the state array."""

    IT, STALL, BEST, CUR, KICKS, RESTARTS, FAILS, SIZE = 0, 1, 2, 3, 4, 5, 6, 7


@inline
def _est_shift(
    k: int, i: int, j: int, seq: I64, cnt: I64, jp: I64, js: I64, rel: I64, dur: I64,
    r: I64, q: I64, buf: I64, rb: I64,
) -> int:  # fmt: skip
    lo = min(i, j)
    hi = max(i, j)
    w = hi - lo + 1
    if i < j:
        for t in range(w - 1):
            buf[t] = seq[k, i + 1 + t]
        buf[w - 1] = seq[k, i]
    else:
        buf[0] = seq[k, i]
        for t in range(1, w):
            buf[t] = seq[k, j + t - 1]
    end = 0
    if lo > 0:
        a = seq[k, lo - 1]
        end = r[a] + dur[a]
    for t in range(w):
        x = buf[t]
        h = max(rel[x], end)
        p = jp[x]
        if p >= 0 and r[p] + dur[p] > h:
            h = r[p] + dur[p]
        rb[t] = h
        end = h + dur[x]
    after = 0
    if hi + 1 < cnt[k]:
        b = seq[k, hi + 1]
        after = q[b] + dur[b]
    best = 0
    for t in range(w - 1, -1, -1):
        x = buf[t]
        tl = after
        s = js[x]
        if s >= 0 and q[s] + dur[s] > tl:
            tl = q[s] + dur[s]
        if rb[t] + dur[x] + tl > best:
            best = rb[t] + dur[x] + tl
        after = tl + dur[x]
    return best


@inline
def _offer(sel: I64, val: int, kind: int, a: int, b: int, c: int, tabu: bool, rng: U64) -> None:
    # sel[0:6] best allowed move (value, kind, a, b, c, ties); sel[6:12] any move at random
    sel[11] += 1
    if rand(rng, sel[11]) == 0:
        sel[6], sel[7], sel[8], sel[9], sel[10] = val, kind, a, b, c
    if tabu:
        return
    if val < sel[0]:
        sel[0], sel[1], sel[2], sel[3], sel[4], sel[5] = val, kind, a, b, c, 1
    elif val == sel[0]:
        sel[5] += 1
        if rand(rng, sel[5]) == 0:
            sel[1], sel[2], sel[3], sel[4] = kind, a, b, c


@inline
def _shift_moves(
    k: int, lo: int, hi: int, first: bool, last: bool, seq: I64, cnt: I64, jp: I64, js: I64,
    rel: I64, dur: I64, r: I64, q: I64, buf: I64, rb: I64, tabu_pair: I32, it: int, best: int,
    sel: I64, rng: U64,
) -> None:  # fmt: skip
    """Offer the N7 moves of the block ``seq[k, lo..hi]`` (first/last block of the path)."""
    for i in range(lo, hi + 1):
        u = seq[k, i]
        for j in range(lo, hi + 1):
            if j == i:
                continue
            if j == lo:  # to the front: not at the path's start (the block's end stays)
                ok = not first or i == hi
            elif j == hi:  # to the back: not at the path's end
                ok = not last or i == lo
            elif i == lo:  # the front inside (lo + 1 is the same as moving lo + 1 forward)
                ok = not first and j >= lo + 2
            elif i == hi:  # the back inside
                ok = not last and j <= hi - 2
            else:
                ok = False
            if ok:
                _offer_shift(k, i, j, u, seq, cnt, jp, js, rel, dur, r, q, buf, rb, tabu_pair,
                             it, best, sel, rng)  # fmt: skip


@inline
def _offer_shift(
    k: int, i: int, j: int, u: int, seq: I64, cnt: I64, jp: I64, js: I64, rel: I64, dur: I64,
    r: I64, q: I64, buf: I64, rb: I64, tabu_pair: I32, it: int, best: int, sel: I64, rng: U64,
) -> None:  # fmt: skip
    if i < j:  # forward: acyclic when L(v, end) >= L(JS(u), end) (Balas-Vazacopoulos)
        v = seq[k, j]
        s = js[u]
        if s >= 0 and dur[v] + q[v] < dur[s] + q[s]:
            return
        tabu = False
        for t in range(i + 1, j + 1):
            if tabu_pair[seq[k, t], u] > it:
                tabu = True
                break
    else:  # backward: acyclic when r(v) + p(v) >= r(JP(u)) + p(JP(u))
        v = seq[k, j]
        p = jp[u]
        if p >= 0 and r[v] + dur[v] < r[p] + dur[p]:
            return
        tabu = False
        for t in range(j, i):
            if tabu_pair[u, seq[k, t]] > it:
                tabu = True
                break
    val = _est_shift(k, i, j, seq, cnt, jp, js, rel, dur, r, q, buf, rb)
    _offer(sel, val, 0, k, i, j, tabu and val >= best, rng)


@inline
def _reassign_moves(
    v: int, mode_ptr: I64, mode_mach: I64, mode_dur: I64, mach: I64, seq: I64, cnt: I64,
    jp: I64, js: I64, rel: I64, dur: I64, r: I64, q: I64, tabu_mach: I32, it: int, best: int,
    sel: I64, rng: U64,
) -> None:  # fmt: skip
    """Offer every acyclic insertion of ``v`` on each other eligible machine."""
    head = rel[v]
    p = jp[v]
    if p >= 0 and r[p] + dur[p] > head:
        head = r[p] + dur[p]
    tail = 0
    s = js[v]
    if s >= 0:
        tail = q[s] + dur[s]
    for e in range(mode_ptr[v], mode_ptr[v + 1]):
        k = mode_mach[e]
        if k == mach[v]:
            continue
        d = mode_dur[e]
        tabu = tabu_mach[v, k] > it
        for t in range(cnt[k] + 1):
            h = head
            if t > 0:
                x = seq[k, t - 1]
                # x must not follow JS(v): r(x) < r(JS) + p(JS) rules that out
                if x == s or (s >= 0 and r[x] >= r[s] + dur[s]):
                    break
                if r[x] + dur[x] > h:
                    h = r[x] + dur[x]
            tl = tail
            if t < cnt[k]:
                y = seq[k, t]
                if y == p or (p >= 0 and q[y] >= q[p] + dur[p]):
                    continue  # y must not precede JP(v)
                if q[y] + dur[y] > tl:
                    tl = q[y] + dur[y]
            val = h + d + tl
            _offer(sel, val, 1, v, k, t, tabu and val >= best, rng)


@jit
def search(
    jp: I64, js: I64, rel: I64, mode_ptr: I64, mode_mach: I64, mode_dur: I64,
    mach: I64, dur: I64, seq: I64, cnt: I64, pos: I64,
    bmach: I64, bdur: I64, bseq: I64, bcnt: I64,
    tabu_pair: I32, tabu_mach: I32, par: I64, st: I64, rng: U64, iters: int, bound: int,
) -> int:  # fmt: skip
    """Run ``iters`` iterations (or until the best reaches ``bound``); the best makespan.

    On entry the current solution must be acyclic and ``st[ST.BEST]`` its makespan or better
    (``bmach``/``bdur``/``bseq``/``bcnt`` holding that best).
    """
    n = jp.shape[0]
    m = cnt.shape[0]
    r = np.zeros(n, np.int64)
    q = np.zeros(n, np.int64)
    topo = np.zeros(n, np.int64)
    indeg = np.zeros(n, np.int64)
    path = np.zeros(n, np.int64)
    buf = np.zeros(n + 1, np.int64)
    rb = np.zeros(n + 1, np.int64)
    sel = np.zeros(12, np.int64)
    flexible = False
    for v in range(n):
        if mode_ptr[v + 1] - mode_ptr[v] > 1:
            flexible = True
    stop = st[0] + iters
    while st[0] < stop and st[2] > bound:
        it = st[0]
        cmax = evaluate(jp, js, rel, dur, mach, seq, cnt, pos, r, q, topo, indeg)
        if cmax < 0 or st[1] >= par[2]:  # a cycle (zero durations) or stuck: restart
            for k in range(m):
                cnt[k] = bcnt[k]
                for t in range(bcnt[k]):
                    seq[k, t] = bseq[k, t]
                    pos[seq[k, t]] = t
            for v in range(n):
                mach[v] = bmach[v]
                dur[v] = bdur[v]
            cmax = evaluate(jp, js, rel, dur, mach, seq, cnt, pos, r, q, topo, indeg)
            st[1] = 0
            # kicks grow with the restarts that found nothing better (up to GROW times)
            st[4] = par[3] * (1 + min(st[6], par[5]))
            st[5] += 1
            st[6] += 1
        st[3] = cmax
        if cmax < st[2]:
            st[2] = cmax
            st[6] = 0
            st[1] = 0
            for k in range(m):
                bcnt[k] = cnt[k]
                for t in range(cnt[k]):
                    bseq[k, t] = seq[k, t]
            for v in range(n):
                bmach[v] = mach[v]
                bdur[v] = dur[v]
            if cmax <= bound:
                break
        else:
            st[1] += 1
        length = critical_path(jp, dur, mach, seq, pos, r, cmax, path, rng)
        sel[0] = 1 << 62
        sel[5] = 0
        sel[11] = 0
        a = 0
        while a < length:
            k = mach[path[a]]
            b = a
            while (
                b + 1 < length and mach[path[b + 1]] == k and pos[path[b + 1]] == pos[path[b]] + 1
            ):
                b += 1
            if b > a:
                _shift_moves(k, pos[path[a]], pos[path[b]], a == 0, b == length - 1, seq, cnt,
                             jp, js, rel, dur, r, q, buf, rb, tabu_pair, it, st[2], sel,
                             rng)  # fmt: skip
            a = b + 1
        if flexible:
            for t in range(length):
                _reassign_moves(path[t], mode_ptr, mode_mach, mode_dur, mach, seq, cnt, jp, js,
                                rel, dur, r, q, tabu_mach, it, st[2], sel, rng)  # fmt: skip
        if sel[11] == 0:
            st[1] = par[2]  # no move at all (a single block-free path): restart
            st[0] += 1
            continue
        o = 1
        if sel[5] == 0 or st[4] > 0:  # all tabu, or kicking: a random move
            o = 7
            if st[4] > 0:
                st[4] -= 1
        kind, a1, b1, c1 = sel[o], sel[o + 1], sel[o + 2], sel[o + 3]
        tenure = par[0] + rand(rng, par[1] + 1)
        if kind == 0:
            k, i, j = a1, b1, c1
            u = seq[k, i]
            if i < j:
                for t in range(i + 1, j + 1):
                    tabu_pair[u, seq[k, t]] = it + tenure
            else:
                for t in range(j, i):
                    tabu_pair[seq[k, t], u] = it + tenure
            shift(seq, pos, k, i, j)
        else:
            v, k, t = a1, b1, c1
            tabu_mach[v, mach[v]] = it + par[4] + rand(rng, par[1] + 1)
            d = 0
            for e in range(mode_ptr[v], mode_ptr[v + 1]):
                if mode_mach[e] == k:
                    d = mode_dur[e]
            reassign(seq, cnt, pos, mach, dur, v, k, t, d)
        st[0] += 1
    return int(st[2])
