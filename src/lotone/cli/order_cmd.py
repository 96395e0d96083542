"""``lotone order explode`` and ``lotone orders generate``: work orders and synthetic orders."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from lotone.cli.choices import family_choices
from lotone.cli.output import console, err_console, fail_cleanly, print_json
from lotone.errors import InvalidValue, Refused
from lotone.model.loader import load_family
from lotone.produce.capability import eligible_sites
from lotone.produce.customers import read_feet
from lotone.produce.explode import explode
from lotone.produce.factory_loader import load_network
from lotone.produce.orders import generate_orders
from lotone.produce.work_order import WorkOrder

__all__ = ["order_app", "orders_app"]

order_app = typer.Typer(help="Turn a configuration into a work order.", no_args_is_help=True)
orders_app = typer.Typer(help="Generate synthetic orders.", no_args_is_help=True)


def _show(wo: WorkOrder, sites: list[str] | None) -> None:
    console.print(f"[bold]Work order[/bold] {wo.family} {wo.version}  [dim]{wo.hash}[/dim]")
    bom = Table(title="Bill of materials", title_justify="left", header_style="bold")
    for col in ("part", "quantity", "unit", "supply"):
        bom.add_column(col)
    for line in wo.bom:
        indent = "  " * (line.level - 1)
        quantity = format(line.quantity.normalize(), "f")
        bom.add_row(indent + line.part, quantity, line.unit, line.supply)
    console.print(bom)
    ops = Table(title="Operations", title_justify="left", header_style="bold")
    for col in ("id", "work center", "min", "setup family", "after"):
        ops.add_column(col)
    for s in wo.operations:
        ops.add_row(s.id, s.work_center, f"{s.seconds / 60:.1f}", s.setup_family or "",
                    ", ".join(s.after))  # fmt: skip
    console.print(ops)
    qc = Table(title="QC plan", title_justify="left", header_style="bold")
    for col in ("id", "check", "nominal", "tolerance"):
        qc.add_column(col)
    for q in wo.qc:
        unit = f" {q.unit}" if q.unit else ""
        qc.add_row(q.id, q.label, "" if q.nominal is None else f"{q.nominal}{unit}",
                   "" if q.tolerance is None else f"± {q.tolerance}{unit}")  # fmt: skip
    console.print(qc)
    if sites is not None:
        console.print(f"sites that can make it: {', '.join(sites) or 'none'}")


@order_app.command("explode")
@fail_cleanly
def explode_cmd(
    file: Annotated[Path, typer.Argument(help="A product-family YAML file.")],
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", "-s", help="A choice NAME=VALUE (repeatable)."),
    ] = None,
    complete: Annotated[
        bool,
        typer.Option("--complete", help="Complete open keys from the defaults without a note."),
    ] = False,
    factories: Annotated[
        list[Path] | None,
        typer.Option(
            "--factories", help="Site files or directories: list the sites able to make it."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """The work order (BOM, operations, QC plan) of a configuration; refused if invalid.

    Keys left open are completed from the family's defaults (listed as ``defaulted`` in the
    JSON); choices that break rules are refused with the rule ids, exit 1.
    """
    from lotone.configure.engine import Engine

    family = load_family(file)
    choices = family_choices(family, set_ or [])
    given = set(choices)
    try:
        try:
            wo = explode(choices, family)
        except InvalidValue as exc:
            if exc.value is not None:
                raise
            engine = Engine(family)
            if not engine.is_consistent(choices):
                raise Refused(list(engine.explain(choices).rules), "choices") from None
            choices = engine.complete(choices)
            wo = explode(choices, family)
    except Refused as exc:
        if as_json:
            print_json({"status": "refused", "family": family.id,
                        "violations": [{"id": v.rule_id, "message": v.message}
                                       for v in exc.violations]})  # fmt: skip
            raise typer.Exit(1) from None
        raise
    defaulted = sorted(k for k in choices if k not in given)
    if defaulted and not complete and not as_json:
        err_console.print(f"note: completed from the defaults: {', '.join(defaulted)}")
    sites = None
    if factories:
        sites = eligible_sites(wo, load_network(list(factories)))
    if as_json:
        data = wo.to_json()
        data["defaulted"] = defaulted
        if sites is not None:
            data["sites"] = sites
        print_json(data)
        return
    _show(wo, sites)


def _default_feet() -> Path:
    return Path(str(resources.files("lotone.produce").joinpath("data/ansur2_feet.csv")))


@orders_app.command("generate")
@fail_cleanly
def generate_cmd(
    file: Annotated[Path, typer.Argument(help="A product-family YAML file.")],
    count: Annotated[int, typer.Option("--count", "-n", help="How many orders.")] = 10,
    seed: Annotated[int, typer.Option("--seed", help="Seed: the same seed, the same orders.")] = 0,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write JSON lines here (default: stdout).")
    ] = None,
    feet: Annotated[
        Path | None, typer.Option("--feet", help="CSV of measured feet (default: ANSUR II sample).")
    ] = None,
) -> None:
    """Valid synthetic orders, one JSON object per line: order_id, family, configuration."""
    family = load_family(file)
    measured = read_feet(feet or _default_feet()) if family.id == "insole" else []
    stream = out.open("w", encoding="utf-8") if out is not None else sys.stdout
    try:
        for order in generate_orders(family, count, seed, measured):
            stream.write(json.dumps(order.to_json(), separators=(",", ":")) + "\n")
    finally:
        if out is not None:
            stream.close()
