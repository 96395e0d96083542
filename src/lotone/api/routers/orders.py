"""``/v1/orders``: intake that loses nothing, a guarded lifecycle, work orders on release.

Intake: the ``Idempotency-Key`` header names the request. A retry with the same key (and the
same body) returns the order already made, never a second one; the answer is sent only after
the commit. Two retries racing each other meet at the database's unique constraint on
(customer, key): one inserts, the other reads the winner's order.

Lifecycle: ``placed -> released -> in_production -> shipped``; ``placed`` or ``released`` may be
``cancelled``. Each change is a compare-and-set on the current status, so two operators cannot
both release an order; releasing explodes the work order in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response
from sqlalchemy.exc import IntegrityError

from lotone.api.auth import Principal, PrincipalDep, Role
from lotone.api.deps import EnginesDep, NetworkDep, StoreDep, family_row, live_customer, slot_of
from lotone.api.problems import ApiProblem, problem_responses
from lotone.api.schemas import OrderIn, OrderOut, OrderStatus, StatusChange, WorkOrderOut
from lotone.api.shaping import cents, json_values, parse_choices, typed_values
from lotone.configure.validate import price_of
from lotone.errors import InvalidValue, Violation
from lotone.produce.capability import eligible_sites
from lotone.produce.explode import configuration_hash, explode
from lotone.store.crypto import Shredded
from lotone.store.tables import OrderEventRow, OrderRow, WorkOrderRow
from lotone.store.unit_of_work import UnitOfWork

__all__ = ["TRANSITIONS", "order_out", "router"]

router = APIRouter(prefix="/v1/orders", tags=["orders"])

# (from, to) -> the roles that may make the change
TRANSITIONS: dict[tuple[str, str], tuple[Role, ...]] = {
    ("placed", "released"): ("operator", "admin"),
    ("released", "in_production"): ("operator", "admin"),
    ("in_production", "shipped"): ("operator", "admin"),
    ("placed", "cancelled"): ("customer", "operator", "admin"),
    ("released", "cancelled"): ("operator", "admin"),
}

IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="A unique key per order attempt; retries reuse it.",
    ),
]


def order_out(uow: UnitOfWork, row: OrderRow, configuration: object = None) -> OrderOut:
    """The order as JSON; the configuration is null once the customer was erased.

    ``configuration``: the plaintext when the caller has just sealed it (no second decryption).
    """
    if configuration is None and row.customer_id is not None:
        customer = uow.customers.get(row.customer_id)
        try:
            key = uow.vault.unwrap(row.customer_id, customer.wrapped_key if customer else None)
            configuration = key.open("configuration", row.configuration)
        except Shredded:
            configuration = None
    return OrderOut.model_validate(
        {
            "id": row.id,
            "customer_id": row.customer_id,
            "family": row.family_id,
            "version": row.family_version,
            "status": row.status,
            "price": row.price,
            "currency": row.currency,
            "configuration_hash": row.configuration_hash,
            "configuration": configuration,
            "created_at": row.created_at,
            "updated_at": row.updated_at,
        }
    )


def _visible(uow: UnitOfWork, principal: Principal, order_id: str) -> OrderRow:
    row = uow.orders.get(order_id)
    if row is None or not principal.may_see(row.customer_id):
        raise ApiProblem(404, "unknown-order", "Unknown order")
    return row


def _customer_of(principal: Principal, body: OrderIn) -> str:
    if principal.role == "customer":
        if body.customer_id is not None and body.customer_id != principal.customer_id:
            raise ApiProblem(
                403,
                "forbidden",
                "A customer orders only for themself",
                errors=[("body.customer_id", "not your customer id")],
            )
        assert principal.customer_id is not None
        return principal.customer_id
    if body.customer_id is None:
        raise ApiProblem(
            422,
            "invalid-request",
            "Staff must name the customer",
            errors=[("body.customer_id", "required for operator and admin keys")],
        )
    return body.customer_id


def _replay(uow: UnitOfWork, row: OrderRow, fingerprint: str, response: Response) -> OrderOut:
    if row.request_digest != fingerprint:
        raise ApiProblem(
            422,
            "idempotency-key-reused",
            "This Idempotency-Key was used for a different order",
            errors=[("header.Idempotency-Key", "reused with another body")],
        )
    response.status_code = 200
    response.headers["Idempotent-Replayed"] = "true"
    response.headers["Location"] = f"/v1/orders/{row.id}"
    return order_out(uow, row)


@router.post(
    "",
    status_code=201,
    response_model=OrderOut,
    responses=problem_responses(403, 404, 409, 410, 422, 503),
)
def place_order(
    body: OrderIn,
    idempotency_key: IdempotencyKey,
    store: StoreDep,
    engines: EnginesDep,
    principal: PrincipalDep,
    response: Response,
) -> OrderOut:
    """Place an order for a complete, valid configuration; the price is fixed now.

    Refused with 409 and the rule ids when the configuration breaks rules, or names the
    missing keys when it is incomplete. 201 for a new order, 200 for a replayed key.
    """
    customer_id = _customer_of(principal, body)
    scope = f"customer:{customer_id}"
    canonical = body.model_dump(mode="json", exclude={"customer_id"})
    fingerprint = hashlib.sha256(
        json.dumps([customer_id, canonical], sort_keys=True).encode()
    ).hexdigest()
    with store.unit() as uow:
        found, existing = uow.orders.intake(customer_id, scope, idempotency_key)
        if existing is not None:
            return _replay(uow, existing, fingerprint, response)
        customer = live_customer(uow, customer_id, found)
        fam_row = family_row(uow, body.family, body.version)
        slot = slot_of(engines, fam_row)
        family = slot.family
        configuration = slot.run(
            None, lambda e: parse_choices(e, body.configuration, "body.configuration")
        )
        try:  # the reference validator reads only the family: no need for the engine's lock
            violations: list[Violation] = slot.engine.validate(configuration)
        except InvalidValue as exc:
            raise ApiProblem(
                409,
                "configuration-incomplete",
                "Only a complete configuration can be ordered",
                str(exc),
                errors=[(f"body.configuration.{exc.attribute}", exc.reason)],
            ) from None
        if violations:
            raise ApiProblem(
                409,
                "invalid-configuration",
                "The configuration breaks rules",
                "; ".join(str(v) for v in violations),
                rules=violations,
            )
        price = price_of(family, configuration)
        key = uow.vault.unwrap(customer.id, customer.wrapped_key)
        sealed = json_values(configuration)
        now = datetime.now(UTC)
        row = OrderRow(
            id=str(uuid.uuid4()),
            customer_id=customer.id,
            idempotency_scope=scope,
            idempotency_key=idempotency_key,
            request_digest=fingerprint,
            family_id=family.id,
            family_version=family.version,
            configuration_hash=configuration_hash(family, configuration),
            configuration=key.seal("configuration", sealed),
            price=format(cents(price), "f"),
            currency=family.pricing.currency,
            status="placed",
            created_at=now,
            updated_at=now,
        )
        try:
            uow.orders.add(row)
            uow.session.flush()  # the unique (customer, key) constraint decides a race here
            uow.orders.add_event(
                OrderEventRow(
                    order_id=row.id,
                    from_status=None,
                    to_status="placed",
                    actor_role=principal.role,
                    at=now,
                )
            )
            uow.commit()
        except IntegrityError:
            uow.rollback()
            winner = uow.orders.by_idempotency(scope, idempotency_key)
            if winner is None:
                raise
            return _replay(uow, winner, fingerprint, response)
        response.headers["Location"] = f"/v1/orders/{row.id}"
        return order_out(uow, row, sealed)


@router.get("", response_model=list[OrderOut], responses=problem_responses(403))
def list_orders(
    store: StoreDep,
    principal: PrincipalDep,
    status: OrderStatus | None = None,
    customer_id: str | None = Query(None, max_length=64),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=10_000_000),
) -> list[OrderOut]:
    """Orders, newest first: a customer's own, or (staff) anyone's."""
    if principal.role == "customer":
        if customer_id is not None and customer_id != principal.customer_id:
            raise ApiProblem(403, "forbidden", "A customer sees only their own orders")
        customer_id = principal.customer_id
    with store.unit() as uow:
        rows = uow.orders.page(customer_id, status, limit, offset)
        return [order_out(uow, r) for r in rows]


@router.get("/{order_id}", response_model=OrderOut, responses=problem_responses(404))
def get_order(order_id: str, store: StoreDep, principal: PrincipalDep) -> OrderOut:
    """One order (its customer or staff)."""
    with store.unit() as uow:
        return order_out(uow, _visible(uow, principal, order_id))


@router.post(
    "/{order_id}/status", response_model=OrderOut, responses=problem_responses(403, 404, 409)
)
def change_status(
    order_id: str,
    body: StatusChange,
    store: StoreDep,
    engines: EnginesDep,
    network: NetworkDep,
    principal: PrincipalDep,
) -> OrderOut:
    """Move an order along its lifecycle; a change not allowed from its status is 409."""
    with store.unit() as uow:
        row = _visible(uow, principal, order_id)
        src, dst = row.status, body.status
        roles = TRANSITIONS.get((src, dst))
        if roles is None:
            allowed = sorted(t for (f, t) in TRANSITIONS if f == src)
            raise ApiProblem(
                409,
                "transition-not-allowed",
                f"An order cannot go from {src} to {dst}",
                f"from {src}: {', '.join(allowed) or 'no further changes'}",
                rules=[
                    Violation(
                        "order-lifecycle",
                        "placed -> released -> in_production -> shipped; "
                        "placed or released -> cancelled",
                    )
                ],
            )
        if principal.role not in roles:
            raise ApiProblem(403, "forbidden", f"Role {principal.role} cannot set {dst}")
        now = datetime.now(UTC)
        if not uow.orders.move(row.id, src, dst, now):
            raise ApiProblem(409, "concurrent-change", "The order changed meanwhile; reload it")
        uow.orders.add_event(
            OrderEventRow(
                order_id=row.id, from_status=src, to_status=dst, actor_role=principal.role, at=now
            )
        )
        if dst == "released":
            _release(uow, row, engines, network, now)
        uow.commit()
        return order_out(uow, row)


def _release(
    uow: UnitOfWork, row: OrderRow, engines: EnginesDep, network: NetworkDep, now: datetime
) -> None:
    if row.customer_id is None:
        raise ApiProblem(410, "erased", "The customer was erased")
    customer = live_customer(uow, row.customer_id)
    key = uow.vault.unwrap(customer.id, customer.wrapped_key)
    stored = key.open("configuration", row.configuration)
    assert isinstance(stored, dict)
    fam = family_row(uow, row.family_id, row.family_version)
    family = slot_of(engines, fam).family
    work_order = explode(typed_values(stored), family, order_id=row.id)
    sites = eligible_sites(work_order, network) if network is not None else []
    uow.work_orders.add(
        WorkOrderRow(
            order_id=row.id,
            hash=work_order.hash,
            body=key.seal("work_order", work_order.to_json()),
            sites=json.dumps(sites),
            created_at=now,
        )
    )


@router.get(
    "/{order_id}/work-order", response_model=WorkOrderOut, responses=problem_responses(404, 410)
)
def get_work_order(order_id: str, store: StoreDep, principal: PrincipalDep) -> WorkOrderOut:
    """The work order of a released order (BOM, operations, QC plan, eligible sites)."""
    with store.unit() as uow:
        row = _visible(uow, principal, order_id)
        wo = uow.work_orders.get(row.id)
        if wo is None:
            raise ApiProblem(
                404,
                "no-work-order",
                "No work order yet",
                f"the order is {row.status}; work orders are made on release",
            )
        if row.customer_id is None:
            raise ApiProblem(410, "erased", "The customer was erased; the work order is unreadable")
        customer = live_customer(uow, row.customer_id)
        key = uow.vault.unwrap(customer.id, customer.wrapped_key)
        body = key.open("work_order", wo.body)
        return WorkOrderOut.model_validate(
            {
                "order_id": row.id,
                "hash": wo.hash,
                "sites": json.loads(wo.sites),
                "created_at": wo.created_at,
                "work_order": body,
            }
        )
