"""Pick a reader by format name, or guess it from the path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal

from lotone.errors import LotoneError
from lotone.schedule.problem import SchedulingProblem
from lotone.schedule.readers.fjs import read_fjs
from lotone.schedule.readers.jsplib import read_jsplib
from lotone.schedule.readers.sdst_jit import read_sdst_jit
from lotone.schedule.readers.upmsp import read_upmsp

__all__ = ["FORMATS", "Format", "guess_format", "read_problem"]

Format = Literal["jsplib", "taillard", "fjs", "sdst-jit", "upmsp"]
FORMATS: dict[str, Callable[[Path], SchedulingProblem]] = {
    "jsplib": read_jsplib,
    "taillard": read_jsplib,
    "fjs": read_fjs,
    "sdst-jit": read_sdst_jit,
    "upmsp": read_upmsp,
}


def guess_format(path: Path) -> str:
    """``sdst-jit`` for a directory, ``fjs`` for ``.fjs`` or FJSP folders, ``upmsp`` for
    Vallada-Ruiz names (``I_<n>_<m>_S_...``), else ``jsplib``."""
    if path.is_dir():
        return "sdst-jit"
    if path.name.startswith("I_") and "_S_" in path.name:
        return "upmsp"
    if path.suffix == ".fjs" or any(
        part in {"fjsp", "flexible-jobshop", "Brandimarte1993"} for part in path.parts
    ):
        return "fjs"
    return "jsplib"


def read_problem(path: str | Path, format: str | None = None) -> SchedulingProblem:
    """Read ``path`` in ``format`` (one of :data:`FORMATS`; guessed when None)."""
    p = Path(path)
    name = format or guess_format(p)
    reader = FORMATS.get(name)
    if reader is None:
        raise LotoneError(f"unknown format {name!r}: use one of {', '.join(FORMATS)}")
    if not p.exists():
        raise LotoneError(f"{p}: no such file or directory")
    return reader(p)
