"""One configuration engine per (family id, version), built once and shared by requests.

Engines are expensive to build and hold an incremental SAT solver, which is not safe to use from
two threads at once: each engine comes with its own lock. Family versions are immutable, so an
engine never goes stale; analyses of the same choices are memoised (least recently used).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TypeVar

from lotone.api.timing import Timing
from lotone.configure.cp_price import PriceRunner
from lotone.configure.engine import Engine
from lotone.model.family import Family
from lotone.model.loader import load_family_text

__all__ = ["EngineCache", "Slot"]

T = TypeVar("T")


@dataclass
class Slot:
    """An engine with its lock and its memo of recent answers."""

    engine: Engine
    lock: threading.Lock = field(default_factory=threading.Lock)
    memo: OrderedDict[Hashable, object] = field(default_factory=OrderedDict)
    memo_size: int = 4096

    @property
    def family(self) -> Family:
        """The family the engine was built from."""
        return self.engine.family

    def run(
        self, key: Hashable | None, query: Callable[[Engine], T], timing: Timing | None = None
    ) -> T:
        """``query(engine)`` under the engine's lock; memoised under ``key`` unless None.

        ``timing`` gets the wait for the lock (``wait``) and the engine's work (``engine``, or
        ``memo`` when the answer was remembered).
        """
        with self.lock:
            if timing is not None:
                timing.mark("wait")
            if key is not None and key in self.memo:
                self.memo.move_to_end(key)
                if timing is not None:
                    timing.mark("memo")
                return self.memo[key]  # type: ignore[return-value]
            answer = query(self.engine)
            if timing is not None:
                timing.mark("engine")
            if key is not None:
                self.memo[key] = answer
                if len(self.memo) > self.memo_size:
                    self.memo.popitem(last=False)
            return answer


class EngineCache:
    """Engines by (family id, version), built on first use from the stored YAML source."""

    def __init__(self, *, budget: float = 0.5, prices: PriceRunner | None = None) -> None:
        self.budget = budget  # each engine's time budget for price ranges and completions
        self.prices = prices  # where the engines prove price ranges (None: their own threads)
        self._slots: dict[tuple[str, str], Slot] = {}
        self._lock = threading.Lock()
        self._building: dict[tuple[str, str], threading.Lock] = {}

    def get(self, family_id: str, version: str, source: Callable[[], str]) -> Slot:
        """The engine of a family version; ``source()`` gives its YAML when it must be built."""
        key = (family_id, version)
        slot = self._slots.get(key)
        if slot is not None:
            return slot
        with self._lock:
            build_lock = self._building.setdefault(key, threading.Lock())
        with build_lock:
            slot = self._slots.get(key)
            if slot is None:
                family = load_family_text(source(), f"{family_id}@{version}")
                slot = Slot(Engine(family, budget=self.budget, prices=self.prices))
                if self.prices is not None:
                    self.prices.warm(family)
                self._slots[key] = slot
        return slot

    def __len__(self) -> int:
        return len(self._slots)
