"""Shared by the readers: integer tokens with their place, and file:line errors."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lotone.errors import ModelError, SourceSpan

__all__ = ["Line", "Tokens", "read_text"]


def read_text(path: str | Path) -> str:
    """The text of a benchmark file; unreadable files raise :class:`ModelError`."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError.at(None, f"cannot read {str(path)!r}: {exc}") from None


@dataclass(frozen=True, slots=True)
class Line:
    """The numbers on one non-empty line (comments after ``#`` dropped) and where it is."""

    number: int
    words: tuple[str, ...]
    file: str

    def span(self, column: int = 1) -> SourceSpan:
        """The place of this line."""
        return SourceSpan(self.file, self.number, column)

    def error(self, message: str, hint: str | None = None) -> ModelError:
        """An error at this line."""
        return ModelError.at(self.span(), message, hint)

    def ints(self, what: str) -> list[int]:
        """The words as integers (decimal ``x.0`` too); others raise with the line."""
        out: list[int] = []
        for w in self.words:
            try:
                out.append(int(w))
            except ValueError:
                try:
                    value = float(w)
                except ValueError:
                    value = float("nan")
                if value != value or value != int(value):
                    raise self.error(f"{what}: {w!r} is not a whole number") from None
                out.append(int(value))
        return out


class Tokens:
    """The non-empty, non-comment lines of a text."""

    def __init__(self, text: str, file: str) -> None:
        self.file = file
        self.lines: list[Line] = []
        for i, raw in enumerate(text.splitlines(), start=1):
            body = raw.split("#", 1)[0].split()
            if body:
                self.lines.append(Line(i, tuple(body), file))

    def __iter__(self) -> Iterator[Line]:
        return iter(self.lines)

    def end(self) -> SourceSpan:
        """The place just after the last line."""
        last = self.lines[-1].number + 1 if self.lines else 1
        return SourceSpan(self.file, last, 1)
