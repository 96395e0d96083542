"""A five-minute tour of lotone on the sample catalog (``make tour``).

It drives the real ``lotone`` command, so every step printed is one a person can retype.
"""

from __future__ import annotations

import logging
import shlex
import sys
from pathlib import Path

from rich.console import Console
from rich.rule import Rule

from lotone.cli import app

__all__ = ["STEPS", "catalog_dir", "main"]

log = logging.getLogger(__name__)

STEPS: list[tuple[str, str]] = [
    ("Check a product family: errors come as FILE:LINE:COL, dead values as warnings",
     "model check {catalog}/insole.yaml"),
    ("Valid domains of a fresh insole: every value shown leads to a valid product",
     "configure {catalog}/insole.yaml"),
    ("A customer's measurements narrow the options (numbers are exact ranges)",
     "configure {catalog}/insole.yaml --set foot_length_mm=281 --set use=diabetic_care"),
    ("Complete it from the defaults: a full, valid, priced configuration",
     "configure {catalog}/insole.yaml --set foot_length_mm=281 --set use=diabetic_care --complete"),
    ("A modular wardrobe: the sections must add up to the width",
     "configure {catalog}/wardrobe.yaml --set width_mm=1500 --set section.count=2"),
    ("The cheapest valid PC with a given graphics card, as JSON for an app",
     "configure {catalog}/pc.yaml --set gpu=rtx5080 --complete --objective min-price --json"),
    ("A conflict is explained in the product's own words",
     "configure {catalog}/serum.yaml --set skin_type=sensitive --set fragrance=true"),
]  # fmt: skip


def catalog_dir() -> Path:
    """The sample catalog: ``./catalog`` when run from a checkout, else next to the sources."""
    here = Path.cwd() / "catalog"
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[2] / "catalog"


def main() -> int:
    """Run every step of the tour; returns 0 when all of them ran as expected."""
    console = Console()
    catalog = catalog_dir()
    console.print(
        "[bold]lotone[/bold] — a tour of the configuration engine on the sample catalog\n"
    )
    for title, cmd in STEPS:
        line = cmd.format(
            catalog=catalog.relative_to(Path.cwd())
            if catalog.is_relative_to(Path.cwd())
            else catalog
        )
        console.print(Rule(title))
        console.print(f"[dim]$ lotone {line}[/dim]")
        code = app(shlex.split(line), standalone_mode=False)
        if code not in (0, None):
            log.error("tour step failed (exit %s): lotone %s", code, line)
            return 1
        console.print()
    console.print(
        "Next: [bold]make test[/bold] runs the suite; docs/ explains the format and the engine."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
