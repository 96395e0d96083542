"""``lotone configure``: valid domains, status, price and completion from the command line."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.table import Table

from lotone.cli.finite_view import (
    is_family_file,
    parse_named,
    repair_json,
    run_configure,
    show_why,
    why_json,
)
from lotone.cli.output import console, fail_cleanly, json_values, print_json
from lotone.configure.answers import Repair, Why
from lotone.configure.domains import NumberDomain, ValueDomain, to_json_value
from lotone.configure.engine import Analysis, Engine
from lotone.configure.json_shapes import cents, state_json
from lotone.configure.session import parse_value
from lotone.errors import LotoneError
from lotone.model.family import Value
from lotone.model.loader import load_family

__all__ = ["FORMATS", "configure", "parse_choices"]

FORMATS = ("yaml", "clib", "xcsp", "dimacs", "uvl")


def parse_choices(engine: Engine, items: list[str]) -> dict[str, Value]:
    """``NAME=VALUE`` strings as typed choices (later ones win)."""
    out: dict[str, Value] = {}
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise LotoneError(f"--set {item!r}: expected NAME=VALUE, e.g. --set width_mm=1800")
        key = name.strip()
        value = parse_value(engine, key, text)
        engine.enc.value_lit(key, value)  # unknown names and bad values fail here, with hints
        out[key] = value
    return out


def _fmt(v: object) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(to_json_value(v) if isinstance(v, Decimal) else v)


def _show(engine: Engine, state: Analysis, configuration: dict[str, Value] | None) -> None:
    fam = engine.family
    colour = {"complete": "green", "incomplete": "yellow", "conflict": "red"}[state.status]
    console.print(
        f"[bold]{fam.name}[/bold] ({fam.id} {fam.version}) — status [{colour}]{state.status}[/]"
    )
    if state.conflict is not None:
        console.print(f"conflict: {state.conflict}", style="red", markup=False)
        return
    table = Table(show_header=True, header_style="bold")
    table.add_column("attribute")
    table.add_column("valid values")
    table.add_column("withheld", style="dim")
    table.add_column("value")
    for key, dom in state.domains.items():
        chosen = state.choices.get(key)
        if configuration is not None and chosen is None:
            chosen = configuration.get(key)
        if isinstance(dom, NumberDomain):
            unit = f" {dom.unit}" if dom.unit else ""
            valid = ", ".join(
                f"{_fmt(lo)}–{_fmt(hi)}" if lo != hi else _fmt(lo) for lo, hi in dom.ranges
            )
            valid += unit
            withheld = ""
        else:
            assert isinstance(dom, ValueDomain)
            valid = ", ".join(_fmt(v) for v in dom.values)
            withheld = ", ".join(_fmt(v) for v in dom.withheld)
        table.add_row(key, valid, withheld, "" if chosen is None else _fmt(chosen))
    console.print(table)
    cur = fam.pricing.currency
    if state.price_min is not None and state.price_max is not None:
        if state.price_min == state.price_max:
            console.print(f"price: [bold]{cents(state.price_min)} {cur}[/bold]")
        else:
            lo, hi = cents(state.price_min, ROUND_FLOOR), cents(state.price_max, ROUND_CEILING)
            bound = "" if state.price_exact else " (bounds: the exact range was not proven in time)"
            console.print(f"price: {lo} – {hi} {cur}{bound}")


@fail_cleanly
def configure(
    file: Annotated[
        Path,
        typer.Argument(
            help="A product-family YAML file, or a model to import: a folder of CLib .pm "
            "tables, an XCSP .xml, a DIMACS .cnf/.dimacs or a .uvl file."
        ),
    ],
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set", "-s", help="A choice NAME=VALUE (repeatable); e.g. section[2].width_mm=600."
        ),
    ] = None,
    why: Annotated[
        str | None,
        typer.Option(
            "--why",
            help="NAME=VALUE: why is this value withheld, and which choices to drop to get it.",
        ),
    ] = None,
    complete: Annotated[
        bool, typer.Option("--complete", help="Finish into a full valid configuration.")
    ] = False,
    objective: Annotated[
        str, typer.Option("--objective", help="How --complete chooses: 'defaults' or 'min-price'.")
    ] = "defaults",
    fmt: Annotated[
        str | None,
        typer.Option("--format", help="Input format: yaml, clib, xcsp, dimacs or uvl."),
    ] = None,
    backend: Annotated[
        str,
        typer.Option("--backend", help="Imported models: auto (BDD if it compiles), sat or bdd."),
    ] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Show the valid domains, status and price under the given choices."""
    if objective not in ("defaults", "min-price"):
        raise LotoneError(f"--objective {objective!r}: use 'defaults' or 'min-price'")
    if backend not in ("auto", "sat", "bdd"):
        raise LotoneError(f"--backend {backend!r}: use 'auto', 'sat' or 'bdd'")
    if fmt is not None and fmt not in FORMATS:
        raise LotoneError(f"--format {fmt!r}: use one of {', '.join(FORMATS)}")
    if not is_family_file(file, fmt):
        data = run_configure(file, fmt, set_ or [], why, complete, as_json, backend)  # type: ignore[arg-type]
        if data is not None:
            print_json(data)
        return
    obj: Literal["defaults", "min_price"] = "min_price" if objective == "min-price" else "defaults"
    family = load_family(file)
    engine = Engine(family)
    choices = parse_choices(engine, set_ or [])
    state = engine.analyze(choices)
    configuration: dict[str, Value] | None = None
    if complete and state.status != "conflict":
        configuration = engine.complete(choices, obj)
        state = engine.analyze(configuration)
        state = Analysis(
            state.status, state.domains, state.price_min, state.price_max, None, choices
        )
    asked: tuple[Why, Repair] | None = None
    if why is not None:
        ((name, text),) = parse_named([why], "--why").items()
        value = parse_value(engine, name, text)
        asked = engine.why(choices, name, value), engine.repair(choices, name, value)
    if as_json:
        data = state_json(engine, state)
        if configuration is not None:
            data["configuration"] = json_values(configuration)
        if asked is not None:
            data["why"] = why_json(asked[0])
            data["repair"] = repair_json(asked[1])
        print_json(data)
        return
    _show(engine, state, configuration)
    if asked is not None:
        show_why(*asked)
