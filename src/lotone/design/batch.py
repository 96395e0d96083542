"""Batch design: many orders (JSON lines) to checked designs and files, on several processes.

Each line is an order as ``lotone orders generate`` writes it (``order_id``, ``family``,
``configuration``). Families are read from a catalog folder (``FAMILY.yaml``) once per worker
process. An order whose design fails a check, or whose configuration is refused, is reported
with its reasons and the batch goes on.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from lotone.design.checks import check
from lotone.design.export import FORMATS, render_files
from lotone.design.templates import design_family
from lotone.errors import LotoneError
from lotone.model.family import Family, Value

__all__ = ["BatchResult", "BatchSummary", "design_line", "run_batch"]


@dataclass(frozen=True, slots=True)
class BatchResult:
    """The outcome of one order."""

    order_id: str
    ok: bool
    hash: str = ""
    files: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    volume_mm3: float | None = None

    def to_json(self) -> dict[str, object]:
        """One line of the batch's ``designs.jsonl``."""
        out: dict[str, object] = {"order_id": self.order_id, "ok": self.ok, "hash": self.hash,
                                  "files": list(self.files)}  # fmt: skip
        if self.volume_mm3 is not None:
            out["volume_mm3"] = round(self.volume_mm3, 1)
        if self.reasons:
            out["reasons"] = list(self.reasons)
        return out


@dataclass(slots=True)
class BatchSummary:
    """Counts of a batch and the results of the orders that failed."""

    orders: int = 0
    passed: int = 0
    files: int = 0
    failed: list[BatchResult] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """The summary as JSON."""
        return {
            "orders": self.orders,
            "passed": self.passed,
            "failed": len(self.failed),
            "files": self.files,
            "failures": [r.to_json() for r in self.failed[:50]],
        }


def _value(v: object) -> Value:
    if isinstance(v, bool | str):
        return v
    if isinstance(v, int | float | Decimal):
        return Decimal(str(v))
    raise LotoneError(f"unexpected value {v!r} in an order's configuration")


def design_line(
    line: str,
    families: dict[str, Family],
    catalog: Path,
    out_dir: Path | None,
    formats: Sequence[str] = FORMATS,
) -> BatchResult:
    """Design, check and (unless ``out_dir`` is None: rendered in memory only) write one order."""
    from lotone.model.loader import load_family

    order = json.loads(line)
    order_id = str(order.get("order_id", ""))
    try:
        fid = str(order["family"])
        family = families.get(fid)
        if family is None:
            family = families[fid] = load_family(catalog / f"{fid}.yaml")
        config = {k: _value(v) for k, v in dict(order["configuration"]).items()}
        design = design_family(family, config)
        checks = check(design)
        if not checks.ok:
            return BatchResult(order_id, False, design.order_hash, (), checks.reasons)
        files = render_files(design, formats)
        names: list[str] = []
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            for name, data in files:
                (out_dir / name).write_bytes(data)
        names = [name for name, _ in files]
        volume = design.volume_mm3 if design.parts else None
        return BatchResult(order_id, True, design.order_hash, tuple(names), (), volume)
    except (LotoneError, KeyError, OSError) as exc:
        return BatchResult(order_id, False, "", (), (f"{type(exc).__name__}: {exc}",))


@dataclass(slots=True)
class _Worker:
    catalog: Path
    out: Path | None
    formats: tuple[str, ...]
    families: dict[str, Family] = field(default_factory=dict)


_STATE: dict[str, object] = {}  # one per worker process: its families, read once


def _init(catalog: str, out_dir: str | None, formats: tuple[str, ...]) -> None:
    _STATE["state"] = _Worker(Path(catalog), None if out_dir is None else Path(out_dir), formats)


def _chunk(lines: list[str]) -> list[BatchResult]:
    state = _STATE["state"]
    if not isinstance(state, _Worker):
        raise LotoneError("internal: a batch worker was not initialized")
    return [design_line(x, state.families, state.catalog, state.out, state.formats) for x in lines]


def _chunks(lines: Iterable[str], size: int) -> Iterator[list[str]]:
    buf: list[str] = []
    for line in lines:
        if line.strip():
            buf.append(line)
            if len(buf) == size:
                yield buf
                buf = []
    if buf:
        yield buf


def run_batch(
    lines: Iterable[str],
    catalog: Path,
    out_dir: Path | None,
    workers: int = 1,
    formats: Sequence[str] = FORMATS,
    progress: Callable[[int], None] | None = None,
    chunk: int = 32,
    manifest: Callable[[BatchResult], None] | None = None,
) -> BatchSummary:
    """Design every order of ``lines``; ``progress(n)`` after each chunk of ``n`` orders."""
    if workers < 1:
        raise LotoneError(f"--workers must be 1 or more, got {workers}")
    summary = BatchSummary()
    args = (str(catalog), None if out_dir is None else str(out_dir), tuple(formats))

    def take(results: list[BatchResult]) -> None:
        for r in results:
            summary.orders += 1
            summary.files += len(r.files)
            if r.ok:
                summary.passed += 1
            else:
                summary.failed.append(r)
            if manifest is not None:
                manifest(r)
        if progress is not None:
            progress(len(results))

    if workers == 1:
        _init(*args)
        for part in _chunks(lines, chunk):
            take(_chunk(part))
        return summary
    with ProcessPoolExecutor(max_workers=workers, initializer=_init, initargs=args) as pool:
        for results in pool.map(_chunk, _chunks(lines, chunk)):
            take(results)
    return summary
