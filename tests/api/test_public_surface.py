"""The service packages' public surfaces are pinned; the core imports neither of them."""

from __future__ import annotations

import subprocess
import sys

import lotone.api
import lotone.store


def test_store_and_api_export_their_entry_points() -> None:
    """`lotone.api` gives the app factory and settings; `lotone.store` the persistence API."""
    assert sorted(lotone.api.__all__) == ["Settings", "create_app"]
    assert sorted(lotone.store.__all__) == sorted(
        ["DataKey", "Shredded", "Store", "UnitOfWork", "Vault", "connect", "migrate"]
    )


def test_the_core_does_not_import_the_adapters() -> None:
    """Importing model, configure and produce loads nothing of store, api, cli or fastapi."""
    code = (
        "import sys, lotone.model, lotone.configure, lotone.produce.explode;"
        "bad = [m for m in sys.modules if m.split('.')[:2] in (['lotone','store'],"
        "['lotone','api'], ['lotone','cli']) or m in ('fastapi', 'sqlalchemy')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
