"""Where replications run: a small executor seam (serial, local processes; more can plug in).

An :class:`Executor` maps a picklable function over items and returns the results in order.
:class:`SerialExecutor` runs in this process (tests, one core); :class:`ProcessExecutor` runs on
local cores. A distributed backend only has to provide ``map``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Protocol, TypeVar

__all__ = ["Executor", "ProcessExecutor", "SerialExecutor", "default_executor"]

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    """Runs ``fn`` over ``items``; results in the order of ``items``."""

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """Apply ``fn`` to every item."""
        ...


class SerialExecutor:
    """Runs everything in this process, one after the other."""

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """Apply ``fn`` to every item, in order."""
        return [fn(x) for x in items]


class ProcessExecutor:
    """Runs items on up to ``workers`` local processes (default: the cores available)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or len(os.sched_getaffinity(0))

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """Apply ``fn`` to every item in worker processes; results in order."""
        if len(items) <= 1 or self.workers <= 1:
            return [fn(x) for x in items]
        with ProcessPoolExecutor(max_workers=min(self.workers, len(items))) as pool:
            return list(pool.map(fn, items))


def default_executor(replications: int) -> Executor:
    """Processes when there is more than one replication and core, else serial."""
    return ProcessExecutor() if replications > 1 else SerialExecutor()
