"""The ``lotone`` command (Typer + Rich); ``--json`` on every command that returns data."""

from __future__ import annotations

import logging

import typer

from lotone.cli import (
    admin_cmd,
    design_cmd,
    model_cmd,
    order_cmd,
    personalize_cmd,
    schedule_cmd,
    twin_cmd,
)
from lotone.cli.configure_cmd import configure
from lotone.cli.serve_cmd import serve

__all__ = ["app", "main"]

app = typer.Typer(
    name="lotone",
    help="lotone: configure, price and make lot-size-one products from one product model.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(model_cmd.app, name="model")
app.command("configure")(configure)
app.add_typer(order_cmd.order_app, name="order")
app.add_typer(order_cmd.orders_app, name="orders")
app.command("schedule")(schedule_cmd.schedule)
app.command("plan")(schedule_cmd.plan)
app.add_typer(design_cmd.app, name="design")
app.command("serve")(serve)
app.add_typer(admin_cmd.app, name="admin")
app.command("recommend")(personalize_cmd.recommend)
app.add_typer(personalize_cmd.personalize_app, name="personalize")
app.add_typer(personalize_cmd.fit_app, name="fit")
app.add_typer(twin_cmd.app, name="twin")


def main() -> None:
    """Entry point of the ``lotone`` command."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    app()
