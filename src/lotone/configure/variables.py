"""The solver variables of a family: one per configuration key.

Enumerated attributes are one-hot (a literal per value, exactly one true); booleans are one
literal; numbers are the binary grid index ``k`` of ``min + k * step`` (``k <= size - 1``); a
slot's count is unary: ``active[i]`` says that instance ``i`` exists. An attribute of an instance
that does not exist is pinned to a canonical value (its first value, false, or its minimum) so that
absent instances add no spurious solutions.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from lotone.configure.bitvec import Arith, Num
from lotone.configure.cnf import Cnf
from lotone.model.family import (
    Attribute,
    BoolAttribute,
    EnumAttribute,
    Family,
    NumberAttribute,
    Value,
    count_key,
    instance_key,
)

__all__ = ["AttrVar", "CountVar", "Var", "allocate", "scale_of"]


def scale_of(*values: Decimal) -> int:
    """The number of decimal places needed to write every value as an integer."""
    s = 0
    for v in values:
        exp = v.normalize().as_tuple().exponent
        if isinstance(exp, int) and exp < 0:
            s = max(s, -exp)
    return s


@dataclass(frozen=True, slots=True)
class AttrVar:
    """The encoding of one attribute of the core or of one module instance."""

    key: str
    attr: Attribute
    lits: tuple[int, ...]
    active: int
    slot: str | None = None
    index: int | None = None
    num: Num | None = None

    def value_of(self, model: set[int] | frozenset[int]) -> Value:
        """This attribute's value in a model (the set of true literals)."""
        a = self.attr
        if isinstance(a, EnumAttribute):
            for v, lit in zip(a.values, self.lits, strict=True):
                if lit in model:
                    return v.name
            raise ValueError(f"no value of {self.key} is true in the model")
        if isinstance(a, BoolAttribute):
            return self.lits[0] in model
        return a.at(self.index_in(model))

    def index_in(self, model: set[int] | frozenset[int]) -> int:
        """The grid index of a number attribute in a model."""
        return sum(1 << i for i, b in enumerate(self.lits) if b in model)


@dataclass(frozen=True, slots=True)
class CountVar:
    """The number of instances of a slot: ``active[i]`` for instances ``1..max``."""

    key: str
    slot: str
    min_count: int
    max_count: int
    active: tuple[int, ...]
    num: Num

    def value_of(self, model: set[int] | frozenset[int]) -> Value:
        """The count in a model."""
        return Decimal(sum(1 for a in self.active if a in model))


Var = AttrVar | CountVar


def _attribute(
    cnf: Cnf,
    arith: Arith,
    attr: Attribute,
    key: str,
    active: int,
    slot: str | None = None,
    index: int | None = None,
) -> AttrVar:
    if isinstance(attr, EnumAttribute):
        lits = tuple(cnf.new_var() for _ in attr.values)
        cnf.exactly_one(lits)
        cnf.add([active, lits[0]])
        return AttrVar(key, attr, lits, active, slot, index)
    if isinstance(attr, BoolAttribute):
        b = cnf.new_var()
        cnf.add([active, -b])
        return AttrVar(key, attr, (b,), active, slot, index)
    return _number(cnf, arith, attr, key, active, slot, index)


def _number(
    cnf: Cnf,
    arith: Arith,
    attr: NumberAttribute,
    key: str,
    active: int,
    slot: str | None,
    index: int | None,
) -> AttrVar:
    top = attr.size - 1
    bits = tuple(cnf.new_var() for _ in range(top.bit_length()))
    cnf.add([arith.ule_const(bits, (1 << len(bits)) - 1, top)])
    for b in bits:
        cnf.add([active, -b])
    scale = scale_of(attr.min, attr.step)
    k = arith.unsigned(bits, top)
    step = int(attr.step.scaleb(scale))
    low = int(attr.min.scaleb(scale))
    num = arith.mul_const(k, step)
    num = Num(num.bits, num.offset + low, scale, num.ub)
    return AttrVar(key, attr, bits, active, slot, index, num)


def allocate(cnf: Cnf, arith: Arith, family: Family) -> dict[str, Var]:
    """Variables for every configuration key of ``family``, in declaration order."""
    out: dict[str, Var] = {}
    for attr in family.attributes:
        out[attr.name] = _attribute(cnf, arith, attr, attr.name, cnf.true)
    for slot in family.slots:
        active: list[int] = []
        for i in range(1, slot.max_count + 1):
            a = cnf.true if i <= slot.min_count else cnf.new_var()
            if active:
                cnf.add([-a, active[-1]])
            active.append(a)
        terms = [arith.from_bool(a) for a in active[slot.min_count :]]
        num = arith.add(arith.const(slot.min_count), arith.sum(terms))
        ck = count_key(slot.name)
        out[ck] = CountVar(ck, slot.name, slot.min_count, slot.max_count, tuple(active), num)
        for i, a in enumerate(active, start=1):
            for attr in slot.attributes:
                key = instance_key(slot.name, i, attr.name)
                out[key] = _attribute(cnf, arith, attr, key, a, slot.name, i)
    return out
