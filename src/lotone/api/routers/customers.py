"""``/v1/customers``: profiles with consent, encrypted measurements, export and erasure.

Measurements are stored only while the ``fit`` consent is granted (withdrawing it deletes
them). Erasure destroys the customer's data key: the profile is deleted, and what must be kept
for the law (orders, anonymised: no customer link) holds only ciphertext nobody can read.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, Query, Request, Response

from lotone.api.auth import KeyCache, Principal, PrincipalDep, issue_key, require
from lotone.api.deps import StoreDep, live_customer
from lotone.api.problems import ApiProblem, problem_responses
from lotone.api.schemas import ConsentIn, CustomerIn, CustomerOut, CustomerPatch, Purpose
from lotone.store.crypto import DataKey
from lotone.store.tables import ConsentRow, CustomerRow
from lotone.store.unit_of_work import UnitOfWork

__all__ = ["OPEN_STATUSES", "consents_of", "customer_out", "router", "visible_customer"]

router = APIRouter(prefix="/v1/customers", tags=["customers"])

OPEN_STATUSES = ("placed", "released", "in_production")


def visible_customer(uow: UnitOfWork, principal: Principal, customer_id: str) -> CustomerRow:
    """The customer, if the caller may see them; others' ids look unknown (404)."""
    if not principal.may_see(customer_id):
        raise ApiProblem(404, "unknown-customer", "Unknown customer")
    return live_customer(uow, customer_id)


def consents_of(uow: UnitOfWork, customer_id: str) -> dict[str, bool]:
    """The current decision per purpose (the latest record wins)."""
    out: dict[str, bool] = {}
    for row in uow.customers.consents(customer_id):
        out[row.purpose] = row.granted
    return out


def customer_out(uow: UnitOfWork, row: CustomerRow, api_key: str | None = None) -> CustomerOut:
    """The decrypted profile."""
    key = uow.vault.unwrap(row.id, row.wrapped_key)
    profile = key.open("profile", row.profile) if row.profile is not None else {}
    measurements = key.open("measurements", row.measurements) if row.measurements else {}
    assert isinstance(profile, dict)
    assert isinstance(measurements, dict)
    return CustomerOut(
        id=row.id,
        created_at=row.created_at,
        erased=False,
        name=profile.get("name"),
        email=profile.get("email"),
        measurements=measurements,
        traits=profile.get("traits", {}),
        preferences=profile.get("preferences", {}),
        consents=consents_of(uow, row.id),
        api_key=api_key,
    )


def _store_measurements(
    uow: UnitOfWork, row: CustomerRow, key: DataKey, values: dict[str, float]
) -> None:
    if values and not consents_of(uow, row.id).get("fit", False):
        raise ApiProblem(
            409,
            "consent-required",
            "Measurements need the 'fit' consent",
            "grant it first: PUT /v1/customers/{id}/consents/fit",
            errors=[("body.measurements", "no recorded 'fit' consent")],
        )
    row.measurements = key.seal("measurements", values) if values else None


@router.post("", status_code=201, response_model=CustomerOut, responses=problem_responses(403, 409))
def create_customer(
    body: CustomerIn, store: StoreDep, principal: PrincipalDep, response: Response
) -> CustomerOut:
    """A new customer (operator, admin); ``issue_key`` also returns a customer API key, once."""
    require(principal, "operator", "admin")
    now = datetime.now(UTC)
    with store.unit() as uow:
        cid = str(uuid.uuid4())
        key, wrapped = uow.vault.new_key(cid)
        row = CustomerRow(
            id=cid,
            created_at=now,
            wrapped_key=wrapped,
            profile=key.seal(
                "profile",
                {
                    "name": body.name,
                    "email": body.email,
                    "traits": dict(body.traits),
                    "preferences": dict(body.preferences),
                },
            ),
        )
        uow.customers.add(row)
        uow.session.flush()
        for purpose, granted in body.consents.items():
            uow.customers.record_consent(
                ConsentRow(customer_id=cid, purpose=purpose, granted=granted, recorded_at=now)
            )
        uow.session.flush()
        _store_measurements(uow, row, key, dict(body.measurements))
        text = None
        if body.issue_key:
            _, text = issue_key(uow, "customer", cid, "issued with the customer")
        uow.commit()
        response.headers["Location"] = f"/v1/customers/{cid}"
        return customer_out(uow, row, text)


@router.get("", response_model=list[str], responses=problem_responses(403))
def list_customers(
    store: StoreDep,
    principal: PrincipalDep,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=10_000_000),
) -> list[str]:
    """Customer ids (operator, admin); a customer sees only their own."""
    if not principal.staff:
        return [principal.customer_id] if principal.customer_id else []
    with store.unit() as uow:
        return [r.id for r in uow.customers.page(limit, offset) if r.erased_at is None]


@router.get("/{customer_id}", response_model=CustomerOut, responses=problem_responses(404, 410))
def get_customer(customer_id: str, store: StoreDep, principal: PrincipalDep) -> CustomerOut:
    """A profile: the customer themself or staff."""
    with store.unit() as uow:
        return customer_out(uow, visible_customer(uow, principal, customer_id))


@router.patch(
    "/{customer_id}", response_model=CustomerOut, responses=problem_responses(404, 409, 410)
)
def patch_customer(
    customer_id: str, body: CustomerPatch, store: StoreDep, principal: PrincipalDep
) -> CustomerOut:
    """Change the name, e-mail, measurements (they need the ``fit`` consent), traits or
    stated preferences."""
    with store.unit() as uow:
        row = visible_customer(uow, principal, customer_id)
        key = uow.vault.unwrap(row.id, row.wrapped_key)
        profile = key.open("profile", row.profile) if row.profile is not None else {}
        assert isinstance(profile, dict)
        changed = body.model_dump(exclude_unset=True)
        for name in ("name", "email", "traits", "preferences"):
            if name in changed and (changed[name] is not None or name in ("name", "email")):
                profile[name] = changed[name]
        row.profile = key.seal("profile", profile)
        if body.measurements is not None:
            _store_measurements(uow, row, key, dict(body.measurements))
        uow.commit()
        return customer_out(uow, row)


@router.put(
    "/{customer_id}/consents/{purpose}",
    response_model=CustomerOut,
    responses=problem_responses(404, 410),
)
def set_consent(
    customer_id: str, purpose: Purpose, body: ConsentIn, store: StoreDep, principal: PrincipalDep
) -> CustomerOut:
    """Record a consent decision; withdrawing ``fit`` deletes the stored measurements."""
    with store.unit() as uow:
        row = visible_customer(uow, principal, customer_id)
        uow.customers.record_consent(
            ConsentRow(
                customer_id=row.id,
                purpose=purpose,
                granted=body.granted,
                recorded_at=datetime.now(UTC),
            )
        )
        if purpose == "fit" and not body.granted:
            row.measurements = None
        uow.commit()
        return customer_out(uow, row)


@router.get(
    "/{customer_id}/export",
    response_model=dict[str, object],
    responses=problem_responses(404, 410),
)
def export_customer(
    customer_id: str, store: StoreDep, principal: PrincipalDep
) -> dict[str, object]:
    """Everything held about the customer, as JSON (GDPR articles 15 and 20)."""
    from lotone.api.routers.orders import order_out

    with store.unit() as uow:
        row = visible_customer(uow, principal, customer_id)
        key = uow.vault.unwrap(row.id, row.wrapped_key)
        profile = customer_out(uow, row)
        orders = uow.orders.of_customer(row.id)
        events = uow.orders.events([o.id for o in orders])
        work_orders = []
        for o in orders:
            wo = uow.work_orders.get(o.id)
            if wo is not None:
                work_orders.append(
                    {
                        "order_id": o.id,
                        "hash": wo.hash,
                        "sites": json.loads(wo.sites),
                        "work_order": key.open("work_order", wo.body),
                    }
                )
        return {
            "exported_at": datetime.now(UTC).isoformat(),
            "customer": profile.model_dump(mode="json", exclude={"api_key"}),
            "consent_history": [
                {
                    "purpose": c.purpose,
                    "granted": c.granted,
                    "recorded_at": c.recorded_at.isoformat(),
                }
                for c in uow.customers.consents(row.id)
            ],
            "configurations": [
                {
                    "id": c.id,
                    "family": c.family_id,
                    "version": c.family_version,
                    "created_at": c.created_at.isoformat(),
                    "choices": key.open("choices", c.choices),
                }
                for c in uow.configurations.of_customer(row.id)
            ],
            "orders": [order_out(uow, o).model_dump(mode="json") for o in orders],
            "order_events": [
                {
                    "order_id": e.order_id,
                    "from": e.from_status,
                    "to": e.to_status,
                    "by": e.actor_role,
                    "at": e.at.isoformat(),
                }
                for e in events
            ],
            "work_orders": work_orders,
            "api_keys": [
                {
                    "id": k.id,
                    "role": k.role,
                    "label": k.label,
                    "created_at": k.created_at.isoformat(),
                    "revoked": k.revoked,
                }
                for k in uow.keys.of_customer(row.id)
            ],
        }


@router.delete("/{customer_id}", status_code=204, responses=problem_responses(404, 409, 410))
def erase_customer(
    customer_id: str, request: Request, store: StoreDep, principal: PrincipalDep
) -> Response:
    """Erase the customer (GDPR article 17): the data key is destroyed (crypto-shredding).

    Refused (409) while an order is still open; cancel it or wait until it has shipped.
    Orders are kept for the accounts, anonymised (no customer link, configuration unreadable).
    """
    with store.unit() as uow:
        row = visible_customer(uow, principal, customer_id)
        orders = uow.orders.of_customer(row.id)
        open_ = [o.id for o in orders if o.status in OPEN_STATUSES]
        if open_:
            raise ApiProblem(
                409,
                "open-orders",
                "The customer has open orders",
                f"cancel or complete these orders first: {', '.join(open_)}",
            )
        for c in uow.configurations.of_customer(row.id):
            uow.configurations.delete(c)
        uow.customers.delete_consents(row.id)
        for k in uow.keys.of_customer(row.id):
            k.revoked = True
            k.customer_id = None
        for o in orders:
            o.customer_id = None
        row.wrapped_key = None
        row.profile = None
        row.measurements = None
        row.erased_at = datetime.now(UTC)
        uow.commit()
    keys_cache: KeyCache = request.app.state.keys
    keys_cache.forget_customer(customer_id)
    return Response(status_code=204)
