"""``lotone model ...``: check product-family files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lotone.cli.finite_view import is_family_file, load_finite, parse_named
from lotone.cli.output import console, fail_cleanly, print_json
from lotone.configure.check import check_family, core_values
from lotone.configure.engine import Engine
from lotone.configure.family_count import count_family
from lotone.configure.finite_engine import FiniteEngine
from lotone.errors import LotoneError, ModelError
from lotone.model.loader import load_family

__all__ = ["app"]

app = typer.Typer(help="Check and inspect product-family files.", no_args_is_help=True)


_FILE_HELP = (
    "A product-family YAML file, or a model to import: a folder of CLib .pm tables, an XCSP "
    ".xml, a DIMACS .cnf/.dimacs or a .uvl file."
)
_FORMAT_HELP = "Input format: yaml, clib, xcsp, dimacs or uvl (default: from the extension)."


@app.command("check")
@fail_cleanly
def check(
    file: Annotated[Path, typer.Argument(help=_FILE_HELP)],
    fmt: Annotated[str | None, typer.Option("--format", help=_FORMAT_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Check a model: exit 0 when valid (warnings allowed), 1 with FILE:LINE:COL errors.

    Reports dead values (no valid product uses them) and core values (every valid product
    has them).
    """
    if not is_family_file(file, fmt):
        _check_finite(file, fmt, as_json)
        return
    try:
        family = load_family(file)
        engine = Engine(family)
        warnings = check_family(family, engine)
        core = core_values(engine)
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
                "core": core,
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


def _check_finite(file: Path, fmt: str | None, as_json: bool) -> None:
    try:
        model = load_finite(file, fmt)
    except ModelError as exc:
        if as_json:
            print_json({"ok": False, "file": str(file), "errors": [str(d) for d in exc.diagnostics],
                        "warnings": []})  # fmt: skip
            raise typer.Exit(1) from None
        raise
    engine = FiniteEngine(model)
    doms = engine.domain_indices({})
    stats = model.stats()
    dead: dict[str, list[str]] = {}
    core: dict[str, str] = {}
    errors: list[str] = []
    if doms is None:
        conflict = engine.explain({})
        errors.append(f"no configuration satisfies these constraints together: {conflict}")
    else:
        for i in model.visible:
            var = model.variables[i]
            gone = [x for k, x in enumerate(var.values) if k not in doms[i]]
            if gone:
                dead[var.name] = gone
            if len(doms[i]) == 1:
                core[var.name] = var.values[next(iter(doms[i]))]
    warnings = [f"{n}: no valid configuration can use {', '.join(v)}" for n, v in dead.items()]
    if as_json:
        print_json(
            {
                "ok": not errors,
                "file": str(file),
                "family": model.id,
                "version": model.version,
                "format": model.format,
                **stats,
                "backend": engine.backend,
                "errors": errors,
                "warnings": warnings,
                "dead": dead,
                "core": core,
            }
        )
    else:
        for line in errors:
            console.print(f"{file}: error: {line}", markup=False, soft_wrap=True)
        for w in warnings:
            console.print(w, markup=False, soft_wrap=True)
        if not errors:
            console.print(
                f"[green]ok[/green] {file}: {model.format} model [bold]{model.id}[/bold] — "
                f"{stats['variables']} variables, {stats['values']} values, {stats['tables']} "
                f"tables, {stats['clauses']} clauses; {len(dead)} variables with dead values, "
                f"{len(core)} core (always fixed) variables; {engine.backend} backend"
            )
    if errors:
        raise typer.Exit(1)


@app.command("count")
@fail_cleanly
def count(
    file: Annotated[Path, typer.Argument(help=_FILE_HELP)],
    set_: Annotated[
        list[str] | None, typer.Option("--set", "-s", help="Count under a choice NAME=VALUE.")
    ] = None,
    fmt: Annotated[str | None, typer.Option("--format", help=_FORMAT_HELP)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """The exact number of valid configurations (an arbitrary-precision integer) and the method.

    JSON: ``{"family", "count", "count_text", "method", "seconds"}``; ``count`` is an exact
    JSON integer, ``count_text`` the same digits as a string for readers that parse floats.
    """
    import time

    start = time.perf_counter()
    if is_family_file(file, fmt):
        if set_:
            raise LotoneError("--set is supported for imported models only")
        family = load_family(file)
        counted = count_family(family)
        name, value, method = family.id, counted.value, counted.method
    else:
        model = load_finite(file, fmt)
        result = FiniteEngine(model).count(parse_named(set_ or []))
        name, value, method = model.id, result.value, result.method
    seconds = round(time.perf_counter() - start, 3)
    if as_json:
        print_json(
            {"family": name, "count": value, "count_text": str(value), "method": method,
             "seconds": seconds}
        )  # fmt: skip
        return
    console.print(f"{name}: [bold]{value:,}[/bold] valid configurations ({method}, {seconds} s)")
