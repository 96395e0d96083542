"""``lotone model ...``: check product-family files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lotone.cli.output import console, fail_cleanly, print_json
from lotone.configure.check import check_family
from lotone.configure.engine import Engine
from lotone.errors import ModelError
from lotone.model.loader import load_family

__all__ = ["app"]

app = typer.Typer(help="Check and inspect product-family files.", no_args_is_help=True)


@app.command("check")
@fail_cleanly
def check(
    file: Annotated[Path, typer.Argument(help="A product-family YAML file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Check a family: exit 0 when valid (warnings allowed), 1 with FILE:LINE:COL errors."""
    try:
        family = load_family(file)
        engine = Engine(family)
        warnings = check_family(family, engine)
    except ModelError as exc:
        if as_json:
            print_json({"ok": False, "file": str(file), "errors": [str(d) for d in exc.diagnostics],
                        "warnings": []})  # fmt: skip
            raise typer.Exit(1) from None
        raise
    if as_json:
        print_json(
            {
                "ok": True,
                "file": str(file),
                "family": family.id,
                "version": family.version,
                "attributes": len(family.attributes),
                "modules": [s.name for s in family.slots],
                "rules": sum(1 for _ in family.all_rules()),
                "errors": [],
                "warnings": [str(w) for w in warnings],
            }
        )
        return
    for w in warnings:
        console.print(str(w), markup=False, soft_wrap=True)
    n_rules = sum(1 for _ in family.all_rules())
    console.print(
        f"[green]ok[/green] {file}: family [bold]{family.id}[/bold] {family.version} — "
        f"{len(family.attributes)} attributes, {len(family.slots)} module slots, {n_rules} rules, "
        f"{len(warnings)} warning(s)"
    )
