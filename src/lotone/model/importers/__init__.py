"""Importers of public configuration models into :class:`~lotone.model.finite.FiniteModel`.

``load_model(path)`` picks the format by extension: a folder of ``.pm`` tables is CLib, ``.xml``
is XCSP 2.1, ``.cnf`` / ``.dimacs`` is DIMACS CNF and ``.uvl`` is UVL; ``format=`` overrides it.
Every malformed input raises :class:`~lotone.errors.ModelError` naming the file and line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lotone.errors import ModelError, SourceSpan

from ..finite import FiniteModel
from .clib import load_clib as load_clib
from .clib import table_files
from .dimacs import load_dimacs as load_dimacs
from .uvl import load_uvl as load_uvl
from .xcsp import load_xcsp as load_xcsp

__all__ = [
    "FORMATS",
    "detect_format",
    "load_clib",
    "load_dimacs",
    "load_model",
    "load_uvl",
    "load_xcsp",
]

FORMATS: dict[str, Callable[[Path], FiniteModel]] = {
    "clib": load_clib,
    "xcsp": load_xcsp,
    "dimacs": load_dimacs,
    "uvl": load_uvl,
}
"""Format name -> importer, in the order the names are listed to people."""

_EXTENSIONS = {".xml": "xcsp", ".cnf": "dimacs", ".dimacs": "dimacs", ".uvl": "uvl"}
_KNOWN = "clib (a folder of .pm tables), xcsp (.xml), dimacs (.cnf, .dimacs), uvl (.uvl)"


def detect_format(path: Path | str) -> str:
    """The format name of ``path`` from its extension (or, for a folder, its ``.pm`` tables).

    Raises
    ------
    ModelError
        When the path does not exist or its extension is not one of the known formats.
    """
    path = Path(path)
    where = SourceSpan(str(path), 1, 1)
    if path.is_dir():
        if table_files(path) or (path / "domains.txt").is_file():
            return "clib"
        raise ModelError.at(
            where,
            f"{path} is a folder without domains.txt or .pm tables",
            hint=f"known formats: {_KNOWN}",
        )
    if not path.exists():
        raise ModelError.at(where, f"{path} does not exist")
    fmt = _EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise ModelError.at(
            where,
            f"cannot tell the format of {path.name} from its extension {path.suffix or '(none)'}",
            hint=f"known formats: {_KNOWN}; or pass the format explicitly",
        )
    return fmt


def load_model(path: Path | str, format: str | None = None) -> FiniteModel:
    """Load a configuration model file (or CLib folder) as a :class:`FiniteModel`.

    Parameters
    ----------
    path
        The file, or for CLib the folder holding ``domains.txt`` and the ``.pm`` tables.
    format
        One of :data:`FORMATS` (``clib``, ``xcsp``, ``dimacs``, ``uvl``); by default chosen from
        the extension.

    Raises
    ------
    ModelError
        For an unknown format or extension, and for any malformed input (with file and line).
    """
    path = Path(path)
    if format is None:
        format = detect_format(path)
    loader = FORMATS.get(format.lower())
    if loader is None:
        raise ModelError.at(
            SourceSpan(str(path), 1, 1),
            f"unknown model format {format!r}",
            hint=f"known formats: {', '.join(FORMATS)}",
        )
    if not path.exists():
        raise ModelError.at(SourceSpan(str(path), 1, 1), f"{path} does not exist")
    return loader(path)
