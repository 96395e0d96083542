"""A configuration session: choices made and retracted in any order, answered after each step."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from lotone.configure.engine import Analysis, Engine, Objective
from lotone.configure.variables import AttrVar, CountVar
from lotone.errors import InvalidValue
from lotone.model.family import BoolAttribute, EnumAttribute, Value

__all__ = ["Session", "parse_value"]

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def parse_value(engine: Engine, key: str, text: str) -> Value:
    """The typed value of ``key`` written as text (``oak``, ``true``, ``265``, ``0.5``)."""
    var = engine.enc.var(key)
    if isinstance(var, CountVar) or not isinstance(var.attr, EnumAttribute | BoolAttribute):
        try:
            return Decimal(text.strip())
        except InvalidOperation:
            raise InvalidValue(key, text, "expected a number") from None
    if isinstance(var.attr, BoolAttribute):
        low = text.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise InvalidValue(key, text, "expected true or false")
    return text.strip()


class Session:
    """Choices on one engine; :attr:`state` is recomputed lazily after each change.

    >>> # s = Session(engine); s.set("finish", "oak"); s.state.domains["handle"]
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._choices: dict[str, Value] = {}
        self._state: Analysis | None = None

    @property
    def choices(self) -> dict[str, Value]:
        """The customer's choices, in the order they were made."""
        return dict(self._choices)

    def set(self, key: str, value: Value | str) -> Analysis:
        """Choose ``value`` for ``key`` (text is parsed by the key's type); returns the new state.

        Choosing a withheld value is allowed: the state then has status ``conflict`` with a
        minimal explanation. Ill-typed values and unknown keys raise at once.
        """
        if isinstance(value, str) and not self._is_enum(key):
            value = parse_value(self.engine, key, value)
        self.engine.enc.value_lit(key, value)  # validates key and value before storing
        self._choices.pop(key, None)
        self._choices[key] = value
        self._state = None
        return self.state

    def unset(self, key: str) -> Analysis:
        """Retract the choice for ``key`` (no-op when it was not chosen)."""
        self._choices.pop(key, None)
        self._state = None
        return self.state

    def reset(self) -> Analysis:
        """Retract every choice."""
        self._choices.clear()
        self._state = None
        return self.state

    @property
    def state(self) -> Analysis:
        """Status, valid domains and price range under the current choices."""
        if self._state is None:
            self._state = self.engine.analyze(self._choices)
        return self._state

    def complete(self, objective: Objective = "defaults") -> dict[str, Value]:
        """A complete valid configuration that keeps every choice."""
        return self.engine.complete(self._choices, objective)

    def _is_enum(self, key: str) -> bool:
        var = self.engine.enc.var(key)
        return isinstance(var, AttrVar) and isinstance(var.attr, EnumAttribute)
