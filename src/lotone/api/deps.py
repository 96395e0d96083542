"""Dependencies shared by the routers: the store, the engines, the factory network."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Depends, Request

from lotone.api.engines import EngineCache, Slot
from lotone.api.problems import ApiProblem
from lotone.produce.factory import Network
from lotone.store.tables import CustomerRow, FamilyRow
from lotone.store.unit_of_work import Store, UnitOfWork

__all__ = [
    "EnginesDep",
    "NetworkDep",
    "StoreDep",
    "family_row",
    "live_customer",
    "slot_of",
]


# The dependencies that only read the app's state are ``async``: FastAPI runs a plain ``def``
# dependency in the thread pool, one thread hop (and GIL hand-off) per dependency per request.
async def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


async def _engines(request: Request) -> EngineCache:
    engines: EngineCache = request.app.state.engines
    return engines


async def _network(request: Request) -> Network | None:
    network: Network | None = request.app.state.network
    return network


StoreDep = Annotated[Store, Depends(_store)]
EnginesDep = Annotated[EngineCache, Depends(_engines)]
NetworkDep = Annotated[Network | None, Depends(_network)]


def family_row(uow: UnitOfWork, family_id: str, version: str | None) -> FamilyRow:
    """The stored family version (the newest when ``version`` is None); 404 when unknown."""
    if version is None:
        newest = uow.family_rows.newest(family_id)
        if newest is None:
            newest = uow.families.newest(family_id)
            if newest is not None:
                uow.family_rows.remember(newest, newest=True)
        if newest is None:
            raise ApiProblem(
                404,
                "unknown-family",
                "Unknown family",
                f"no family {family_id!r}",
                errors=[("family", family_id)],
            )
        return newest
    row = uow.family_rows.version(family_id, version)
    if row is None:
        row = uow.families.get(family_id, version)
        if row is not None:
            uow.family_rows.remember(row)
    if row is None:
        known = uow.families.versions(family_id)
        detail = (
            f"family {family_id!r} has no version {version!r} "
            f"(versions: {', '.join(r.version for r in known)})"
            if known
            else f"no family {family_id!r}"
        )
        raise ApiProblem(
            404,
            "unknown-family",
            "Unknown family or version",
            detail,
            errors=[("version" if known else "family", version if known else family_id)],
        )
    return row


def slot_of(engines: EngineCache, row: FamilyRow) -> Slot:
    """The cached engine of a stored family version."""
    return engines.get(row.id, row.version, lambda: row.source)  # read only to build


def live_customer(
    uow: UnitOfWork, customer_id: str, row: CustomerRow | Literal[False] | None = False
) -> CustomerRow:
    """A customer who has not been erased; 404 when unknown, 410 when erased.

    ``row``: the customer's row (or None: unknown) when the caller has already read it.
    """
    if row is False:
        row = uow.customers.get(customer_id)
    if row is None:
        raise ApiProblem(404, "unknown-customer", "Unknown customer")
    if row.erased_at is not None:
        raise ApiProblem(410, "erased", "The customer was erased on their request")
    return row
