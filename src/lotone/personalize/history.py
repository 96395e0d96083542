"""Order histories: past configurations as a table of categorical columns.

Two readers: the Renault BR4CP sales files (a header of variable names, then one sold car per
line, value labels separated by spaces) with their fold files, and JSON Lines order histories
(one ``{"configuration": {...}}`` or plain ``{name: value}`` object per line).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from lotone.errors import LotoneError

__all__ = ["Folds", "History", "read_folds", "read_orders", "read_sales"]


@dataclass(frozen=True)
class History:
    """Past configurations: ``rows[i, j]`` is the index of row ``i``'s label in ``labels[j]``."""

    names: tuple[str, ...]
    labels: tuple[tuple[str, ...], ...]
    rows: npt.NDArray[np.int64]

    def __post_init__(self) -> None:
        if self.rows.ndim != 2 or self.rows.shape[1] != len(self.names):
            raise LotoneError(f"a history needs {len(self.names)} columns per row")
        if len(self.labels) != len(self.names):
            raise LotoneError("a history needs the labels of every column")

    @classmethod
    def from_records(
        cls, records: Sequence[Mapping[str, str]], names: Sequence[str] | None = None
    ) -> History:
        """A history from ``{name: label}`` records (columns: ``names`` or every name seen)."""
        if names is None:
            seen: dict[str, None] = {}
            for r in records:
                seen.update(dict.fromkeys(r))
            names = list(seen)
        labels: list[dict[str, int]] = [{} for _ in names]
        rows = np.zeros((len(records), len(names)), dtype=np.int64)
        for i, r in enumerate(records):
            for j, name in enumerate(names):
                if name not in r:
                    raise LotoneError(f"order {i + 1} has no value for {name}")
                rows[i, j] = labels[j].setdefault(str(r[name]), len(labels[j]))
        return cls(tuple(names), tuple(tuple(d) for d in labels), rows)

    def __len__(self) -> int:
        return int(self.rows.shape[0])

    def subset(self, index: npt.NDArray[np.int64] | npt.NDArray[np.bool_]) -> History:
        """The rows at ``index`` (same columns and labels)."""
        return History(self.names, self.labels, self.rows[index])

    def record(self, i: int) -> dict[str, str]:
        """Row ``i`` as ``{name: label}``."""
        row = self.rows[i]
        return {n: self.labels[j][int(row[j])] for j, n in enumerate(self.names)}


@dataclass(frozen=True)
class Folds:
    """A fold id per row, and where they came from (``file`` or ``hash`` of the row)."""

    ids: npt.NDArray[np.int64]
    source: str
    note: str = ""


def read_sales(path: Path) -> History:
    """A BR4CP sales file: header of names, then one space-separated configuration per line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise LotoneError(f"{path}: cannot read the sales history: {e}") from None
    if not lines:
        raise LotoneError(f"{path}: empty sales history")
    names = lines[0].split()
    records: list[dict[str, str]] = []
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != len(names):
            raise LotoneError(f"{path}:{n}: expected {len(names)} values, got {len(parts)}")
        records.append(dict(zip(names, parts, strict=True)))
    return History.from_records(records, names)


def read_orders(path: Path) -> History:
    """A JSON Lines order history (``{"configuration": {...}}`` or ``{name: value}`` per line)."""
    records: list[dict[str, str]] = []
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise LotoneError(f"{path}: cannot read the order history: {e}") from None
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as e:
            raise LotoneError(f"{path}:{n}: not JSON: {e.msg}") from None
        if isinstance(data, dict) and isinstance(data.get("configuration"), dict):
            data = data["configuration"]
        if not isinstance(data, dict):
            raise LotoneError(f"{path}:{n}: expected an object")
        records.append({k: _label(v) for k, v in data.items()})
    if not records:
        raise LotoneError(f"{path}: no orders")
    common = [k for k in records[0] if all(k in r for r in records)]
    return History.from_records(records, common)


def _label(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def read_folds(path: Path | None, history: History, folds: int = 10, *, by: str = "file") -> Folds:
    """Fold ids from a file with one id per line (``by="file"``), or by hash (``by="hash"``).

    A file with more ids than rows is read as its authors' own script reads it: the first
    ``len(history)`` ids, one per row in order (the published Renault big file has 8,562 ids
    for 8,337 cars; CFN-learn's ``renault.py`` takes the first 8,337, which gives exactly the
    7,493 / 844 split of fold 9 its README prints). Those folds split some duplicates across
    folds; the note says how many. Without a usable file, or with ``by="hash"``, every
    distinct configuration gets a fold from a hash of its values, so duplicates stay in one
    fold.
    """
    if by not in ("file", "hash"):
        raise LotoneError(f"folds by {by!r}: expected 'file' or 'hash'")
    n = len(history)
    note = ""
    if path is not None and by == "file":
        try:
            ids = [int(x) for x in path.read_text(encoding="utf-8").split()]
        except (OSError, ValueError) as e:
            raise LotoneError(f"{path}: cannot read the fold ids: {e}") from None
        if len(ids) >= n:
            out = np.array(ids[:n], dtype=np.int64) % folds
            if len(ids) == n:
                return Folds(out, "file", _split_duplicates(history, out))
            note = (
                f"{path.name} has {len(ids)} fold ids for {n} rows: the first {n} are used, "
                "as the data's authors' script does"
            )
            return Folds(
                out, "file-prefix", "; ".join(filter(None, (note, _split_duplicates(history, out))))
            )
        note = f"{path.name} has {len(ids)} fold ids for {n} rows: folds by hash instead"
    elif path is None:
        note = "no fold file: folds by hash"
    else:
        note = "folds by hash of each configuration (duplicates in one fold)"
    out = np.empty(n, dtype=np.int64)
    for i in range(n):
        digest = hashlib.sha256(history.rows[i].tobytes()).digest()
        out[i] = int.from_bytes(digest[:4], "big") % folds
    return Folds(out, "hash", note)


def _split_duplicates(history: History, ids: npt.NDArray[np.int64]) -> str:
    """A note when some repeated configuration lies in more than one fold ("" otherwise)."""
    seen: dict[bytes, set[int]] = {}
    for row, f in zip(history.rows, ids, strict=True):
        seen.setdefault(row.tobytes(), set()).add(int(f))
    split = sum(len(v) > 1 for v in seen.values())
    if not split:
        return ""
    return f"{split} of {len(seen)} distinct configurations lie in more than one fold"
