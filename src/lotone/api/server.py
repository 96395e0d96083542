"""The application factory uvicorn imports (``lotone.api.server:app_from_env``)."""

from __future__ import annotations

from fastapi import FastAPI

from lotone.api.app import create_app
from lotone.api.settings import Settings

__all__ = ["app_from_env"]


def app_from_env() -> FastAPI:
    """An app from the ``LOTONE_*`` environment (what ``lotone serve`` workers run)."""
    return create_app(Settings.from_env())
