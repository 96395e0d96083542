"""Log encoding of finite-domain variables into adjacent Boolean bits.

Variable ``v`` with ``d`` values gets ``ceil(log2 d)`` bits (none when ``d == 1``), most
significant first; value index ``k`` is the binary code ``k``. Codes ``d..2**nbits-1`` are invalid
and excluded by :meth:`LogEncoding.valid` (an "at most ``d - 1``" comparator, one node per bit).
"""

from __future__ import annotations

from dataclasses import dataclass

from lotone.configure.bdd._cudd import Cudd, Node
from lotone.model.finite import FiniteModel

__all__ = ["LogEncoding"]


@dataclass(frozen=True, slots=True)
class LogEncoding:
    """Where each variable's bits are: ``first[v]`` is its top bit, ``width[v]`` how many."""

    sizes: tuple[int, ...]
    first: tuple[int, ...]
    width: tuple[int, ...]

    @classmethod
    def of(cls, model: FiniteModel) -> LogEncoding:
        """Bits for every variable of ``model``, in variable order."""
        sizes = tuple(len(v.values) for v in model.variables)
        first: list[int] = []
        width: list[int] = []
        at = 0
        for d in sizes:
            w = (d - 1).bit_length()
            first.append(at)
            width.append(w)
            at += w
        return cls(sizes, tuple(first), tuple(width))

    @property
    def nbits(self) -> int:
        return sum(self.width)

    def bits(self, var: int) -> range:
        """The bit indices of ``var``, most significant first."""
        return range(self.first[var], self.first[var] + self.width[var])

    def assignment(self, var: int, value: int) -> dict[int, bool]:
        """Bit values that spell ``value`` for ``var``."""
        w = self.width[var]
        return {self.first[var] + j: bool(value >> (w - 1 - j) & 1) for j in range(w)}

    def code(self, var: int, bits: dict[int, bool]) -> int:
        """The value index spelt by ``bits`` (every bit of ``var`` present)."""
        w = self.width[var]
        return sum(1 << (w - 1 - j) for j in range(w) if bits[self.first[var] + j])

    def valid(self, mgr: Cudd, var: int) -> Node:
        """The codes of ``var`` that name a value (``code <= size - 1``)."""
        w = self.width[var]
        top = self.sizes[var] - 1
        if top + 1 == 1 << w:
            return mgr.true
        f = mgr.true  # code <= top, built from the least significant bit up
        for j in range(w - 1, -1, -1):
            bit = self.first[var] + j
            if top >> (w - 1 - j) & 1:
                f = mgr.ite(bit, f, mgr.true)
            else:
                f = mgr.ite(bit, mgr.false, f)
        return f

    def value_cube(self, mgr: Cudd, var: int, value: int) -> Node:
        """The function ``var == value``."""
        f = mgr.true
        for bit, one in self.assignment(var, value).items():
            f = mgr.conj(f, mgr.bit(bit) if one else mgr.neg(mgr.bit(bit)))
        return f
