"""Per-attribute value probabilities from similar past configurations (weighted kNN).

Every past configuration votes for its values of the open attributes with the weight
``exp(beta * matches)``, ``matches`` being how many of the customer's choices it shares; the
votes are mixed with the overall frequencies (``alpha``) so no value seen in the history has
probability zero. Probabilities become scores (``log p``) for the engine's weighted completion.
``beta`` was chosen on Renault medium fold 0 (see ``docs/personalize.md``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from lotone.errors import LotoneError
from lotone.personalize.history import History

__all__ = ["Neighbours"]


@dataclass(frozen=True)
class Neighbours:
    """A kNN vote over ``history`` (fit once, ask per customer)."""

    history: History
    beta: float = 1.5
    alpha: float = 0.01
    _prior: tuple[npt.NDArray[np.float64], ...] = field(init=False, repr=False)
    _column: Mapping[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if len(self.history) == 0:
            raise LotoneError("an empty order history cannot teach recommendations")
        if not 0 < self.alpha <= 1 or self.beta < 0:
            raise LotoneError("Neighbours needs 0 < alpha <= 1 and beta >= 0")
        prior = []
        for j, labels in enumerate(self.history.labels):
            counts = np.bincount(self.history.rows[:, j], minlength=len(labels)) + 1.0
            prior.append(counts / counts.sum())
        object.__setattr__(self, "_prior", tuple(prior))
        object.__setattr__(self, "_column", {n: j for j, n in enumerate(self.history.names)})

    def weights(self, revealed: Mapping[str, str]) -> npt.NDArray[np.float64]:
        """Each past configuration's vote weight under the customer's choices."""
        rows = self.history.rows
        matches = np.zeros(len(rows))
        for name, label in revealed.items():
            j = self._column.get(name)
            if j is None:
                continue
            k = _index(self.history.labels[j], label)
            if k is not None:
                matches += rows[:, j] == k
        out: npt.NDArray[np.float64] = np.exp(self.beta * (matches - matches.max()))
        return out

    def distributions(
        self, revealed: Mapping[str, str], weights: npt.NDArray[np.float64] | None = None
    ) -> dict[str, dict[str, float]]:
        """``{attribute: {label: probability}}`` for every history column not revealed."""
        w = self.weights(revealed) if weights is None else weights
        out: dict[str, dict[str, float]] = {}
        for j, name in enumerate(self.history.names):
            if name in revealed:
                continue
            labels = self.history.labels[j]
            votes = np.bincount(self.history.rows[:, j], weights=w, minlength=len(labels))
            p = (1 - self.alpha) * votes / votes.sum() + self.alpha * self._prior[j]
            out[name] = {lab: float(q) for lab, q in zip(labels, p, strict=True)}
        return out

    def popular(self) -> dict[str, str]:
        """The most frequent label of every column (the popularity baseline)."""
        return {
            name: self.history.labels[j][int(np.argmax(self._prior[j]))]
            for j, name in enumerate(self.history.names)
        }


def _index(labels: tuple[str, ...], label: str) -> int | None:
    try:
        return labels.index(label)
    except ValueError:
        return None
