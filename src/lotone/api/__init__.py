"""The HTTP API (FastAPI): families, the configurator, customers, orders, work orders."""

from lotone.api.app import create_app as create_app
from lotone.api.settings import Settings as Settings

__all__ = ["Settings", "create_app"]
