"""The FastAPI application, built by :func:`create_app` from explicit settings."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import CapacityLimiter, to_thread
from fastapi import FastAPI

from lotone import __version__
from lotone.api.auth import KeyCache
from lotone.api.bootstrap import warm
from lotone.api.engines import EngineCache
from lotone.api.limits import BodyLimit
from lotone.api.pricing import PriceProcesses
from lotone.api.problems import install_handlers
from lotone.api.routers import (
    configurations,
    customers,
    families,
    keys,
    orders,
    preview,
    recommend,
    web,
)
from lotone.api.settings import Settings
from lotone.api.timing import ServerTiming
from lotone.produce.factory import Network
from lotone.produce.factory_loader import load_network
from lotone.store.crypto import Vault
from lotone.store.database import connect
from lotone.store.unit_of_work import Store

__all__ = ["create_app"]

log = logging.getLogger(__name__)

DESCRIPTION = """\
Configure, price and order lot-size-one products from one product model.

Authenticate with an API key (`X-API-Key: lk_...` or `Authorization: Bearer lk_...`); keys have
the role `customer` (sees only their own data), `operator` or `admin`. Errors are RFC 9457
`application/problem+json` with `errors` (fields) and `rules` (rule ids). `POST /v1/orders`
needs an `Idempotency-Key` header: a retry with the same key returns the same order.
"""


def create_app(
    settings: Settings, *, engines: EngineCache | None = None, store: Store | None = None
) -> FastAPI:
    """A new application: its own store, engine cache and factory network.

    ``engines`` and ``store`` may be shared between apps (tests do, to build engines once).
    The database must already be migrated (:func:`lotone.store.migrate`).
    """
    owned = store is None
    the_store = store or Store(
        connect(settings.database_url, pool_size=settings.pool_size), Vault(settings.master_key)
    )
    network: Network | None = load_network(list(settings.factories)) if settings.factories else None

    prices = (
        PriceProcesses(settings.price_processes)
        if engines is None and settings.price_processes
        else None
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if prices is not None:
            await to_thread.run_sync(prices.wait_ready, 60.0)  # started before serving
        await to_thread.run_sync(warm, app.state.engines, the_store)  # no cold first request
        if settings.gc_freeze:
            gc.collect()
            gc.freeze()  # what is alive now lives as long as the process
        yield
        if prices is not None:
            prices.close()
        if owned:
            the_store.dispose()

    app = FastAPI(
        title="lotone",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_tags=[
            {"name": "families", "description": "Product families and the configurator."},
            {"name": "configurations", "description": "Saved configuration sessions."},
            {"name": "customers", "description": "Profiles, consent, export and erasure."},
            {"name": "orders", "description": "Order intake, lifecycle and work orders."},
            {"name": "admin", "description": "API keys."},
        ],
    )
    app.state.settings = settings
    app.state.store = the_store
    app.state.engines = (
        engines
        if engines is not None
        else EngineCache(budget=settings.price_budget_s, prices=prices)
    )
    app.state.network = network
    app.state.keys = KeyCache(settings.key_cache_s)
    # Orders are taken in at most one thread per pooled connection: with more threads than
    # connections, a burst opens overflow connections that are closed again on return (a new
    # PostgreSQL backend per order); the orders beyond the pool wait on the event loop instead.
    app.state.intake_threads = CapacityLimiter(settings.pool_size)
    install_handlers(app)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(ServerTiming)  # outermost: its app;dur= covers the whole app
    app.include_router(keys.health)
    app.include_router(families.router)
    app.include_router(configurations.router)
    app.include_router(customers.router)
    app.include_router(orders.router)
    app.include_router(keys.router)
    app.include_router(preview.router)
    app.include_router(recommend.router)
    web.mount(app)
    return app
