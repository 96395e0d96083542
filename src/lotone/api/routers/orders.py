"""``/v1/orders``: intake that loses nothing, a guarded lifecycle, work orders on release.

Intake (:mod:`lotone.api.intake`): the ``Idempotency-Key`` header names the request. A retry
with the same key (and the same body) returns the order already made, never a second one; the
answer is sent only after the commit. Two retries racing each other meet at the database's
unique constraint on (customer, key): one inserts, the other reads the winner's order.

Lifecycle: ``placed -> released -> in_production -> shipped``; ``placed`` or ``released`` may be
``cancelled``. Each change is a compare-and-set on the current status, so two operators cannot
both release an order; releasing explodes the work order in the same transaction.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

from anyio import CapacityLimiter, to_thread
from fastapi import APIRouter, Header, Query, Request, Response

from lotone.api.auth import Principal, PrincipalDep, Role
from lotone.api.deps import EnginesDep, NetworkDep, StoreDep, family_row, live_customer, slot_of
from lotone.api.intake import order_out, place
from lotone.api.problems import ApiProblem, problem_responses
from lotone.api.schemas import OrderIn, OrderOut, OrderStatus, StatusChange, WorkOrderOut
from lotone.api.shaping import typed_values
from lotone.errors import Violation
from lotone.produce.capability import eligible_sites
from lotone.produce.explode import explode
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


def _visible(uow: UnitOfWork, principal: Principal, order_id: str) -> OrderRow:
    row = uow.orders.get(order_id)
    if row is None or not principal.may_see(row.customer_id):
        raise ApiProblem(404, "unknown-order", "Unknown order")
    return row


@router.post(
    "",
    status_code=201,
    response_model=OrderOut,
    responses=problem_responses(403, 404, 409, 410, 422, 503),
)
async def place_order(
    request: Request,
    body: OrderIn,
    idempotency_key: IdempotencyKey,
    store: StoreDep,
    engines: EnginesDep,
    principal: PrincipalDep,
) -> Response:
    """Place an order for a complete, valid configuration; the price is fixed now.

    Refused with 409 and the rule ids when the configuration breaks rules, or names the
    missing keys when it is incomplete. 201 for a new order, 200 for a replayed key.
    """
    threads: CapacityLimiter = request.app.state.intake_threads
    placed = await to_thread.run_sync(
        place, store, engines, principal, body, idempotency_key, limiter=threads
    )
    response = Response(
        placed.json, status_code=200 if placed.replayed else 201, media_type="application/json"
    )
    if placed.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    response.headers["Location"] = f"/v1/orders/{placed.order_id}"
    return response


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
