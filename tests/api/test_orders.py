"""Order intake: idempotent, validated by the engine, priced once; a guarded lifecycle."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from conftest import INSOLE, Service
from lotone.store.tables import OrderRow


def _order(svc: Service, headers: dict[str, str], key: str, config: dict[str, object] = INSOLE):
    return svc.client.post(
        "/v1/orders",
        json={"family": "insole", "configuration": config},
        headers={**headers, "Idempotency-Key": key},
    )


def _count(svc: Service, customer: str) -> int:
    with svc.store.unit() as uow:
        q = select(func.count()).select_from(OrderRow).where(OrderRow.customer_id == customer)
        return int(uow.session.scalar(q) or 0)


def test_same_idempotency_key_gives_the_same_order(service: Service) -> None:
    """A retry with the same key returns the first order (200, replayed), never a second one."""
    cid, me = service.customer()
    first = _order(service, me, "k-1")
    assert first.status_code == 201, first.text
    assert first.json()["price"] == "93.28"  # 45 + 32 pair + 2 x 4.89 size + 6.50 cover
    again = _order(service, me, "k-1")
    assert again.status_code == 200
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert _count(service, cid) == 1


def test_reusing_a_key_for_another_order_is_refused(service: Service) -> None:
    """The same key with a different body is a client bug: 422 naming the header."""
    _, me = service.customer()
    assert _order(service, me, "k-2").status_code == 201
    other = _order(service, me, "k-2", {**INSOLE, "antimicrobial": True})
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "header.Idempotency-Key"


def test_concurrent_retries_make_one_order(service: Service) -> None:
    """Eight simultaneous retries of one request store exactly one order, all see its id."""
    cid, me = service.customer()
    key = f"race-{uuid.uuid4()}"
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: _order(service, me, key), range(8)))
    assert {r.status_code for r in answers} <= {200, 201}, [r.text for r in answers]
    assert len({r.json()["id"] for r in answers}) == 1
    assert _count(service, cid) == 1


def test_invalid_configuration_is_409_with_rule_ids(service: Service) -> None:
    """Rules broken: 409 problem+json listing every rule id, nothing stored."""
    cid, me = service.customer()
    r = _order(service, me, "bad", {**INSOLE, "use": "diabetic_care", "stiffness": "firm"})
    assert r.status_code == 409
    assert r.headers["content-type"] == "application/problem+json"
    ids = {rule["id"] for rule in r.json()["rules"]}
    assert {"diabetic-soft", "diabetic-antimicrobial"} <= ids
    assert _count(service, cid) == 0


def test_incomplete_configuration_names_the_missing_key(service: Service) -> None:
    """Only complete configurations are ordered: 409 naming the missing key."""
    _, me = service.customer()
    partial = {k: v for k, v in INSOLE.items() if k != "top_cover"}
    r = _order(service, me, "partial", partial)
    assert r.status_code == 409
    assert r.json()["errors"][0]["field"] == "body.configuration.top_cover"


def test_schema_violations_are_422_with_the_field(service: Service) -> None:
    """A wrong type or a value off the grid is 422 and names the field."""
    _, me = service.customer()
    r = service.client.post(
        "/v1/orders",
        json={"family": "insole", "configuration": ["not", "a", "map"]},
        headers={**me, "Idempotency-Key": "x"},
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "body.configuration"
    r = _order(service, me, "y", {**INSOLE, "foot_length_mm": 999})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "body.configuration.foot_length_mm"
    r = service.client.post(
        "/v1/orders", json={"family": "insole", "configuration": INSOLE}, headers=me
    )
    assert r.status_code == 422
    assert "Idempotency-Key" in r.json()["errors"][0]["field"]


def test_unknown_family_or_version_is_404(service: Service) -> None:
    """Orders and the configurator answer 404 for a family or version that does not exist."""
    _, me = service.customer()
    r = service.client.post(
        "/v1/orders",
        json={"family": "sofa", "configuration": INSOLE},
        headers={**me, "Idempotency-Key": "z"},
    )
    assert r.status_code == 404
    r = service.client.post("/v1/families/insole/configure", json={"version": "9.9"}, headers=me)
    assert r.status_code == 404
    assert "1.0" in r.json()["detail"]


def test_lifecycle_is_guarded_and_release_makes_the_work_order(service: Service) -> None:
    """placed -> released (work order, sites) -> in_production -> shipped; no skipping back."""
    _, me = service.customer()
    oid = _order(service, me, "life").json()["id"]
    move = lambda to, who: service.client.post(
        f"/v1/orders/{oid}/status", json={"status": to}, headers=who
    )
    assert service.client.get(f"/v1/orders/{oid}/work-order", headers=me).status_code == 404
    assert move("released", me).status_code == 403
    assert move("shipped", service.operator).status_code == 409
    assert move("released", service.operator).json()["status"] == "released"
    again = move("released", service.operator)
    assert again.status_code == 409
    assert again.json()["rules"][0]["id"] == "order-lifecycle"
    wo = service.client.get(f"/v1/orders/{oid}/work-order", headers=me)
    assert wo.status_code == 200
    assert wo.json()["sites"] == ["berlin", "lyon"]  # both print TPU 95A (SLS)
    assert wo.json()["work_order"]["family"] == "insole"
    assert move("in_production", service.operator).status_code == 200
    assert move("cancelled", service.operator).status_code == 409
    assert move("shipped", service.operator).json()["status"] == "shipped"
    assert move("placed", service.admin).status_code == 409


def test_customer_may_cancel_a_placed_order_only(service: Service) -> None:
    """A customer cancels their own placed order; a released one only staff can cancel."""
    _, me = service.customer()
    a = _order(service, me, "c-1").json()["id"]
    r = service.client.post(f"/v1/orders/{a}/status", json={"status": "cancelled"}, headers=me)
    assert r.json()["status"] == "cancelled"
    b = _order(service, me, "c-2").json()["id"]
    service.client.post(
        f"/v1/orders/{b}/status", json={"status": "released"}, headers=service.operator
    )
    r = service.client.post(f"/v1/orders/{b}/status", json={"status": "cancelled"}, headers=me)
    assert r.status_code == 403
