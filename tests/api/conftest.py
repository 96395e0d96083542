"""A migrated service per back end, with the sample catalog; helpers to make customers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lotone.api import Settings, create_app
from lotone.api.auth import issue_key
from lotone.api.bootstrap import load_catalog
from lotone.api.engines import EngineCache
from lotone.store import Store, Vault, connect, migrate

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "catalog"
MASTER = bytes(range(32))


@dataclass
class Service:
    """A running app on one database: its client, store and an admin and operator key."""

    client: TestClient
    store: Store
    settings: Settings
    admin: dict[str, str]
    operator: dict[str, str]
    backend: str

    def customer(self, **extra: object) -> tuple[str, dict[str, str]]:
        """A new customer (with a key) and the headers that authenticate as them."""
        body = {"name": "Test Person", "issue_key": True, **extra}
        r = self.client.post("/v1/customers", json=body, headers=self.admin)
        assert r.status_code == 201, r.text
        data = r.json()
        return data["id"], {"X-API-Key": data["api_key"]}


@pytest.fixture(scope="session")
def engines() -> EngineCache:
    """One engine cache for every app of the session (engines are built once)."""
    return EngineCache()


@pytest.fixture(scope="session")
def service(database_url: str, engines: EngineCache) -> Iterator[Service]:
    """The app on a migrated database holding the sample catalog."""
    settings = Settings(
        database_url=database_url,
        master_key=MASTER,
        max_body_bytes=64 * 1024,
        factories=(CATALOG / "factories",),
    )
    store = Store(connect(database_url), Vault(MASTER))
    migrate(store.engine)
    load_catalog(store, CATALOG)
    with store.unit() as uow:
        _, admin = issue_key(uow, "admin", label="tests")
        _, operator = issue_key(uow, "operator", label="tests")
        uow.commit()
    app = create_app(settings, engines=engines, store=store)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Service(
            client,
            store,
            settings,
            {"X-API-Key": admin},
            {"X-API-Key": operator},
            store.engine.dialect.name,
        )
    store.dispose()


INSOLE = {
    "side": "pair",
    "use": "everyday",
    "foot_length_mm": 273,
    "foot_width_mm": 101,
    "arch_height_mm": 17,
    "heel_cup_depth_mm": 12,
    "stiffness": "medium",
    "support": "arch_support",
    "base_material": "tpu_95a",
    "top_cover": "microfibre",
    "antimicrobial": False,
}
