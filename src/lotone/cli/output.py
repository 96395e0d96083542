"""Output helpers shared by the CLI commands: JSON on stdout, Rich for people, clean errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from decimal import Decimal
from functools import wraps
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console

from lotone.configure.domains import to_json_value
from lotone.errors import LotoneError, ModelError
from lotone.model.family import Value

__all__ = ["console", "err_console", "fail_cleanly", "json_values", "print_json"]

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

P = ParamSpec("P")
R = TypeVar("R")


def print_json(data: object) -> None:
    """Print one JSON document on standard output."""
    sys.stdout.write(json.dumps(data, indent=2, default=_default) + "\n")


def _default(obj: object) -> object:
    if isinstance(obj, Decimal):
        return to_json_value(obj)
    raise TypeError(f"cannot write {type(obj).__name__} as JSON")


def json_values(values: Mapping[str, Value]) -> dict[str, object]:
    """A configuration as JSON-ready values."""
    return {k: to_json_value(v) for k, v in values.items()}


def fail_cleanly(func: Callable[P, R]) -> Callable[P, R]:
    """Turn lotone's errors into a message and exit status 1 instead of a traceback."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except ModelError as exc:
            for d in exc.diagnostics:
                console.print(str(d), markup=False, soft_wrap=True)
            raise typer.Exit(1) from None
        except LotoneError as exc:
            err_console.print(f"error: {exc}", markup=False, soft_wrap=True)
            raise typer.Exit(1) from None

    return wrapper
