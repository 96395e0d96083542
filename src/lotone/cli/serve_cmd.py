"""``lotone serve``: migrate the database, load the catalog, optionally seed demo data, serve."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from lotone.cli.output import console, err_console, fail_cleanly

__all__ = ["serve"]


def _default_dir(name: str) -> Path | None:
    path = Path(name)
    return path if path.is_dir() else None


@fail_cleanly
def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    catalog: Annotated[
        Path | None,
        typer.Option("--catalog", help="Load every family of this folder (default: ./catalog)."),
    ] = None,
    factories: Annotated[
        Path | None,
        typer.Option("--factories", help="Factory network folder (default: <catalog>/factories)."),
    ] = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="Seed a demo customer and well-known demo keys.")
    ] = False,
    workers: Annotated[int, typer.Option("--workers", help="Worker processes.", min=1)] = 1,
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn log level.")] = "info",
) -> None:
    """Serve the HTTP API (docs at /docs) on the database of ``LOTONE_DATABASE_URL``.

    Default database: the SQLite file ``.lotone/lotone.db`` (created and migrated here).
    """
    import uvicorn

    from lotone.api import workers as reuse_port
    from lotone.api.bootstrap import DEMO_KEYS, Prepared, load_catalog, seed_demo
    from lotone.api.settings import Settings
    from lotone.store.crypto import Vault
    from lotone.store.database import connect, migrate
    from lotone.store.unit_of_work import Store

    catalog = catalog if catalog is not None else _default_dir("catalog")
    if factories is None and catalog is not None and (catalog / "factories").is_dir():
        factories = catalog / "factories"
    if factories is not None:
        os.environ["LOTONE_FACTORIES"] = str(factories.resolve())
    if demo:
        os.environ["LOTONE_DEMO"] = "1"  # the web page offers the demo customer key
    settings = Settings.from_env()
    os.environ.setdefault("LOTONE_MASTER_KEY", settings.master_key.hex())
    os.environ.setdefault("LOTONE_DATABASE_URL", settings.database_url)
    engine = connect(settings.database_url)
    store = Store(engine, Vault(settings.master_key))
    try:
        migrate(engine)
        prepared = Prepared()
        if catalog is not None:
            load_catalog(store, catalog, prepared)
        if demo:
            seed_demo(store, prepared)
    finally:
        store.dispose()
    url = engine.url.render_as_string(hide_password=True)
    console.print(f"database: {url} (migrated)")
    if prepared.families_added or prepared.families_kept:
        console.print(f"families: {', '.join(prepared.families_added + prepared.families_kept)}")
    if factories is not None:
        console.print(f"factory network: {factories}")
    if demo:
        console.print(
            "demo keys (local try-out only): " + ", ".join(f"{r}={k}" for r, k in DEMO_KEYS.items())
        )
    console.print(f"serving on http://{host}:{port} (API docs at http://{host}:{port}/docs)")
    if workers > 1 and reuse_port.supported():  # one socket per worker, balanced by the kernel
        try:
            reuse_port.serve(host, port, workers, log_level)
        except OSError as exc:
            err_console.print(
                f"error: cannot listen on {host}:{port}: {exc.strerror}", markup=False
            )
            raise typer.Exit(1) from None
        except reuse_port.WorkersFailed as exc:
            err_console.print(f"error: {exc}; see the worker's log above", markup=False)
            raise typer.Exit(1) from None
        return
    uvicorn.run(
        "lotone.api.server:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
    )
