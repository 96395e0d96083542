"""The disjunctive graph of a tabu-search solution, compiled with numba (cached on disk).

A solution is a machine per operation (``mach``, duration ``dur``) and per machine the sequence
of its operations (``seq[k, :cnt[k]]``, ``pos[o]`` the index of ``o`` in its sequence). Each
operation has at most one predecessor ``jp`` and one successor ``js`` outside its machine (its
job). :func:`evaluate` computes heads ``r`` (earliest starts) and tails ``q`` (longest path
after the operation ends) in O(n); :func:`critical_path` walks one longest path back; the move
helpers edit the sequences in place. The moves and the search are in :mod:`._tabu_kernel`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
import numpy as np
import numpy.typing as npt

__all__ = [
    "I32",
    "I64",
    "U64",
    "critical_path",
    "evaluate",
    "inline",
    "jit",
    "rand",
    "reassign",
    "shift",
]

F = TypeVar("F", bound=Callable[..., Any])
I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
U64 = npt.NDArray[np.uint64]


def jit(fn: F) -> F:
    """Compile ``fn`` without the GIL, cached across processes; typed for mypy."""
    return cast(F, numba.njit(cache=True, nogil=True)(fn))


def inline(fn: F) -> F:
    """Like :func:`jit`, inlined into its callers."""
    # a plain call costs a reference count per array argument: the hot helpers are inlined
    return cast(F, numba.njit(cache=True, nogil=True, inline="always")(fn))


@inline
def rand(rng: U64, below: int) -> int:
    """A uniform integer in ``0 .. below - 1`` (xorshift64*; the state is ``rng[0]``)."""
    x = rng[0]
    x ^= x >> np.uint64(12)
    x ^= x << np.uint64(25)
    x ^= x >> np.uint64(27)
    rng[0] = x
    y = (x * np.uint64(2685821657736338717)) >> np.uint64(33)
    return int(y % np.uint64(below))


@jit
def evaluate(
    jp: I64, js: I64, rel: I64, dur: I64, mach: I64, seq: I64, cnt: I64, pos: I64,
    r: I64, q: I64, topo: I64, indeg: I64,
) -> int:  # fmt: skip
    """Heads, tails and the makespan; -1 when the sequences make a cycle."""
    n = jp.shape[0]
    tail = 0
    for o in range(n):
        r[o] = rel[o]
        d = 0
        if jp[o] >= 0:
            d += 1
        if pos[o] > 0:
            d += 1
        indeg[o] = d
        if d == 0:
            topo[tail] = o
            tail += 1
    head = 0
    cmax = 0
    while head < tail:  # Kahn's order; a head is final when its operation is taken
        o = topo[head]
        head += 1
        end = r[o] + dur[o]
        if end > cmax:
            cmax = end
        s = js[o]
        if s >= 0:
            if end > r[s]:
                r[s] = end
            indeg[s] -= 1
            if indeg[s] == 0:
                topo[tail] = s
                tail += 1
        k = mach[o]
        if pos[o] + 1 < cnt[k]:
            s = seq[k, pos[o] + 1]
            if end > r[s]:
                r[s] = end
            indeg[s] -= 1
            if indeg[s] == 0:
                topo[tail] = s
                tail += 1
    if tail < n:
        return -1
    for t in range(n - 1, -1, -1):
        o = topo[t]
        tl = 0
        s = js[o]
        if s >= 0:
            tl = q[s] + dur[s]
        k = mach[o]
        if pos[o] + 1 < cnt[k]:
            s = seq[k, pos[o] + 1]
            if q[s] + dur[s] > tl:
                tl = q[s] + dur[s]
        q[o] = tl
    return cmax


@jit
def critical_path(
    jp: I64, dur: I64, mach: I64, seq: I64, pos: I64, r: I64, cmax: int, path: I64, rng: U64
) -> int:
    """One longest path into ``path`` (first operation first); its length. Ties at random."""
    n = jp.shape[0]
    ties = 0
    end = -1
    for o in range(n):
        if r[o] + dur[o] == cmax:
            ties += 1
            if rand(rng, ties) == 0:
                end = o
    length = 0
    o = end
    while o >= 0:
        path[length] = o
        length += 1
        a = jp[o]
        if a >= 0 and r[a] + dur[a] != r[o]:
            a = -1
        b = -1
        if pos[o] > 0:
            b = seq[mach[o], pos[o] - 1]
            if r[b] + dur[b] != r[o]:
                b = -1
        if a >= 0 and b >= 0:
            o = a if rand(rng, 2) == 0 else b
        else:
            o = a if a >= 0 else b
    for t in range(length // 2):
        path[t], path[length - 1 - t] = path[length - 1 - t], path[t]
    return length


@jit
def shift(seq: I64, pos: I64, k: int, i: int, j: int) -> None:
    """On machine ``k``, take the operation at index ``i`` out and put it back at ``j``."""
    u = seq[k, i]
    if i < j:
        for t in range(i, j):
            seq[k, t] = seq[k, t + 1]
            pos[seq[k, t]] = t
    else:
        for t in range(i, j, -1):
            seq[k, t] = seq[k, t - 1]
            pos[seq[k, t]] = t
    seq[k, j] = u
    pos[u] = j


@jit
def reassign(
    seq: I64, cnt: I64, pos: I64, mach: I64, dur: I64, v: int, k: int, t: int, d: int
) -> None:
    """Move operation ``v`` to machine ``k`` (duration ``d``) before index ``t``."""
    old = mach[v]
    for x in range(pos[v], cnt[old] - 1):
        seq[old, x] = seq[old, x + 1]
        pos[seq[old, x]] = x
    cnt[old] -= 1
    for x in range(cnt[k], t, -1):
        seq[k, x] = seq[k, x - 1]
        pos[seq[k, x]] = x
    seq[k, t] = v
    pos[v] = t
    cnt[k] += 1
    mach[v] = k
    dur[v] = d
