"""The evaluation harness: predict held-out orders from half of their choices.

For each fold, the recommender learns from the other folds; for each held-out order a random
``reveal`` fraction of its history columns is revealed (a seeded draw per order, the same for
every method) and the rest is predicted. Reported: per-attribute accuracy over the hidden
cells, the exact-match rate of the hidden part, the validity rate (the prediction with the
revealed choices extends to a valid product, checked on the compiled model), and latency.

Baselines use the same reveals: ``popular`` (each hidden attribute's most frequent value) and
``knn`` (the same neighbour vote without the engine: each attribute's top value on its own).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from lotone.configure.finite_optimize import WeightedSpace
from lotone.errors import Infeasible, LotoneError
from lotone.personalize.history import Folds, History
from lotone.personalize.neighbours import Neighbours
from lotone.personalize.recommend import finite_scores

__all__ = ["Evaluation", "Score", "evaluate"]


@dataclass(frozen=True, slots=True)
class Score:
    """Accuracy over hidden cells, exact match over orders, validity over orders."""

    accuracy: float
    exact_match: float
    valid_rate: float

    def to_json(self) -> dict[str, float]:
        return {"accuracy": round(self.accuracy, 4), "exact_match": round(self.exact_match, 4),
                "valid_rate": round(self.valid_rate, 4)}  # fmt: skip


@dataclass(frozen=True)
class Evaluation:
    """What :func:`evaluate` measured."""

    score: Score
    median_ms: float
    p95_ms: float
    orders: int
    folds: tuple[int, ...]
    reveal: float
    folds_source: str
    baselines: dict[str, Score] = field(default_factory=dict)
    note: str = ""

    def to_json(self) -> dict[str, object]:
        """The ``lotone personalize evaluate --json`` shape."""
        return {
            **self.score.to_json(),
            "median_ms": round(self.median_ms, 2),
            "p95_ms": round(self.p95_ms, 2),
            "orders": self.orders,
            "folds": list(self.folds),
            "reveal": self.reveal,
            "folds_source": self.folds_source,
            "note": self.note,
            "baselines": {k: v.to_json() for k, v in self.baselines.items()},
        }


class _Tally:
    def __init__(self) -> None:
        self.right = self.cells = self.exact = self.valid = self.orders = 0

    def add(self, right: int, cells: int, valid: bool) -> None:
        self.right += right
        self.cells += cells
        self.exact += right == cells
        self.valid += valid
        self.orders += 1

    def score(self) -> Score:
        o = max(self.orders, 1)
        return Score(self.right / max(self.cells, 1), self.exact / o, self.valid / o)


def evaluate(
    space: WeightedSpace,
    sales: History,
    folds: Folds,
    *,
    run_folds: Sequence[int] = tuple(range(10)),
    reveal: float = 0.5,
    per_fold: int | None = None,
    seed: int = 0,
    beta: float = 1.5,
    baselines: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Evaluation:
    """Run the protocol on ``space.model`` with the history ``sales`` split by ``folds``.

    ``per_fold`` caps the held-out orders per fold (a seeded sample), for quick runs.
    """
    if not 0 < reveal < 1:
        raise LotoneError(f"reveal must be between 0 and 1, got {reveal}")
    model = space.model
    for name in sales.names:
        model.var(name)  # every column must be a variable of the model
    n_cols = len(sales.names)
    n_reveal = max(1, round(reveal * n_cols))
    ours, popular, knn = _Tally(), _Tally(), _Tally()
    times: list[float] = []
    zero = [np.zeros(len(v.values)) for v in model.variables]
    for f in run_folds:
        train = sales.subset(folds.ids != f)
        held = np.flatnonzero(folds.ids == f)
        if per_fold is not None and len(held) > per_fold:
            held = np.sort(np.random.default_rng((seed, f)).choice(held, per_fold, replace=False))
        learner = Neighbours(train, beta=beta)
        mode = learner.popular()
        for done, i in enumerate(held):
            record = sales.record(int(i))
            rng = np.random.default_rng((seed, f, int(i)))
            shown = sorted(rng.choice(n_cols, n_reveal, replace=False).tolist())
            revealed = {sales.names[j]: record[sales.names[j]] for j in shown}
            hidden = [n for n in sales.names if n not in revealed]
            start = time.perf_counter()
            weights = learner.weights(revealed)
            dists = learner.distributions(revealed, weights)
            scores = finite_scores(model, revealed, None)
            for name, dist in dists.items():
                scores[model.var(name)] = _log(model.variables[model.var(name)].values, dist)
            best = space.best(scores, model.choices(revealed))
            times.append((time.perf_counter() - start) * 1000)
            guess = model.named(dict(enumerate(best.assignment)))
            ours.add(sum(guess[n] == record[n] for n in hidden), len(hidden),
                     model.holds(best.assignment))  # fmt: skip
            if baselines:
                for tally, pick in (
                    (popular, {n: mode[n] for n in hidden}),
                    (knn, {n: max(dists[n], key=dists[n].__getitem__) for n in hidden}),
                ):
                    right = sum(pick[n] == record[n] for n in hidden)
                    tally.add(right, len(hidden), _extends(space, {**revealed, **pick}, zero))
            if progress is not None:
                progress(done + 1, len(held))
    if not times:
        raise LotoneError("no held-out orders in the folds asked for")
    ordered = sorted(times)
    return Evaluation(
        ours.score(),
        statistics.median(times),
        ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
        ours.orders,
        tuple(run_folds),
        reveal,
        folds.source,
        {"popular": popular.score(), "knn": knn.score()} if baselines else {},
        folds.note,
    )


def _log(values: tuple[str, ...], dist: dict[str, float]) -> npt.NDArray[np.float64]:
    s = np.full(len(values), np.log(1e-6))
    for label, p in dist.items():
        if label in values:
            s[values.index(label)] = np.log(max(p, 1e-6))
    return s


def _extends(
    space: WeightedSpace, named: dict[str, str], zero: list[npt.NDArray[np.float64]]
) -> bool:
    try:
        space.best(zero, space.model.choices(named))
    except Infeasible:
        return False
    return True
