"""Bad input and faults: oversize bodies, database outages (503, nothing half-written)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from conftest import INSOLE, Service
from lotone.api import Settings, create_app
from lotone.store import Store, Vault, connect


def test_oversize_bodies_are_refused(service: Service) -> None:
    """Bodies above the limit get 413, by Content-Length or while streaming."""
    big = b'{"source": "' + b"x" * (70 * 1024) + b'"}'
    r = service.client.post("/v1/families", content=big, headers=service.admin)
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"

    def chunks() -> Iterator[bytes]:
        for _ in range(80):
            yield b"x" * 1024

    r = service.client.post("/v1/families", content=chunks(), headers=service.admin)
    assert r.status_code == 413


@pytest.fixture
def outage(service: Service) -> Iterator[list[str]]:
    """Fail the order-event INSERT (after the order row was written) as a lost connection.

    On PostgreSQL the two rows go in one statement, which then fails as a whole.
    """
    armed: list[str] = []

    def boom(conn: Any, cursor: Any, statement: str, *args: object) -> None:
        if armed and "INSERT INTO ORDER_EVENTS" in statement.upper():
            raise OperationalError(statement, {}, ConnectionError("server closed the connection"))

    event.listen(service.store.engine, "before_cursor_execute", boom)
    yield armed
    event.remove(service.store.engine, "before_cursor_execute", boom)


def test_outage_mid_order_is_503_and_stores_nothing(service: Service, outage: list[str]) -> None:
    """The database fails between the order row and its event: 503, and no order stored."""
    _cid, me = service.customer()
    outage.append("on")
    r = service.client.post(
        "/v1/orders",
        json={"family": "insole", "configuration": INSOLE},
        headers={**me, "Idempotency-Key": "during-outage"},
    )
    assert r.status_code == 503
    assert r.headers["Retry-After"] == "5"
    assert r.json()["type"] == "urn:lotone:problem:database-unavailable"
    outage.clear()
    assert service.client.get("/v1/orders", headers=me).json() == []
    retry = service.client.post(
        "/v1/orders",
        json={"family": "insole", "configuration": INSOLE},
        headers={**me, "Idempotency-Key": "during-outage"},
    )
    assert retry.status_code == 201


def test_unreachable_database_is_503_not_a_traceback() -> None:
    """With no database server at all, requests get 503 problem+json."""
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    settings = Settings(database_url=url, master_key=bytes(32))
    store = Store(connect(url), Vault(bytes(32)))
    with TestClient(create_app(settings, store=store), raise_server_exceptions=False) as client:
        assert client.get("/health").status_code == 503
        r = client.get("/v1/families", headers={"X-API-Key": "lk_x"})
        assert r.status_code == 503
        assert "Traceback" not in r.text
    store.dispose()
