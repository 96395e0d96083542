"""Personal data: consent first, encrypted at rest, exportable, erasable by crypto-shredding."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from conftest import INSOLE, Service
from lotone.store.crypto import Shredded
from lotone.store.tables import CustomerRow, OrderRow


def _raw_dump(svc: Service) -> bytes:
    """Every value of every table, as the database holds it."""
    from lotone.store.tables import Base

    out = bytearray()
    with svc.store.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(table.select()):
                for value in row:
                    out += value if isinstance(value, bytes) else str(value).encode()
                    out += b"\x00"
    return bytes(out)


def test_measurements_need_the_fit_consent(service: Service) -> None:
    """Without a recorded 'fit' consent measurements are refused; withdrawing it deletes them."""
    r = service.client.post(
        "/v1/customers", json={"measurements": {"foot_length_mm": 270}}, headers=service.admin
    )
    assert r.status_code == 409
    assert r.json()["errors"][0]["field"] == "body.measurements"
    cid, me = service.customer(consents={"fit": True}, measurements={"foot_length_mm": 270})
    assert service.client.get(f"/v1/customers/{cid}", headers=me).json()["measurements"] == {
        "foot_length_mm": 270.0
    }
    r = service.client.put(f"/v1/customers/{cid}/consents/fit", json={"granted": False}, headers=me)
    assert r.json()["measurements"] == {}
    assert r.json()["consents"] == {"fit": False}
    r = service.client.patch(f"/v1/customers/{cid}", json={"measurements": {"x": 1}}, headers=me)
    assert r.status_code == 409


def test_the_raw_database_holds_no_plaintext_personal_data(service: Service) -> None:
    """Name, e-mail, measurements and the ordered configuration are ciphertext at rest."""
    _cid, me = service.customer(
        name="Zelda Quixotic",
        email="zelda.quixotic@example.org",
        consents={"fit": True},
        measurements={"foot_length_mm": 287.5, "arch_height_mm": 23.25},
    )
    order = {**INSOLE, "foot_length_mm": 283, "foot_width_mm": 117}
    r = service.client.post(
        "/v1/orders",
        json={"family": "insole", "configuration": order},
        headers={**me, "Idempotency-Key": "secret"},
    )
    assert r.status_code == 201
    oid = r.json()["id"]
    service.client.post(
        f"/v1/orders/{oid}/status", json={"status": "released"}, headers=service.operator
    )
    raw = _raw_dump(service)
    secrets = (
        b"Zelda",
        b"quixotic@",
        b"287.5",
        b"23.25",
        b'"foot_length_mm":283',
        b'"foot_width_mm":117',
        b'"foot_length_mm": 283',
    )
    for secret in secrets:
        assert secret not in raw, secret


def test_export_returns_everything_held(service: Service) -> None:
    """The export has the profile, consent history, configurations, orders and work orders."""
    cid, me = service.customer(
        email="e@example.org", consents={"fit": True}, measurements={"arch_height_mm": 14}
    )
    service.client.post(
        "/v1/configurations", json={"family": "insole", "choices": {"side": "left"}}, headers=me
    )
    oid = service.client.post(
        "/v1/orders",
        json={"family": "insole", "configuration": INSOLE},
        headers={**me, "Idempotency-Key": "x"},
    ).json()["id"]
    service.client.post(
        f"/v1/orders/{oid}/status", json={"status": "released"}, headers=service.operator
    )
    data = service.client.get(f"/v1/customers/{cid}/export", headers=me).json()
    assert data["customer"]["email"] == "e@example.org"
    assert data["customer"]["measurements"] == {"arch_height_mm": 14.0}
    assert [c["purpose"] for c in data["consent_history"]] == ["fit"]
    assert data["configurations"][0]["choices"] == {"side": "left"}
    assert data["orders"][0]["configuration"] == INSOLE
    assert [e["to"] for e in data["order_events"]] == ["placed", "released"]
    assert data["work_orders"][0]["work_order"]["configuration"]["foot_length_mm"] == 273
    assert len(data["api_keys"]) == 1
    assert "digest" not in data["api_keys"][0]


def test_erasure_crypto_shreds_and_keeps_anonymised_orders(service: Service) -> None:
    """DELETE destroys the data key: profile gone, orders kept without link and unreadable."""
    cid, me = service.customer(consents={"fit": True}, measurements={"foot_length_mm": 250})
    oid = service.client.post(
        "/v1/orders",
        json={"family": "insole", "configuration": INSOLE},
        headers={**me, "Idempotency-Key": "e"},
    ).json()["id"]
    assert service.client.delete(f"/v1/customers/{cid}", headers=me).status_code == 409
    service.client.post(f"/v1/orders/{oid}/status", json={"status": "cancelled"}, headers=me)
    with service.store.unit() as uow:
        row = uow.customers.get(cid)
        assert row is not None
        assert row.wrapped_key is not None
    assert service.client.delete(f"/v1/customers/{cid}", headers=me).status_code == 204
    assert service.client.get(f"/v1/customers/{cid}", headers=me).status_code == 401
    assert service.client.get(f"/v1/customers/{cid}", headers=service.admin).status_code == 410
    order = service.client.get(f"/v1/orders/{oid}", headers=service.admin).json()
    assert order["customer_id"] is None
    assert order["configuration"] is None
    assert order["price"] == "93.28"
    with service.store.unit() as uow:
        customer = uow.session.scalar(select(CustomerRow).where(CustomerRow.id == cid))
        assert customer is not None
        assert (customer.wrapped_key, customer.profile, customer.measurements) == (None, None, None)
        stored = uow.session.scalar(select(OrderRow).where(OrderRow.id == oid))
        assert stored is not None
        with pytest.raises(Shredded):
            uow.vault.unwrap(cid, customer.wrapped_key)  # the only copy of the key is gone
        assert stored.configuration  # the ciphertext stays, unreadable
