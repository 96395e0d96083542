"""Random processing times: per machine, unit-mean factors drawn in blocks with NumPy.

A processing time is the operation's routing time (the mean) times a factor of mean 1: 1 when
the machine's CV is 0, exponential when it is 1, else gamma with shape ``1 / cv**2`` (and scale
``cv**2``), so the time has the routing time as mean and the machine's CV. Each machine draws
its factors from its own stream (seed ``proc:<seed>:<machine>``), :data:`BLOCK` at a time, so a
draw in the simulation is a list index instead of a call into :mod:`random`; the same seed gives
the same times.
"""

from __future__ import annotations

import random

import numpy as np

__all__ = ["BLOCK", "Factors"]

BLOCK = 1024


class Factors:
    """The unit-mean processing-time factors of one machine (see the module docstring).

    >>> f = Factors(seed=0, machine=3, cv=0.5)
    >>> block = f.block()
    >>> len(block), all(x > 0 for x in block)
    (1024, True)
    >>> Factors(seed=0, machine=3, cv=0.5).block() == block
    True
    """

    __slots__ = ("_gen", "_shape")

    def __init__(self, seed: int, machine: int, cv: float) -> None:
        # a text seed through random.Random, as the other streams, gives any int seed 128 bits
        entropy = random.Random(f"proc:{seed}:{machine}").getrandbits(128)
        self._gen = np.random.default_rng(entropy)
        self._shape = 0.0 if cv == 1 else 1.0 / (cv * cv)

    def block(self) -> list[float]:
        """The next :data:`BLOCK` factors (mean 1) as Python floats."""
        if self._shape == 0.0:
            out = self._gen.standard_exponential(BLOCK)
        else:
            out = self._gen.standard_gamma(self._shape, BLOCK) / self._shape
        values: list[float] = out.tolist()
        return values
