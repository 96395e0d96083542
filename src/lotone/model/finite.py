"""Finite-domain product models: variables with named values, allowed-combination tables, clauses.

This is the form every imported model takes (CLib tables, XCSP positive tables, DIMACS feature
models, UVL): no numbers, no modules, no prices, only variables with a finite list of values and
constraints over them. Both configuration backends (incremental SAT and compiled BDD) read it, so
the same questions (valid domains, why, repair, count) are answered the same way for every format.

Everything here is by index for speed: ``Table.scope`` holds variable indices, a tuple holds value
indices into each variable's ``values``; a clause is a disjunction of ``variable == value`` tests.
A Boolean variable (a feature of a feature model) has the values ``("false", "true")``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from lotone.errors import Diagnostic, InvalidValue, ModelError, SourceSpan, UnknownName

__all__ = [
    "BOOL_VALUES",
    "Clause",
    "FiniteModel",
    "FiniteVar",
    "Table",
]

BOOL_VALUES = ("false", "true")


@dataclass(frozen=True, slots=True)
class FiniteVar:
    """A variable and its values (labels as the source file writes them), in source order."""

    name: str
    values: tuple[str, ...]
    span: SourceSpan | None = field(default=None, compare=False)

    @property
    def is_bool(self) -> bool:
        return self.values == BOOL_VALUES


@dataclass(frozen=True)
class Table:
    """A positive table: the assignment must match one of ``tuples`` on ``scope``."""

    id: str
    scope: tuple[int, ...]
    tuples: tuple[tuple[int, ...], ...]
    span: SourceSpan | None = field(default=None, compare=False)

    def allows(self, assignment: Sequence[int]) -> bool:
        """Whether a full assignment (value index per variable) matches a row."""
        return tuple(assignment[v] for v in self.scope) in self.rows

    @cached_property
    def rows(self) -> frozenset[tuple[int, ...]]:
        """The allowed tuples as a set."""
        return frozenset(self.tuples)


@dataclass(frozen=True, slots=True)
class Clause:
    """A disjunction: some ``(variable, value)`` pair of ``lits`` holds."""

    id: str
    lits: tuple[tuple[int, int], ...]
    span: SourceSpan | None = field(default=None, compare=False)

    def allows(self, assignment: Sequence[int]) -> bool:
        return any(assignment[v] == k for v, k in self.lits)


@dataclass(frozen=True)
class FiniteModel:
    """A finite-domain configuration model.

    ``hidden`` names auxiliary variables an importer introduced (Tseitin variables of a UVL
    constraint, say). Each is a function of the visible ones, so counts and domains over the
    visible variables are unchanged; front ends do not offer them.
    """

    id: str
    name: str
    format: str
    variables: tuple[FiniteVar, ...]
    tables: tuple[Table, ...] = ()
    clauses: tuple[Clause, ...] = ()
    hidden: frozenset[int] = frozenset()
    version: str = "1"
    source: str = ""

    def __post_init__(self) -> None:
        problems: list[str] = []
        names = [v.name for v in self.variables]
        if len(set(names)) != len(names):
            dupes = sorted({n for n in names if names.count(n) > 1})
            problems.append(f"duplicate variable names: {', '.join(dupes[:5])}")
        for var in self.variables:
            if not var.values:
                problems.append(f"variable {var.name} has no values")
            elif len(set(var.values)) != len(var.values):
                problems.append(f"variable {var.name} lists a value twice")
        n = len(self.variables)
        for t in self.tables:
            if any(not 0 <= v < n for v in t.scope):
                problems.append(f"table {t.id} refers to a variable that does not exist")
                continue
            sizes = [len(self.variables[v].values) for v in t.scope]
            for row in t.tuples:
                fits = len(row) == len(sizes) and all(
                    0 <= k < s for k, s in zip(row, sizes, strict=True)
                )
                if not fits:
                    problems.append(f"table {t.id} has a row that does not fit its scope")
                    break
        for c in self.clauses:
            for v, k in c.lits:
                if not 0 <= v < n or not 0 <= k < len(self.variables[v].values):
                    problems.append(f"clause {c.id} refers to a value that does not exist")
                    break
        if problems:
            where = SourceSpan(self.source or self.id, 1, 1)
            raise ModelError([Diagnostic("error", p, where) for p in problems])

    # --- names ----------------------------------------------------------------------------

    @cached_property
    def index(self) -> dict[str, int]:
        """Variable name -> index."""
        return {v.name: i for i, v in enumerate(self.variables)}

    @cached_property
    def _value_index(self) -> list[dict[str, int]]:
        return [{name: k for k, name in enumerate(v.values)} for v in self.variables]

    @property
    def visible(self) -> list[int]:
        """Indices of the variables a customer sees (all but the hidden ones)."""
        return [i for i in range(len(self.variables)) if i not in self.hidden]

    def var(self, name: str) -> int:
        """The index of variable ``name`` (UnknownName with a did-you-mean hint otherwise)."""
        try:
            return self.index[name]
        except KeyError:
            raise UnknownName("variable", name, self.index, self.id) from None

    def value(self, var: int, label: str) -> int:
        """The index of value ``label`` of variable ``var`` (InvalidValue otherwise)."""
        try:
            return self._value_index[var][label]
        except KeyError:
            allowed = self.variables[var].values
            shown = ", ".join(allowed[:12]) + (", ..." if len(allowed) > 12 else "")
            raise InvalidValue(
                self.variables[var].name, label, f"expected one of {shown}"
            ) from None

    def choices(self, named: Mapping[str, str]) -> dict[int, int]:
        """``{name: label}`` -> ``{variable index: value index}``, checked."""
        out: dict[int, int] = {}
        for name, label in named.items():
            v = self.var(name)
            out[v] = self.value(v, label)
        return out

    def named(self, choices: Mapping[int, int]) -> dict[str, str]:
        """``{variable index: value index}`` -> ``{name: label}``."""
        return {self.variables[v].name: self.variables[v].values[k] for v, k in choices.items()}

    # --- reference semantics --------------------------------------------------------------

    def violated(self, assignment: Sequence[int]) -> list[str]:
        """The ids of the constraints a full assignment breaks (empty when it is valid)."""
        if len(assignment) != len(self.variables):
            raise ValueError(f"expected {len(self.variables)} values, got {len(assignment)}")
        out = [t.id for t in self.tables if not t.allows(assignment)]
        out += [c.id for c in self.clauses if not c.allows(assignment)]
        return out

    def holds(self, assignment: Sequence[int]) -> bool:
        """Whether a full assignment satisfies every constraint."""
        return not self.violated(assignment)

    def describe(self, constraint_id: str) -> str:
        """A constraint in words: ``allowed combinations of A, B`` or ``A or not B``."""
        return self._descriptions.get(constraint_id, constraint_id)

    @cached_property
    def _descriptions(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for t in self.tables:
            names = ", ".join(self.variables[v].name for v in t.scope)
            out[t.id] = f"allowed combinations of {names} ({len(t.tuples)} rows)"
        for c in self.clauses:
            out[c.id] = " or ".join(self._literal_text(v, k) for v, k in c.lits)
        return out

    def _literal_text(self, var: int, value: int) -> str:
        v = self.variables[var]
        if v.is_bool:
            return v.name if value == 1 else f"not {v.name}"
        return f"{v.name}={v.values[value]}"

    @property
    def constraint_ids(self) -> list[str]:
        return [t.id for t in self.tables] + [c.id for c in self.clauses]

    def stats(self) -> dict[str, int]:
        """Sizes a person checks an import by: variables, values, tables, tuples, clauses."""
        return {
            "variables": len(self.visible),
            "values": sum(len(self.variables[i].values) for i in self.visible),
            "tables": len(self.tables),
            "tuples": sum(len(t.tuples) for t in self.tables),
            "clauses": len(self.clauses),
        }
