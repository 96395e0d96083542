"""The web configurator: the page at ``/``, its static files and its small settings document.

The page is plain HTML, CSS and JavaScript shipped inside the package (``lotone/api/static``);
it talks to the public API only. ``GET /web/config`` tells it whether the server runs with
``--demo``, in which case (and only then) the well-known demo customer key is offered.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from lotone.api.bootstrap import DEMO_KEYS
from lotone.api.settings import Settings

__all__ = ["DEMO_CUSTOMER_KEY", "STATIC", "mount", "router"]

STATIC = Path(__file__).resolve().parent.parent / "static"
DEMO_CUSTOMER_KEY = DEMO_KEYS["customer"]

router = APIRouter(include_in_schema=False)


@router.get("/")
def index() -> FileResponse:
    """The configurator page."""
    return FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})


@router.get("/web/config")
def web_config(request: Request) -> dict[str, object]:
    """What the page needs to start: the demo customer key when the server runs ``--demo``."""
    settings: Settings = request.app.state.settings
    return {"demo": settings.demo, "demo_key": DEMO_CUSTOMER_KEY if settings.demo else None}


def mount(app: FastAPI) -> None:
    """Add the page, its settings document and ``/static`` to ``app``."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
