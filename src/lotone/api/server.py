"""The application factory uvicorn imports (``lotone.api.server:app_from_env``)."""

from __future__ import annotations

import sys

from fastapi import FastAPI

from lotone.api.app import create_app
from lotone.api.settings import Settings

__all__ = ["app_from_env"]


def app_from_env() -> FastAPI:
    """An app from the ``LOTONE_*`` environment (what ``lotone serve`` workers run).

    The server process also takes its thread switch interval from the settings
    (``LOTONE_GIL_SWITCH_S``): it is process-wide, so only the server's entry point sets it,
    never :func:`create_app`.
    """
    settings = Settings.from_env()
    sys.setswitchinterval(settings.gil_switch_s)
    return create_app(settings)
