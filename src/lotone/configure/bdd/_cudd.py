"""The one seam to ``dd.cudd``: typed, thin wrappers around the untyped CUDD bindings.

``dd`` ships no type stubs for its Cython module, so every call into it happens here and nowhere
else; the rest of the package sees :class:`Node` (an opaque ``dd.cudd.Function``) and the typed
methods of :class:`Cudd`. Bits are named ``b<index>``; the CUDD index of a bit is its position in
the list the manager was made with, and its level (place in the order) can change by reordering.
"""

from __future__ import annotations

import ctypes
import importlib
import warnings
from collections.abc import Iterable, Sequence
from typing import Any, NewType, cast

__all__ = ["Cudd", "CuddOutOfMemory", "Node"]

Node = NewType("Node", object)
"""A BDD node (a ``dd.cudd.Function``); only :class:`Cudd` looks inside."""

_MAX_CACHE = 2**22
_INITIAL_MEMORY = 2**28


class CuddOutOfMemory(Exception):
    """CUDD returned no node: its memory ceiling or time limit was reached."""


def _name(bit: int) -> str:
    return f"b{bit}"


class Cudd:
    """A CUDD manager over ``nbits`` Boolean variables, declared in index order."""

    def __init__(self, nbits: int, *, memory_bytes: int) -> None:
        try:
            dd_cudd: Any = importlib.import_module("dd.cudd")
        except ImportError as e:
            raise ImportError(
                "the BDD backend needs dd with its CUDD bindings: pip install 'dd>=0.6' "
                "(the wheels include dd.cudd)"
            ) from e
        # a large estimate makes CUDD allocate (and clear) a large cache up front, which costs
        # more than a small model's whole compilation; the cache still grows up to _MAX_CACHE
        bdd: Any = dd_cudd.BDD(memory_estimate=min(memory_bytes, _INITIAL_MEMORY))
        bdd.configure(reordering=False, max_cache_hard=_MAX_CACHE, max_memory=memory_bytes)
        for i in range(nbits):
            bdd.add_var(_name(i), index=i)
        self._bdd = bdd
        self.nbits = nbits
        self._vars: list[Any] = [bdd.var(_name(i)) for i in range(nbits)]
        self.true = cast(Node, bdd.true)
        self.false = cast(Node, bdd.false)
        self._c = _c_manager(dd_cudd, bdd, nbits)

    # --- building -------------------------------------------------------------------------

    def bit(self, i: int) -> Node:
        """The function that is true when bit ``i`` is 1."""
        return cast(Node, self._vars[i])

    def ite(self, bit: int, high: Node, low: Node) -> Node:
        """``bit ? high : low``."""
        try:
            return cast(Node, self._bdd.ite(self._vars[bit], high, low))
        except ValueError as e:  # dd wraps the NULL node CUDD returns when it gives up
            raise CuddOutOfMemory(str(e)) from None

    def conj(self, a: Node, b: Node) -> Node:
        """``a and b`` (:class:`CuddOutOfMemory` when the memory limit stops CUDD)."""
        try:
            return cast(Node, self._bdd.apply("and", a, b))
        except RuntimeError as e:  # dd raises RuntimeError when CUDD hands back no node
            raise CuddOutOfMemory(str(e).splitlines()[0]) from None

    def neg(self, a: Node) -> Node:
        """``not a``."""
        return cast(Node, ~cast(Any, a))

    def exist(self, f: Node, cube: Node) -> Node:
        """``f`` with the bits of ``cube`` (from :meth:`bits_cube`) quantified away."""
        # apply takes a ready cube; quantify would rebuild it from names over every bit
        return cast(Node, self._bdd.apply("exists", cube, f))

    def bits_cube(self, bits: Iterable[int]) -> Node:
        """The positive cube of ``bits``, to quantify them again and again."""
        return cast(Node, self._bdd.cube({_name(i) for i in bits}))

    # --- looking inside -------------------------------------------------------------------

    def is_false(self, f: Node) -> bool:
        return bool(f == self.false)

    def is_true(self, f: Node) -> bool:
        return bool(f == self.true)

    def ident(self, f: Node) -> int:
        """An integer naming the edge ``f`` (node and complement bit), while ``f`` lives."""
        return int(cast(Any, f))

    def key(self, f: Node) -> int:
        """An integer naming the regular (uncomplemented) node of ``f``, while ``f`` lives."""
        return int(cast(Any, f)) & ~1

    def is_constant(self, f: Node) -> bool:
        return cast(Any, f).var is None

    def negated(self, f: Node) -> bool:
        """Whether ``f`` is a complemented edge."""
        return bool(cast(Any, f).negated)

    def split(self, f: Node) -> tuple[int, Node, Node]:
        """``(index, low, high)`` of the regular node of a non-constant ``f``."""
        g: Any = f
        return int(g._index), cast(Node, g.low), cast(Node, g.high)

    def size(self, f: Node) -> int:
        """Nodes in the diagram of ``f``."""
        return int(cast(Any, f).dag_size)

    def live_nodes(self) -> int:
        """Nodes in the manager's tables, dead ones not yet collected excluded (cheap)."""
        # len(bdd) is exact but runs a garbage collection, which empties CUDD's cache
        return int(self._stats(exact=False)["n_nodes"])

    def peak_nodes(self) -> int:
        """The most nodes alive at once so far."""
        return int(self._stats()["peak_live_nodes"])

    def _stats(self, exact: bool = True) -> dict[str, Any]:
        with warnings.catch_warnings():  # dd warns that "mem" is in bytes since 0.5.7
            warnings.simplefilter("ignore", UserWarning)
            stats: dict[str, Any] = self._bdd.statistics(exact_node_count=exact)
        return stats

    # --- order ----------------------------------------------------------------------------

    def level(self, bit: int) -> int:
        """The current level of ``bit`` (0 is the top)."""
        return int(self._bdd.level_of_var(_name(bit)))

    def order(self) -> list[int]:
        """Bits from the top level down."""
        return [int(self._bdd.var_at_level(k)[1:]) for k in range(self.nbits)]

    def set_order(self, bits: Sequence[int]) -> None:
        """Move the bits to this order, top first (a permutation of all bits)."""
        if self.nbits:
            self._bdd.reorder({_name(b): k for k, b in enumerate(bits)})

    def group(self, first: int, size: int) -> None:
        """Keep the ``size`` bits with indices ``first..`` together while sifting."""
        if size > 1:
            self._bdd.group({_name(first): size})

    def sift(self) -> None:
        """One round of (group) sifting over the whole manager."""
        self._bdd.reorder()

    def auto_reorder(self, on: bool) -> None:
        """Let CUDD sift by itself when the diagram grows."""
        self._bdd.configure(reordering=on)

    def time_limit(self, seconds: float | None) -> bool:
        """Make CUDD operations give up (no node) after ``seconds`` from now; None lifts it.

        CUDD measures the process's CPU time, so on a busy machine it stops later than a wall
        clock would.

        Returns whether the limit could be set: dd does not expose it, so it goes through the
        C library directly, and only for the dd versions whose object layout is known.
        """
        if self._c is None:
            return False
        lib, mgr = self._c
        if seconds is None:
            lib.Cudd_UnsetTimeLimit(mgr)
            lib.Cudd_ClearErrorCode(mgr)
        else:
            lib.Cudd_ResetStartTime(mgr)
            lib.Cudd_SetTimeLimit(mgr, max(1, int(seconds * 1000)))
        return True


def _c_manager(dd_cudd: Any, bdd: Any, nbits: int) -> tuple[ctypes.CDLL, int] | None:
    """The CUDD library and the ``DdManager *`` behind ``bdd``, when it can be found safely.

    ``dd.cudd.BDD`` keeps its manager pointer in a C field after the object header and the
    Cython method table (offset 24 on 64-bit CPython in dd 0.6). The pointer is trusted only if
    CUDD, asked through it, reports the variable count and cache ceiling this manager has.
    """
    version = str(importlib.import_module("dd").__version__)
    if not version.startswith("0.6.") or ctypes.sizeof(ctypes.c_void_p) != 8 or nbits == 0:
        return None
    try:
        lib = ctypes.CDLL(dd_cudd.__file__)
    except OSError:
        return None
    lib.Cudd_ReadSize.argtypes = [ctypes.c_void_p]
    lib.Cudd_ReadSize.restype = ctypes.c_int
    lib.Cudd_ReadMaxCacheHard.argtypes = [ctypes.c_void_p]
    lib.Cudd_ReadMaxCacheHard.restype = ctypes.c_uint
    lib.Cudd_SetTimeLimit.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
    lib.Cudd_SetTimeLimit.restype = ctypes.c_ulong
    lib.Cudd_UnsetTimeLimit.argtypes = [ctypes.c_void_p]
    lib.Cudd_UnsetTimeLimit.restype = None
    lib.Cudd_ClearErrorCode.argtypes = [ctypes.c_void_p]
    lib.Cudd_ClearErrorCode.restype = None
    lib.Cudd_ResetStartTime.argtypes = [ctypes.c_void_p]
    lib.Cudd_ResetStartTime.restype = None
    mgr = ctypes.c_void_p.from_address(id(bdd) + 24).value
    if not mgr:
        return None
    if lib.Cudd_ReadSize(mgr) != nbits or lib.Cudd_ReadMaxCacheHard(mgr) != _MAX_CACHE:
        return None
    return lib, mgr
