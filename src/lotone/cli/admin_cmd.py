"""``lotone admin create-key``: bootstrap API keys on the service's database."""

from __future__ import annotations

from typing import Annotated

import typer

from lotone.cli.output import console, fail_cleanly, print_json
from lotone.errors import LotoneError

__all__ = ["app"]

app = typer.Typer(help="Administer the service's database.", no_args_is_help=True)


@app.command("create-key")
@fail_cleanly
def create_key(
    role: Annotated[str, typer.Option("--role", help="customer, operator or admin.")],
    customer: Annotated[
        str | None, typer.Option("--customer", help="The customer id (role customer only).")
    ] = None,
    label: Annotated[str, typer.Option("--label", help="A note on what the key is for.")] = "",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Create an API key on ``LOTONE_DATABASE_URL`` (migrating it first); print it once."""
    from lotone.api.auth import ROLES, issue_key
    from lotone.api.problems import ApiProblem
    from lotone.api.settings import Settings
    from lotone.store.crypto import Vault
    from lotone.store.database import connect, migrate
    from lotone.store.unit_of_work import Store

    if role not in ROLES:
        raise LotoneError(f"--role {role!r}: use customer, operator or admin")
    settings = Settings.from_env()
    engine = connect(settings.database_url)
    store = Store(engine, Vault(settings.master_key))
    try:
        migrate(engine)
        with store.unit() as uow:
            if customer is not None and uow.customers.get(customer) is None:
                raise LotoneError(f"unknown customer {customer!r}")
            try:
                row, key = issue_key(uow, role, customer, label)
            except ApiProblem as exc:
                raise LotoneError(exc.title) from None
            uow.commit()
    finally:
        store.dispose()
    if as_json:
        print_json({"id": row.id, "role": row.role, "customer_id": row.customer_id, "key": key})
        return
    console.print(f"{role} key (shown once, store it now): {key}", markup=False, soft_wrap=True)
