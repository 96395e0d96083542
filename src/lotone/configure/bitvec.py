"""Exact fixed-point integer arithmetic bit-blasted to CNF.

A :class:`Num` stands for the exact number ``(u + offset) / 10**scale`` where ``u`` is an
unsigned integer held in the literals ``bits`` (least significant first) and known to lie in
``0..ub``. Keeping a constant ``offset`` beside an unsigned vector avoids signed arithmetic:
negation is ``(~u) - (2**w - 1) - offset``, so subtraction is an addition, and a comparison
``a <= b`` reduces to comparing the unsigned part of ``a - b`` with a constant.

All operations are exact: no rounding, no overflow (widths grow with the known bounds).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lotone.configure.cnf import Cnf

__all__ = ["Arith", "Num"]


@dataclass(frozen=True, slots=True)
class Num:
    """``(u + offset) / 10**scale`` with ``u`` in the literals ``bits``, ``0 <= u <= ub``."""

    bits: tuple[int, ...]
    offset: int
    scale: int
    ub: int

    @property
    def lo(self) -> int:
        """Least scaled value."""
        return self.offset

    @property
    def hi(self) -> int:
        """Greatest scaled value (a bound, not always reached)."""
        return self.offset + self.ub


class Arith:
    """Arithmetic and comparisons on :class:`Num` over one :class:`Cnf`."""

    def __init__(self, cnf: Cnf) -> None:
        self.cnf = cnf

    # --- construction ---------------------------------------------------------------------

    def const(self, value: int, scale: int = 0) -> Num:
        """The constant ``value / 10**scale``."""
        return Num((), value, scale, 0)

    def unsigned(self, bits: Sequence[int], ub: int, offset: int = 0, scale: int = 0) -> Num:
        """A number from raw bits known to be at most ``ub``."""
        return Num(tuple(bits), offset, scale, ub)

    def from_bool(self, lit: int, value: int = 1, scale: int = 0) -> Num:
        """``value`` when ``lit`` holds, else 0."""
        return self.gate(lit, self.const(value, scale))

    # --- scaling --------------------------------------------------------------------------

    def rescale(self, a: Num, scale: int) -> Num:
        """The same number with a finer ``scale`` (``scale >= a.scale``)."""
        if scale == a.scale:
            return a
        k = 10 ** (scale - a.scale)
        r = self._mul_const_int(a, k)
        return Num(r.bits, r.offset, scale, r.ub)

    def _align(self, a: Num, b: Num) -> tuple[Num, Num]:
        s = max(a.scale, b.scale)
        return self.rescale(a, s), self.rescale(b, s)

    # --- arithmetic -----------------------------------------------------------------------

    def add(self, a: Num, b: Num) -> Num:
        """``a + b``."""
        a, b = self._align(a, b)
        bits = self._add_bits(a.bits, b.bits)
        ub = a.ub + b.ub
        return Num(self._trim(bits, ub), a.offset + b.offset, a.scale, ub)

    def sum(self, terms: Sequence[Num], scale: int = 0) -> Num:
        """The sum of ``terms`` (a balanced adder tree); 0 when empty."""
        items = list(terms)
        if not items:
            return self.const(0, scale)
        while len(items) > 1:
            items.sort(key=lambda n: n.ub)
            nxt = [self.add(items[i], items[i + 1]) for i in range(0, len(items) - 1, 2)]
            if len(items) % 2:
                nxt.append(items[-1])
            items = nxt
        return items[0]

    def neg(self, a: Num) -> Num:
        """``-a``."""
        if not a.bits:
            return Num((), -a.offset, a.scale, 0)
        full = (1 << len(a.bits)) - 1
        return Num(tuple(-b for b in a.bits), -full - a.offset, a.scale, full)

    def sub(self, a: Num, b: Num) -> Num:
        """``a - b``."""
        return self.add(a, self.neg(b))

    def mul_const(self, a: Num, value: int, scale: int = 0) -> Num:
        """``a * (value / 10**scale)``."""
        r = self._mul_const_int(a, value)
        return Num(r.bits, r.offset, a.scale + scale, r.ub)

    def mul(self, a: Num, b: Num) -> Num:
        """``a * b`` (an array multiplier on the unsigned parts)."""
        if not a.bits:
            return self.mul_const(b, a.offset, a.scale)
        if not b.bits:
            return self.mul_const(a, b.offset, b.scale)
        partials: list[Num] = []
        for j, bj in enumerate(b.bits):
            row = tuple(self.cnf.and_([ai, bj]) for ai in a.bits)
            partials.append(Num((self.cnf.false,) * j + row, 0, 0, a.ub << j))
        uu = self.sum(partials)
        uu = Num(self._trim(uu.bits, a.ub * b.ub), 0, 0, a.ub * b.ub)
        ua = Num(a.bits, 0, 0, a.ub)
        ub_ = Num(b.bits, 0, 0, b.ub)
        total = self.sum(
            [uu, self._mul_const_int(ua, b.offset), self._mul_const_int(ub_, a.offset)]
        )
        total = Num(total.bits, total.offset + a.offset * b.offset, 0, total.ub)
        return Num(total.bits, total.offset, a.scale + b.scale, total.ub)

    def gate(self, c: int, a: Num) -> Num:
        """``a`` when ``c`` holds, else 0."""
        if c == self.cnf.true:
            return a
        if c == self.cnf.false:
            return self.const(0, a.scale)
        bits = tuple(self.cnf.and_([c, b]) for b in a.bits)
        u = Num(bits, 0, a.scale, a.ub)
        if a.offset == 0:
            return u
        off = self._const_bits(abs(a.offset), c)
        offnum = Num(off, 0, a.scale, abs(a.offset))
        return self.add(u, offnum) if a.offset > 0 else self.sub(u, offnum)

    def ite(self, c: int, a: Num, b: Num) -> Num:
        """``a`` if ``c`` else ``b``."""
        if c == self.cnf.true:
            return a
        if c == self.cnf.false:
            return b
        a, b = self._align(a, b)
        lo = min(a.offset, b.offset)
        a2 = self._shift_offset(a, lo)
        b2 = self._shift_offset(b, lo)
        w = max(len(a2.bits), len(b2.bits))
        f = self.cnf.false
        abits = a2.bits + (f,) * (w - len(a2.bits))
        bbits = b2.bits + (f,) * (w - len(b2.bits))
        bits = tuple(self.cnf.ite(c, x, y) for x, y in zip(abits, bbits, strict=True))
        return Num(bits, lo, a.scale, max(a2.ub, b2.ub))

    def min(self, a: Num, b: Num) -> Num:
        """The smaller of ``a`` and ``b``."""
        return self.ite(self.le(a, b), a, b)

    def max(self, a: Num, b: Num) -> Num:
        """The greater of ``a`` and ``b``."""
        return self.ite(self.le(a, b), b, a)

    def abs(self, a: Num) -> Num:
        """``|a|``."""
        if a.offset >= 0:
            return a
        return self.ite(self.le(self.const(0), a), a, self.neg(a))

    # --- comparisons ----------------------------------------------------------------------

    def le(self, a: Num, b: Num) -> int:
        """A literal for ``a <= b``."""
        d = self.sub(a, b)
        return self.ule_const(d.bits, d.ub, -d.offset)

    def lt(self, a: Num, b: Num) -> int:
        """A literal for ``a < b``."""
        return -self.le(b, a)

    def eq(self, a: Num, b: Num) -> int:
        """A literal for ``a == b``."""
        if a.scale == b.scale and len(a.bits) == len(b.bits) and a.offset == b.offset:
            return self.cnf.and_(self.cnf.iff(x, y) for x, y in zip(a.bits, b.bits, strict=True))
        d = self.sub(a, b)
        return self.eq_const(d.bits, d.ub, -d.offset)

    def ule_const(self, bits: Sequence[int], ub: int, k: int) -> int:
        """A literal for ``u <= k`` where ``u`` is unsigned in ``bits`` and at most ``ub``."""
        if k < 0:
            return self.cnf.false
        if k >= ub:
            return self.cnf.true
        if k >= (1 << len(bits)) - 1:
            return self.cnf.true
        # From the least significant bit up: le_i means u[0..i] <= k[0..i].
        le = self.cnf.true
        for i, b in enumerate(bits):
            if (k >> i) & 1:
                le = self.cnf.or_([-b, le])
            else:
                le = self.cnf.and_([-b, le])
        return le

    def eq_const(self, bits: Sequence[int], ub: int, k: int) -> int:
        """A literal for ``u == k``."""
        if k < 0 or k > ub or k >= (1 << len(bits)):
            return self.cnf.false
        return self.cnf.and_(b if (k >> i) & 1 else -b for i, b in enumerate(bits))

    # --- helpers --------------------------------------------------------------------------

    def _const_bits(self, value: int, lit: int) -> tuple[int, ...]:
        """Bits of the constant ``value`` where every 1 is the literal ``lit``."""
        return tuple(lit if (value >> i) & 1 else self.cnf.false for i in range(value.bit_length()))

    def _shift_offset(self, a: Num, lo: int) -> Num:
        """The same number re-expressed with the smaller offset ``lo``."""
        delta = a.offset - lo
        if delta == 0:
            return a
        c = Num(self._const_bits(delta, self.cnf.true), 0, a.scale, delta)
        s = self.add(Num(a.bits, 0, a.scale, a.ub), c)
        return Num(s.bits, lo, a.scale, s.ub)

    def _mul_const_int(self, a: Num, k: int) -> Num:
        if k == 0 or (not a.bits and a.offset == 0):
            return Num((), 0, a.scale, 0)
        if k < 0:
            return self.neg(self._mul_const_int(a, -k))
        if not a.bits:
            return Num((), a.offset * k, a.scale, 0)
        f = self.cnf.false
        rows = [
            Num((f,) * i + a.bits, 0, a.scale, a.ub << i)
            for i in range(k.bit_length())
            if (k >> i) & 1
        ]
        s = self.sum(rows, a.scale)
        return Num(self._trim(s.bits, a.ub * k), a.offset * k, a.scale, a.ub * k)

    def _add_bits(self, x: Sequence[int], y: Sequence[int]) -> tuple[int, ...]:
        """Ripple-carry addition of two unsigned vectors (result one bit wider)."""
        cnf = self.cnf
        w = max(len(x), len(y))
        f = cnf.false
        xs = list(x) + [f] * (w - len(x))
        ys = list(y) + [f] * (w - len(y))
        out: list[int] = []
        carry = f
        for a, b in zip(xs, ys, strict=True):
            out.append(cnf.xor(cnf.xor(a, b), carry))
            carry = cnf.majority(a, b, carry)
        out.append(carry)
        return tuple(out)

    def _trim(self, bits: Sequence[int], ub: int) -> tuple[int, ...]:
        """Drop high bits that are known to be zero because ``u <= ub``."""
        need = max(ub.bit_length(), 0)
        return tuple(bits[:need]) if len(bits) > need else tuple(bits)
