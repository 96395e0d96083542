"""A whole family as CNF: variables, one selector literal per rule, choice literals, the price.

Each rule ``r`` gets a selector ``s_r`` with clauses ``s_r -> rule`` (per existing instance for
module rules); the engine assumes every selector, so an unsatisfiable core over the assumptions
names the rules and the customer's choices that conflict. Choice literals (``key = value``) and
range literals (``index >= k``) are made on demand and cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from lotone.configure.bitvec import Arith
from lotone.configure.cnf import Cnf
from lotone.configure.compile import Binding, Lowering
from lotone.configure.linear import Linear, Linearizer
from lotone.configure.variables import AttrVar, CountVar, Var, allocate
from lotone.errors import InvalidValue, LotoneError, UnknownName
from lotone.model.ast import AttrRef
from lotone.model.family import (
    BoolAttribute,
    ConstraintRule,
    EnumAttribute,
    Family,
    NumberAttribute,
    Rule,
    TableRule,
    Value,
)

__all__ = ["Encoding", "RuleSelector"]


@dataclass(frozen=True, slots=True)
class RuleSelector:
    """A rule and the literal that switches it on."""

    rule: Rule
    lit: int


class Encoding:
    """The CNF of one family, grown lazily as queries need new literals."""

    def __init__(self, family: Family) -> None:
        self.family = family
        self.cnf = Cnf()
        self.arith = Arith(self.cnf)
        self.vars: dict[str, Var] = allocate(self.cnf, self.arith, family)
        self.lower = Lowering(self.cnf, self.arith, family, self.vars)
        self._choice: dict[tuple[str, Value], int] = {}
        self._ge: dict[tuple[str, int], int] = {}
        self._price: Linear | None = None
        self.selectors: list[RuleSelector] = []
        for rule in family.all_rules():
            self.selectors.append(RuleSelector(rule, self._encode_rule(rule)))
        self.base = (self.cnf.num_vars, len(self.cnf.clauses))  # the size before any query

    def shed(self) -> None:
        """Drop the choice, range and price literals that queries added (the CNF goes back to
        :attr:`base`; they are made again when needed). Each stays in the CNF once made, and
        a solver carrying thousands of them is slower on every call."""
        self.cnf.truncate(*self.base)
        self._choice.clear()
        self._ge.clear()
        self._price = None

    # --- rules ----------------------------------------------------------------------------

    def _encode_rule(self, rule: Rule) -> int:
        sel = self.cnf.new_var()
        if rule.slot is None:
            self.cnf.add([-sel, self._rule_lit(rule, None)])
            return sel
        for i, act in self._instances(rule.slot):
            self.cnf.add([-sel, -act, self._rule_lit(rule, (rule.slot, i))])
        return sel

    def _rule_lit(self, rule: Rule, bind: Binding) -> int:
        if isinstance(rule, ConstraintRule):
            return self.lower.boolean(rule.expr, bind)
        return self._table_lit(rule, bind)

    def _table_lit(self, rule: TableRule, bind: Binding) -> int:
        cnf = self.cnf
        cols = []
        for c in rule.columns:
            if not isinstance(c, AttrRef):
                raise LotoneError(f"internal: table {rule.id} has a column that is not resolved")
            cols.append(self.lower.attr_var(c, bind))
        rows = [
            cnf.and_(self.value_lit(v.key, cell) for v, cell in zip(cols, row, strict=True)
                     if cell is not None)
            for row in rule.rows
        ]  # fmt: skip
        table = cnf.or_(rows)
        if rule.when is None:
            return table
        return cnf.implies(self.lower.boolean(rule.when, bind), table)

    # --- choice and range literals --------------------------------------------------------

    def var(self, key: str) -> Var:
        """The variable of a configuration key; unknown keys get a did-you-mean."""
        try:
            return self.vars[key]
        except KeyError:
            raise UnknownName("attribute", key, self.vars, self.family.id) from None

    def value_lit(self, key: str, value: Value) -> int:
        """A literal equivalent to ``key == value`` (which implies that the key exists)."""
        cached = self._choice.get((key, value))
        if cached is not None:
            return cached
        var = self.var(key)
        lit = self._make_value_lit(var, value)
        self._choice[(key, value)] = lit
        return lit

    def _make_value_lit(self, var: Var, value: Value) -> int:
        cnf = self.cnf
        if isinstance(var, CountVar):
            n = _integral(var.key, value)
            if not var.min_count <= n <= var.max_count:
                raise InvalidValue(
                    var.key, value, f"between {var.min_count} and {var.max_count} instances"
                )
            on = var.active[n - 1] if n >= 1 else cnf.true
            off = var.active[n] if n < var.max_count else cnf.false
            return cnf.and_([on, -off])
        attr = var.attr
        if isinstance(attr, EnumAttribute):
            if not isinstance(value, str):
                raise InvalidValue(var.key, value, "expected one of its values' names")
            names = [v.name for v in attr.values]
            if value not in names:
                raise UnknownName("value", value, names, var.key)
            return cnf.and_([var.active, var.lits[names.index(value)]])
        if isinstance(attr, BoolAttribute):
            if not isinstance(value, bool):
                raise InvalidValue(var.key, value, "expected true or false")
            return cnf.and_([var.active, var.lits[0] if value else -var.lits[0]])
        if isinstance(value, bool) or not isinstance(value, Decimal):
            raise InvalidValue(var.key, value, "expected a number")
        if not attr.allows(value):
            raise InvalidValue(var.key, value, _grid(attr))
        k = attr.index_of(value)
        eq = self.arith.eq_const(var.lits, attr.size - 1, k)
        return cnf.and_([var.active, eq])

    def ge_lit(self, var: AttrVar, k: int) -> int:
        """A literal for ``index(var) >= k`` (a number attribute's grid index)."""
        cached = self._ge.get((var.key, k))
        if cached is None:
            top = (1 << len(var.lits)) - 1
            cached = -self.arith.ule_const(var.lits, top, k - 1)
            self._ge[(var.key, k)] = cached
        return cached

    # --- price ----------------------------------------------------------------------------

    def price(self) -> Linear:
        """The price as an exact weighted sum of literals (built on first use)."""
        if self._price is None:
            self._price = self._build_price()
        return self._price

    def _build_price(self) -> Linear:
        lin, fam, cnf = Linearizer(self.lower), self.family, self.cnf
        total = lin.const(fam.pricing.base)

        def add(cond: int, amount: Linear) -> None:
            nonlocal total
            total = lin.plus(total, lin.gate(cond, amount))

        for var in self.vars.values():
            if isinstance(var, CountVar):
                price = fam.slot(var.slot).price
                for a in var.active:
                    add(a, lin.const(price))
                continue
            attr = var.attr
            if isinstance(attr, EnumAttribute):
                for v, lit in zip(attr.values, var.lits, strict=True):
                    add(cnf.and_([var.active, lit]), lin.const(v.price))
            elif isinstance(attr, BoolAttribute):
                add(cnf.and_([var.active, var.lits[0]]), lin.const(attr.price))
        for term in fam.pricing.terms:
            binds: list[tuple[int, Binding]] = [(cnf.true, None)]
            if term.slot is not None:
                binds = [(a, (term.slot, i)) for i, a in self._instances(term.slot)]
            for act, bind in binds:
                cond = act
                if term.when is not None:
                    cond = cnf.and_([act, self.lower.boolean(term.when, bind)])
                add(cond, lin.expr(term.amount, bind))
        return total

    def _instances(self, slot: str) -> list[tuple[int, int]]:
        return self.lower._inst(slot)


def _integral(key: str, value: Value) -> int:
    if isinstance(value, bool) or not isinstance(value, Decimal) or value != int(value):
        raise InvalidValue(key, value, "expected a whole number of instances")
    return int(value)


def _grid(attr: NumberAttribute) -> str:
    unit = f" {attr.unit}" if attr.unit else ""
    return f"allowed values are {attr.min}..{attr.max}{unit} in steps of {attr.step}"
