"""Shared helpers of the importers: reading a file and reporting where it is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

from lotone.errors import ModelError, SourceSpan

__all__ = ["fail", "read_text", "span"]


def span(file: str, line: int, column: int = 1) -> SourceSpan:
    """A 1-based place in ``file``."""
    return SourceSpan(file, line, max(column, 1))


def fail(
    file: str, line: int, message: str, *, column: int = 1, hint: str | None = None
) -> NoReturn:
    """Raise a :class:`ModelError` at ``file:line:column``."""
    raise ModelError.at(span(file, line, column), message, hint)


def read_text(path: Path) -> str:
    """The text of ``path`` as UTF-8 (latin-1 bytes are refused with the line they are on)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        fail(str(path), 1, f"cannot read {path}: {exc.strerror or exc}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        fail(str(path), line, "the file is not valid UTF-8", hint="save it as UTF-8")
