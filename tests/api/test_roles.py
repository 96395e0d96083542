"""Keys and roles: a customer sees only their own profile, configurations and orders."""

from __future__ import annotations

from conftest import INSOLE, Service


def test_no_key_or_a_wrong_key_is_401(service: Service) -> None:
    """Every /v1 route needs a known key; /health does not."""
    assert service.client.get("/v1/families").status_code == 401
    r = service.client.get("/v1/families", headers={"X-API-Key": "lk_nope"})
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    bearer = {"Authorization": "Bearer " + service.admin["X-API-Key"]}
    assert service.client.get("/v1/families", headers=bearer).status_code == 200
    assert service.client.get("/health").json() == {"status": "ok", "database": "ok"}


def test_a_customer_cannot_read_another_customers_data(service: Service) -> None:
    """Profile, export, configurations, orders and work orders of others look unknown (404)."""
    alice, a = service.customer()
    bob, b = service.customer()
    saved = service.client.post(
        "/v1/configurations", json={"family": "insole", "choices": {"use": "running"}}, headers=a
    )
    assert saved.status_code == 201, saved.text
    order = service.client.post(
        "/v1/orders",
        json={"family": "insole", "configuration": INSOLE},
        headers={**a, "Idempotency-Key": "mine"},
    ).json()["id"]
    for path in (
        f"/v1/customers/{alice}",
        f"/v1/customers/{alice}/export",
        f"/v1/configurations/{saved.json()['id']}",
        f"/v1/orders/{order}",
        f"/v1/orders/{order}/work-order",
    ):
        assert service.client.get(path, headers=b).status_code == 404, path
        assert service.client.get(path.replace("/work-order", ""), headers=a).status_code == 200
    assert service.client.delete(f"/v1/customers/{alice}", headers=b).status_code == 404
    r = service.client.get(f"/v1/orders?customer_id={alice}", headers=b)
    assert r.status_code == 403
    assert service.client.get("/v1/orders", headers=b).json() == []
    assert service.client.get("/v1/customers", headers=b).json() == [bob]
    r = service.client.post(
        "/v1/orders",
        json={"family": "insole", "configuration": INSOLE, "customer_id": alice},
        headers={**b, "Idempotency-Key": "theirs"},
    )
    assert r.status_code == 403


def test_only_staff_and_admins_do_staff_things(service: Service) -> None:
    """Customers cannot make customers or keys or upload families; operators cannot make keys."""
    _, me = service.customer()
    assert service.client.post("/v1/customers", json={}, headers=me).status_code == 403
    key = {"role": "admin"}
    assert service.client.post("/v1/api-keys", json=key, headers=me).status_code == 403
    assert (
        service.client.post("/v1/api-keys", json=key, headers=service.operator).status_code == 403
    )
    r = service.client.post("/v1/families", json={"source": "family: x"}, headers=me)
    assert r.status_code == 403
    made = service.client.post("/v1/api-keys", json={"role": "operator"}, headers=service.admin)
    assert made.status_code == 201
    new = {"X-API-Key": made.json()["key"]}
    assert service.client.get("/v1/orders", headers=new).status_code == 200


def test_staff_order_for_a_named_customer(service: Service) -> None:
    """An operator places an order for a customer, who then sees it as their own."""
    cid, me = service.customer()
    r = service.client.post(
        "/v1/orders",
        json={"family": "insole", "configuration": INSOLE, "customer_id": cid},
        headers={**service.operator, "Idempotency-Key": "phone-order"},
    )
    assert r.status_code == 201
    assert [o["id"] for o in service.client.get("/v1/orders", headers=me).json()] == [
        r.json()["id"]
    ]
