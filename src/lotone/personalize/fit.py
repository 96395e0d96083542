"""Fit models learned from body data: size grids and size prediction (ANSUR II).

* :func:`size_grid`: the fewest sizes (bands of ``band_mm`` of one measurement) that together
  fit at least ``coverage`` of the people, found exactly by dynamic programming over the sorted
  measurements (the best ``k`` bands for ``k = 1, 2, ...`` until the coverage is reached).
* :class:`SizePredictor`: a least-squares model from some measurements (say stature and hand
  length) to another (foot length), with its size on a grid; :func:`held_out_error` reports its
  error on people it was not fitted on.
* :func:`insole_fit`: a profile's foot measurements to insole attributes, behind the ``fit``
  consent.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from lotone.errors import LotoneError
from lotone.personalize.profile import Profile, require

__all__ = [
    "MEASURES",
    "Anthropometry",
    "HeldOutError",
    "Size",
    "SizeGrid",
    "SizePredictor",
    "held_out_error",
    "insole_fit",
    "load_ansur",
    "size_grid",
]

MEASURES: Mapping[str, str] = {
    "foot_length": "footlength",
    "foot_breadth": "footbreadthhorizontal",
    "ball_of_foot_circumference": "balloffootcircumference",
    "hand_length": "handlength",
    "hand_breadth": "handbreadth",
    "stature": "stature",
    "span": "span",
    "chest_circumference": "chestcircumference",
    "waist_circumference": "waistcircumference",
    "sitting_height": "sittingheight",
    "overhead_reach_sitting": "overheadfingertipreachsitting",
}
"""Friendly measure names -> ANSUR II column names (all in millimetres)."""

_SAMPLE_COLUMNS = {"foot_length": "foot_length_mm", "foot_breadth": "foot_breadth_mm"}


@dataclass(frozen=True)
class Anthropometry:
    """Measurements of a population: ``columns[name]`` holds one value (mm) per person."""

    source: str
    columns: Mapping[str, npt.NDArray[np.float64]]
    sex: tuple[str, ...]

    @property
    def people(self) -> int:
        return len(self.sex)

    def measure(self, name: str) -> npt.NDArray[np.float64]:
        """The values of measure ``name`` (a friendly name or an ANSUR column)."""
        column = MEASURES.get(name, name)
        for key in (name, column):
            if key in self.columns:
                return self.columns[key]
        known = sorted({*MEASURES, *self.columns} & {*MEASURES, *self.columns})
        raise LotoneError(
            f"{self.source} has no measure {name!r}; try one of {', '.join(known[:12])}"
        )


def load_ansur(folder: Path | None) -> Anthropometry:
    """ANSUR II from its two public CSVs in ``folder``; ``None``: the packaged 600-row sample.

    The male file is latin-1, the female one UTF-8 (see the dataset's README); the columns of
    :data:`MEASURES` are kept. ``overhead_reach`` (standing overhead fingertip reach, which
    ANSUR II does not measure directly) is derived as stature - sitting height + overhead
    fingertip reach sitting: the seat's height when standing plus the reach above the seat.
    """
    if folder is None:
        sample = resources.files("lotone.produce").joinpath("data/ansur2_feet.csv")
        rows = list(csv.DictReader(sample.read_text(encoding="utf-8").splitlines()))
        cols = {
            name: np.array([float(r[col]) for r in rows]) for name, col in _SAMPLE_COLUMNS.items()
        }
        cols.update({MEASURES[k]: v for k, v in list(cols.items())})
        return Anthropometry("ansur2 sample (600 people)", cols, tuple(r["sex"] for r in rows))
    files = [("ANSUR_II_MALE_Public.csv", "latin-1"), ("ANSUR_II_FEMALE_Public.csv", "utf-8")]
    columns: dict[str, list[float]] = {}
    sex: list[str] = []
    for name, encoding in files:
        path = folder / name
        if not path.is_file():
            raise LotoneError(f"{path} is missing: the ansur2 folder needs both public CSVs")
        with path.open(encoding=encoding, newline="") as f:
            reader = csv.DictReader(f)
            for row in reader:
                sex.append(row.get("Gender", "").lower())
                for key, value in row.items():
                    if key in MEASURES.values() or key in {"weightkg", "Age"}:
                        columns.setdefault(key, []).append(float(value))
    arrays = {k: np.array(v) for k, v in columns.items()}
    arrays["overhead_reach"] = (
        arrays["stature"] - arrays["sittingheight"] + arrays["overheadfingertipreachsitting"]
    )
    return Anthropometry(f"ansur2 ({len(sex)} people)", arrays, tuple(sex))


@dataclass(frozen=True, slots=True)
class Size:
    """One size: the band ``[low, high]`` (mm) of the measure, and how many people it fits."""

    number: int
    low: float
    high: float
    people: int


@dataclass(frozen=True, slots=True)
class SizeGrid:
    """The fewest sizes reaching a coverage of a population."""

    measure: str
    band_mm: float
    sizes: tuple[Size, ...]
    coverage: float
    people: int

    def size_of(self, value: float) -> int | None:
        """The number of the size that fits ``value`` (the nearest band when none does)."""
        if not self.sizes:
            return None
        for s in self.sizes:
            if s.low <= value <= s.high:
                return s.number
        nearest = min(self.sizes, key=lambda s: min(abs(value - s.low), abs(value - s.high)))
        return nearest.number


def size_grid(
    values: Sequence[float] | npt.NDArray[np.float64],
    *,
    coverage: float = 0.95,
    band_mm: float = 6.67,
    measure: str = "measure",
    max_sizes: int = 60,
) -> SizeGrid:
    """The fewest bands of width ``band_mm`` fitting at least ``coverage`` of ``values``.

    Exact: ``best[k][i]`` is the most people of the sorted values ``i..`` that ``k`` bands can
    fit, and a band worth opening always starts at a person's value. 6.67 mm is one Paris point
    (European shoe sizes).

    >>> grid = size_grid([250, 251, 252, 270, 271, 300], coverage=0.8, band_mm=5)
    >>> [(s.low, s.high, s.people) for s in grid.sizes]
    [(250.0, 255.0, 3), (270.0, 275.0, 2)]
    """
    if not 0 < coverage <= 1:
        raise LotoneError(f"coverage must be in (0, 1], got {coverage}")
    if band_mm <= 0:
        raise LotoneError(f"band_mm must be positive, got {band_mm}")
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = len(x)
    if n == 0:
        raise LotoneError("no measurements to build a size grid from")
    need = math.ceil(coverage * n - 1e-9)
    nxt = np.searchsorted(x, x + band_mm, side="right")  # first person beyond a band at i
    prev = np.zeros(n + 1, dtype=np.int64)  # best with k-1 bands, from i on
    choice: list[npt.NDArray[np.int64]] = []
    for _ in range(max_sizes):
        cur = np.zeros(n + 1, dtype=np.int64)
        take = np.zeros(n + 1, dtype=np.int64)
        for i in range(n - 1, -1, -1):
            open_here = int(nxt[i]) - i + int(prev[nxt[i]])
            if open_here >= cur[i + 1]:
                cur[i], take[i] = open_here, 1
            else:
                cur[i] = cur[i + 1]
        choice.append(take)
        prev = cur
        if cur[0] >= need:
            break
    else:
        raise LotoneError(f"{max_sizes} sizes of {band_mm} mm do not reach coverage {coverage}")
    sizes: list[Size] = []
    i, k = 0, len(choice) - 1
    while i < n and k >= 0:
        if choice[k][i]:
            j = int(nxt[i])
            sizes.append(Size(len(sizes) + 1, float(x[i]), float(x[i]) + band_mm, j - i))
            i, k = j, k - 1
        else:
            i += 1
    covered = sum(s.people for s in sizes)
    return SizeGrid(measure, band_mm, tuple(sizes), covered / n, n)


@dataclass(frozen=True, slots=True)
class SizePredictor:
    """``target ~ intercept + coef . predictors`` by least squares (all in mm)."""

    target: str
    predictors: tuple[str, ...]
    intercept: float
    coef: tuple[float, ...]

    @classmethod
    def fit(
        cls, data: Anthropometry, target: str, predictors: Sequence[str],
        rows: npt.NDArray[np.int64] | None = None,
    ) -> SizePredictor:  # fmt: skip
        """Fit on ``rows`` of ``data`` (every row by default)."""
        if not predictors:
            raise LotoneError("a size predictor needs at least one measurement to predict from")
        y = data.measure(target)
        x = np.column_stack([data.measure(p) for p in predictors])
        if rows is not None:
            x, y = x[rows], y[rows]
        design = np.column_stack([np.ones(len(y)), x])
        beta, *_ = np.linalg.lstsq(design, y, rcond=None)
        return cls(target, tuple(predictors), float(beta[0]), tuple(float(b) for b in beta[1:]))

    def predict(self, values: Sequence[float] | npt.NDArray[np.float64]) -> float:
        """The predicted target for one person's predictor values, in order."""
        if len(values) != len(self.coef):
            raise LotoneError(f"expected {len(self.coef)} measurements: {list(self.predictors)}")
        return self.intercept + float(np.dot(self.coef, values))


@dataclass(frozen=True, slots=True)
class HeldOutError:
    """Error of a :class:`SizePredictor` on people it was not fitted on."""

    held_out: int
    mae_mm: float
    rmse_mm: float
    exact_size: float
    within_one_size: float


def held_out_error(
    data: Anthropometry, grid: SizeGrid, predictors: Sequence[str], *,
    test_fraction: float = 0.2, seed: int = 0,
) -> tuple[SizePredictor, HeldOutError]:  # fmt: skip
    """Fit on a random ``1 - test_fraction`` of the people, measure on the rest."""
    rng = np.random.default_rng(seed)
    perm = rng.permutation(data.people)
    cut = round(data.people * (1 - test_fraction))
    train, test = perm[:cut], perm[cut:]
    model = SizePredictor.fit(data, grid.measure, predictors, train)
    x = np.column_stack([data.measure(p) for p in predictors])[test]
    truth = data.measure(grid.measure)[test]
    pred = np.array([model.predict(row) for row in x])
    err = pred - truth
    true_size = np.array([grid.size_of(float(v)) or 0 for v in truth])
    pred_size = np.array([grid.size_of(float(v)) or 0 for v in pred])
    return model, HeldOutError(
        len(test),
        float(np.mean(np.abs(err))),
        float(np.sqrt(np.mean(err**2))),
        float(np.mean(true_size == pred_size)),
        float(np.mean(np.abs(true_size - pred_size) <= 1)),
    )


def insole_fit(profile: Profile) -> dict[str, float | str]:
    """Insole attributes from a profile's foot scan (needs the ``fit`` consent).

    Foot length and width are copied to the product's measurement attributes; when no arch
    height was measured (ANSUR II has none) it is derived as 6 % of foot length, a common rule
    of thumb, rounded to the millimetre.
    """
    require(profile, "fit", "foot measurements")
    length = profile.measurement("foot_length_mm")
    if length is None:
        raise LotoneError("the profile has no foot_length_mm to fit an insole from")
    out: dict[str, float | str] = {"foot_length_mm": float(round(length))}
    width = profile.measurement("foot_width_mm")
    if width is not None:
        out["foot_width_mm"] = float(round(width))
    arch = profile.measurement("arch_height_mm")
    out["arch_height_mm"] = float(round(arch if arch is not None else 0.06 * length))
    return out
