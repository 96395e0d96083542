"""Which values the models found so far support (model-based filtering of valid domains).

Every model the solver returns is a complete valid product, so each of its values is supported:
the engine asks the solver only about values no model has shown yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from lotone.configure.variables import AttrVar, CountVar, Var
from lotone.model.family import NumberAttribute, Value

__all__ = ["Support"]


class Support:
    """Supported values per key, grown by :meth:`absorb`."""

    def __init__(self, variables: Mapping[str, Var]) -> None:
        self._vars = variables
        self._values: dict[str, set[Value]] = {k: set() for k in variables}
        self._indices: dict[str, set[int]] = {k: set() for k in variables}
        self._exists: set[str] = set()
        self._witness: dict[str, dict[int, frozenset[int]]] = {}

    def absorb(self, model: frozenset[int]) -> None:
        """Mark every value of ``model`` as supported."""
        for key, var in self._vars.items():
            if isinstance(var, CountVar):
                self._values[key].add(var.value_of(model))
                continue
            if var.active not in model:
                continue
            self._exists.add(key)
            if isinstance(var.attr, NumberAttribute):
                k = var.index_in(model)
                self._indices[key].add(k)
                self._witness.setdefault(key, {}).setdefault(k, model)
            else:
                self._values[key].add(var.value_of(model))

    def has(self, key: str, value: Value) -> bool:
        """Whether some model has ``key == value``."""
        if isinstance(value, Decimal) and not isinstance(self._vars[key], CountVar):
            var = self._vars[key]
            if isinstance(var, AttrVar) and isinstance(var.attr, NumberAttribute):
                return var.attr.index_of(value) in self._indices[key]
        return value in self._values[key]

    def indices(self, key: str) -> set[int]:
        """The grid indices of a number key seen in models."""
        return self._indices[key]

    def witness(self, key: str, index: int) -> frozenset[int] | None:
        """A model in which number ``key`` has grid index ``index`` (None if none seen)."""
        return self._witness.get(key, {}).get(index)

    def exists(self, key: str) -> bool:
        """Whether some model has the key's instance."""
        return key in self._exists
