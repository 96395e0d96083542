"""Synthetic orders: valid configurations drawn from plausible customers, reproducibly.

:func:`generate_orders` draws from the family's sampler (:mod:`lotone.produce.customers`),
validates every draw with the reference evaluator and draws again when it breaks a rule, so
every order is valid. A family without a sampler gets generic customers: a few attributes drawn
at random from their valid domains, completed by the configuration engine from the defaults.
The same family, count and seed always give the same orders.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from lotone.configure.engine import Engine
from lotone.configure.validate import validate
from lotone.errors import InvalidValue, LotoneError
from lotone.model.family import Family, NumberAttribute, Value
from lotone.produce.customers import SAMPLERS, Foot
from lotone.produce.work_order import json_number

__all__ = ["Order", "generate_orders"]

_TRIES = 50


@dataclass(frozen=True, slots=True)
class Order:
    """A customer order: an id and a complete, valid configuration of a family version."""

    order_id: str
    family: str
    version: str
    configuration: dict[str, Value]

    def to_json(self) -> dict[str, object]:
        """One line of ``lotone orders generate``."""
        values = {
            k: json_number(v) if isinstance(v, Decimal) else v
            for k, v in self.configuration.items()
        }
        return {
            "order_id": self.order_id,
            "family": self.family,
            "version": self.version,
            "configuration": values,
        }


def generate_orders(
    family: Family, count: int, seed: int, feet: Sequence[Foot] = ()
) -> Iterator[Order]:
    """``count`` valid orders of ``family``, drawn with ``seed``.

    Parameters
    ----------
    family
        The family; the sample catalog's families have their own customer samplers.
    count
        How many orders.
    seed
        The seed of the draw: the same seed gives the same orders.
    feet
        Measured feet (ANSUR II) for the insole's sampler.

    Raises
    ------
    LotoneError
        When a sampler keeps drawing invalid configurations (a sampler out of step with its
        family's rules), or the insole sampler has no feet.
    """
    if count < 0:
        raise LotoneError(f"--count must be 0 or more, got {count}")
    rng = random.Random(seed)
    sampler = SAMPLERS.get(family.id)
    if sampler is not None and family.id == "insole" and not feet:
        raise LotoneError("insole orders need foot measurements (ANSUR II sample)")
    engine: Engine | None = None
    for n in range(1, count + 1):
        if sampler is not None:
            config = _sampled(family, lambda: sampler(rng, feet))
        else:
            engine = engine or Engine(family)
            config = _generic(engine, rng)
        yield Order(f"{family.id}-{seed}-{n:06d}", family.id, family.version, config)


def _sampled(family: Family, draw: object) -> dict[str, Value]:
    last: list[str] = []
    for _ in range(_TRIES):
        config = draw()  # type: ignore[operator]
        try:
            broken = validate(family, config)
        except InvalidValue as exc:  # off a grid: a draw to throw away, like a broken rule
            last = [str(exc)]
            continue
        if not broken:
            return dict(config)
        last = [v.rule_id for v in broken]
    raise LotoneError(
        f"the {family.id} sampler drew {_TRIES} invalid configurations in a row (last broke"
        f" {', '.join(last)}): it no longer matches the family's rules"
    )


def _generic(engine: Engine, rng: random.Random) -> dict[str, Value]:
    """A few random choices from the valid domains, completed from the defaults."""
    choices: dict[str, Value] = {}
    keys = [k for k in engine.keys if "[" not in k]
    for key in rng.sample(keys, min(3, len(keys))):
        var = engine.enc.var(key)
        attr = getattr(var, "attr", None)
        if isinstance(attr, NumberAttribute):
            value: Value = attr.at(rng.randrange(attr.size))
        else:
            from lotone.configure.defaults import candidates

            value = rng.choice(candidates(var))
        if engine.is_consistent({**choices, key: value}):
            choices[key] = value
    return engine.complete(choices)
